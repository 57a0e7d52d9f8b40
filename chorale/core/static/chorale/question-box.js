// « Besoin d'aide ? Posez-moi vos questions — Demander »: the header's question box shows the
// best matching help passages in place; without JavaScript the form opens the answers page.
(function () {
  const box = document.getElementById("question-box");
  if (!box) return;
  const form = box.querySelector("form");
  const answers = document.getElementById("question-box-answers");
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const query = new URLSearchParams(new FormData(form));
    query.set("fragment", "1");
    answers.textContent = "Recherche…";
    try {
      const response = await fetch(form.action + "?" + query.toString(), {
        headers: { "X-Requested-With": "fetch" },
      });
      if (!response.ok) throw new Error(response.status);
      answers.innerHTML = await response.text();
    } catch (error) {
      answers.textContent = "La recherche n'a pas abouti ; réessayez dans un instant.";
    }
  });
})();
