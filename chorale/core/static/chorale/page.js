// Small behaviours every page may use, without inline handlers (the Content-Security-Policy
// allows scripts from the site only): <form data-confirm="…"> asks before submitting,
// <select data-autosubmit> submits its form when changed, <input data-select-all="name">
// ticks or unticks every checkbox of that name in its form (and follows them), and
// <select data-follows="id"> offers only the options whose data-categorie is the value chosen
// in the select `id` (sub-categories of a category).
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
