// Live « Complexité du mot de passe »: the same rules as the server's ComplexityValidator.
(function () {
  "use strict";
  var input = document.querySelector("input[data-password-meter]");
  var meter = document.getElementById("password-meter");
  if (!input || !meter) { return; }
  var group = input.closest(".fr-input-group") || input;
  group.after(meter);
  meter.hidden = false;
  var bar = meter.querySelector("[data-meter-bar]");
  var verdict = meter.querySelector("[data-meter-verdict]");
  var gauge = meter.querySelector("[role=meter]");

  function kinds(value) {
    return {
      upper: /[A-Z]/.test(value),
      lower: /[a-z]/.test(value),
      digit: /[0-9]/.test(value),
      special: /[^A-Za-z0-9]/.test(value)
    };
  }

  function update() {
    var value = input.value;
    var met = kinds(value);
    met.length = value.length >= 12;
    var count = 0;
    ["upper", "lower", "digit", "special"].forEach(function (k) { if (met[k]) { count += 1; } });
    Object.keys(met).forEach(function (k) {
      var item = meter.querySelector('[data-criterion="' + k + '"]');
      if (item) { item.classList.toggle("is-met", met[k]); }
    });
    var valid = met.length && count >= 3;
    var score = count + (met.length ? 1 : 0);
    var level = valid ? (count === 4 && value.length >= 16 ? "strong" : "medium") : "weak";
    var words = { weak: "trop faible", medium: "suffisante", strong: "forte" };
    verdict.textContent = words[level];
    bar.className = "chorale-meter__bar chorale-meter__bar--" + level;
    bar.style.width = (score * 20) + "%";
    gauge.setAttribute("aria-valuenow", String(score));
    gauge.setAttribute("aria-valuetext", words[level]);
  }

  input.addEventListener("input", update);
  update();
}());
