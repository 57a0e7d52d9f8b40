// The « Fil d'événements » of the connected home refreshes itself without a reload.
(function () {
  var feed = document.getElementById("feed");
  if (!feed || !window.fetch) return;
  setInterval(function () {
    fetch(feed.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null && html !== feed.innerHTML) feed.innerHTML = html; })
      .catch(function () {});
  }, 20000);
})();
