// Small behaviours every page may use, without inline handlers (the Content-Security-Policy
// allows scripts from the site only): <form data-confirm="…"> asks before submitting,
// <select data-autosubmit> submits its form when changed.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
