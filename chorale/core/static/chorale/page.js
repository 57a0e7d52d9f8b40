// Small behaviours every page may use, without inline handlers (the Content-Security-Policy
// allows scripts from the site only): <form data-confirm="…"> asks before submitting,
// <select data-autosubmit> submits its form when changed, <input data-select-all="name">
// ticks or unticks every checkbox of that name in its form (and follows them), and
// <select data-follows="id"> offers only the options whose data-categorie is the value chosen
// in the select `id` (sub-categories of a category); a captcha's « Afficher une autre image »
// asks the captcha package for a new challenge (image, sound and key together).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
document.addEventListener("change", (event) => {
  const target = event.target;
  if (!target.form) return;
  if (target.dataset && target.dataset.selectAll) {
    target.form.querySelectorAll(`input[type=checkbox][name="${target.dataset.selectAll}"]`)
      .forEach((box) => { box.checked = target.checked; });
    return;
  }
  const all = target.form.querySelector(`input[data-select-all="${target.name}"]`);
  if (all && target.type === "checkbox") {
    const boxes = [...target.form.querySelectorAll(`input[type=checkbox][name="${target.name}"]`)];
    all.checked = boxes.every((box) => box.checked);
    all.indeterminate = !all.checked && boxes.some((box) => box.checked);
  }
});
function followParent(child) {
  const parent = document.getElementById(child.dataset.follows);
  if (!parent) return;
  [...child.options].forEach((option) => {
    const fits = !option.dataset.categorie || option.dataset.categorie === parent.value;
    option.hidden = !fits;
    option.disabled = !fits;
    if (!fits && option.selected) child.value = "";
  });
  child.disabled = !parent.value;
}
document.querySelectorAll("select[data-follows]").forEach((child) => {
  followParent(child);
  document.getElementById(child.dataset.follows)
    .addEventListener("change", () => followParent(child));
});
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-captcha-refresh]");
  if (!button) return;
  const box = button.closest("[data-captcha]");
  fetch(box.dataset.captcha, { headers: { "X-Requested-With": "XMLHttpRequest" } })
    .then((response) => response.json())
    .then((fresh) => {
      box.querySelector("img").src = fresh.image_url;
      box.querySelector("input[type=hidden]").value = fresh.key;
      const audio = box.querySelector("audio");
      if (audio && fresh.audio_url) { audio.src = fresh.audio_url; audio.load(); }
      const typed = box.querySelector("input[type=text]");
      if (typed) { typed.value = ""; typed.focus(); }
    });
});
