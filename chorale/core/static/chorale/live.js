// Parts of a page that follow work in progress (a flow being judged): an element with
// data-live-url is replaced every data-live-every milliseconds by what that address answers,
// until the answer no longer carries data-live-url (the work is done).
(function () {
  if (!window.fetch) return;
  function follow(element) {
    var every = parseInt(element.dataset.liveEvery || "1500", 10);
    setTimeout(function () {
      fetch(element.dataset.liveUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) return follow(element);
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.firstElementChild;
          if (!fresh) return follow(element);
          element.replaceWith(fresh);
          if (fresh.dataset.liveUrl) follow(fresh);
        })
        .catch(function () { follow(element); });
    }, every);
  }
  document.querySelectorAll("[data-live-url]").forEach(follow);
})();
