// « Saisir une facture »: add lines, and show line totals, VAT and amount due as one types.
// The platform recomputes every amount on sending; these figures only guide the typing.
(function () {
  var form = document.getElementById("entry");
  if (!form) return;
  var lines = document.getElementById("lines");
  var total = form.querySelector("[name='lignes-TOTAL_FORMS']");
  var euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

  function number(input) {
    var value = parseFloat(((input && input.value) || "").replace(",", "."));
    return isNaN(value) ? 0 : value;
  }
  function field(line, name) {
    return line.querySelector("[name$='-" + name + "']");
  }
  function refresh() {
    var net = 0, vat = 0;
    lines.querySelectorAll(".chorale-line").forEach(function (line) {
      var amount = Math.round((number(field(line, "quantite")) * number(field(line, "prix_unitaire"))
        - number(field(line, "remise")) + number(field(line, "frais"))) * 100) / 100;
      line.querySelector("[data-line-total]").textContent = euro.format(amount);
      net += amount;
      vat += amount * number(field(line, "taux_tva")) / 100;
    });
    vat = Math.round(vat * 100) / 100;
    var paid = (form.querySelector("[name='cadre']") || {}).value === "A2";
    form.querySelector("[data-total='net']").textContent = euro.format(net);
    form.querySelector("[data-total='vat']").textContent = euro.format(vat);
    form.querySelector("[data-total='gross']").textContent = euro.format(net + vat);
    form.querySelector("[data-total='due']").textContent = euro.format(paid ? 0 : net + vat);
  }
  document.getElementById("add-line").addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = document.getElementById("line-template").innerHTML.replace(/__prefix__/g, index);
    lines.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    lines.lastElementChild.setAttribute("aria-label", "Ligne " + (index + 1));
    lines.lastElementChild.querySelector("input").focus();
    refresh();
  });
  // The recipient: its name, services (offered in the service field) and requirements.
  var siret = form.querySelector("[name='destinataire']");
  var info = document.getElementById("recipient-info");
  function lookUp() {
    var value = siret.value.replace(/\s/g, "");
    if (!/^\d{14}$/.test(value)) { info.textContent = ""; return; }
    var supplier = (form.querySelector("[name='structure']") || {}).value || "";
    fetch(info.dataset.url + "?siret=" + value + "&structure=" + encodeURIComponent(supplier),
      { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var list = document.getElementById("services");
        list.innerHTML = "";
        if (data.error) { info.textContent = data.error; return; }
        (data.services || []).forEach(function (service) {
          var option = document.createElement("option");
          option.value = service.code;
          option.label = service.label + (service.requiresEngagement ? " (engagement exigé)" : "");
          list.appendChild(option);
        });
        // Its open engagements with the supplier: what is left on each, offered as numbers.
        var orders = document.getElementById("engagements");
        orders.innerHTML = "";
        (data.engagements || []).forEach(function (engagement) {
          var option = document.createElement("option");
          option.value = engagement.number;
          option.label = (engagement.label ? engagement.label + " — " : "") + "reste " + engagement.left;
          orders.appendChild(option);
        });
        var needs = [];
        if (data.requiresServiceCode) needs.push("un code service");
        if (data.requiresEngagement) needs.push("un numéro d'engagement");
        info.textContent = data.name + (needs.length ? " — exige " + needs.join(" et ") + "." : ".");
      })
      .catch(function () {});
  }
  siret.addEventListener("change", lookUp);
  var chosen = form.querySelector("[name='structure']");
  if (chosen) chosen.addEventListener("change", lookUp);
  lookUp();
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
