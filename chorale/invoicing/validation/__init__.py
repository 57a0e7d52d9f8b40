"""Validation of the canonical invoice: findings with official rule ids and French messages.

Two engines behind one call, chosen by CHORALE_VALIDATION_ENGINE: `native` (default, the EN 16931
rules in Python), `official` (the published rule sets run by SaxonC) or `both` (official verdict,
native in shadow: every disagreement is logged and kept in EngineDisagreement for operators).
"""

import functools
import logging

from ..options import option
from . import official, places, structure
from .consistency import consistency_findings
from .engine import FATAL, WARNING, Finding, Rules, findings_of
from .reform import reform_findings
from .rulebook import RULES, rules_named, validate
from .schema import schema_findings

__all__ = ["FATAL", "UNJUDGED", "Finding", "native_findings", "validate", "validate_document"]

logger = logging.getLogger(__name__)
UNJUDGED = "CHORALE-REGLES-NON-EVALUEES"  # the official rule set failed on the document


def native_findings(found, invoice) -> list[Finding]:
    """The native engine on a recognised document: the rules over the model, then the syntax
    rules over its XML. The business rules kept are those of the official rule set for this
    syntax and profile (a Factur-X CII invoice has its code lists checked by the profile's
    FX-SCH-* rules, not by the CEN BR-CL-*); a CII invoice foreign to Factur-X is judged by the
    CEN CII rule set's own business rules, the Python ones saying only what no XPath 1.0 can."""
    stylesheet = official.stylesheet_for(found.syntax, found.profile)
    invoice.judged_by_cen_cii = stylesheet == official.CEN_CII
    model = validate(invoice, found.profile, _model_rules(stylesheet))
    # Where the stylesheet's own business rules judge (`structure.business_in_stylesheet`), the
    # Python rules judge only what no XPath 1.0 can say (`delegated`).
    business = structure.business_in_stylesheet(found, stylesheet)
    # The profile's copies of business rules that only the Python rules can say
    # (FX-SCH-A-000226 is BR-CO-10 in Factur-X BASIC), under the profile's rule id.
    rules = structure.ruleset(stylesheet, business)
    model += [
        Finding(rule_id, severity, finding.message, finding.term, finding.where)
        for finding in findings_of(invoice, _delegated_rules(stylesheet, business))
        for rule_id, severity in rules.delegated[finding.rule]
    ]
    return places.located(found, model) + structure.check(found) + _unsaid(found, rules)


@functools.cache
def _delegated_rules(stylesheet: str, business: bool) -> Rules:
    """The Python rules a stylesheet's rule set leaves to them (`Ruleset.delegated`)."""
    return rules_named(structure.ruleset(stylesheet, business).delegated)


@functools.cache
def _model_rules(stylesheet: str) -> Rules:
    """The Python rules judging the model under this stylesheet, in rule order: of the
    business rules (BR-*, the code lists' BR-CL-* included) those that bind this syntax and
    profile, and any other rule — none under the CEN CII rule set, which judges every business
    rule itself. The others would only be run and their findings dropped."""
    if stylesheet == official.CEN_CII:
        return Rules(item for item in RULES if not item.id.startswith("BR-"))
    binding = structure.business_rules(stylesheet)
    return Rules(item for item in RULES if item.id in binding or not item.id.startswith("BR-"))


def _unsaid(found, rules) -> list[Finding]:
    """The findings of the rules no XPath 1.0 here can say (`Ruleset.skipped`: the EXTENDED
    BR-FXEXT-* tolerances, a few MINIMUM and BASIC rules), from the official engine with its
    rule set cut down to them, run only when the document has one of their contexts. Never on
    EN 16931 and UBL, whose every rule the native engine says itself."""
    unsaid = structure.unsaid(rules, found.tree)
    if not unsaid:
        return []
    run = official.run_isolated if option("CHORALE_VALIDATION_ISOLATED") else official.run
    try:
        findings = run(found.xml, found.syntax, found.profile, rules.skipped)
    except Exception:  # the official rules themselves fail on this document (Saxon type error)
        logger.warning(
            "The official rules could not judge %d rules here", len(unsaid), exc_info=True
        )
        listed = ", ".join(sorted(unsaid)[:5]) + (" …" if len(unsaid) > 5 else "")
        return [
            Finding(
                UNJUDGED,
                WARNING,
                f"Les règles officielles du profil n'ont pas pu juger ce document : "
                f"{len(unsaid)} règle(s) non évaluée(s) ({listed}).",
                "",
            )
        ]
    return [structure.translated(f) for f in findings if f.rule in unsaid]


def validate_document(found, invoice, engine: str | None = None) -> list[Finding]:
    """Findings for a recognised document (`found`) read into `invoice`: the format's schema
    (XSD, whatever the engine), the rules by the chosen engine (CHORALE_VALIDATION_ENGINE
    unless given), Chorale's warnings on amounts those rules leave unchecked, then the French
    reform's rules if CHORALE_FR_RULES asks for them."""
    return (
        schema_findings(found)
        + _rule_findings(found, invoice, engine)
        + consistency_findings(invoice)
        + reform_findings(found, invoice)
    )


def _rule_findings(found, invoice, engine: str | None) -> list[Finding]:
    engine = engine or option("CHORALE_VALIDATION_ENGINE")
    native = native_findings(found, invoice)
    if engine == "native":
        return native
    problems = [f for f in native if f.rule.startswith("value_")]
    run = official.run_isolated if option("CHORALE_VALIDATION_ISOLATED") else official.run
    verdict = problems + [
        structure.translated(f) for f in run(found.xml, found.syntax, found.profile)
    ]
    if engine == "both":
        official_fatal = {f.rule for f in verdict if f.severity == FATAL}
        native_fatal = {f.rule for f in native if f.severity == FATAL}
        if official_fatal != native_fatal:
            from ..models import EngineDisagreement

            official_only = sorted(official_fatal - native_fatal)
            native_only = sorted(native_fatal - official_fatal)
            logger.warning(
                "Validation engines disagree on invoice %s: official only %s, native only %s",
                invoice.number,
                official_only,
                native_only,
            )
            EngineDisagreement.objects.create(
                invoice_number=invoice.number[:100],
                syntax=found.syntax,
                profile=found.profile,
                official_only=official_only,
                native_only=native_only,
            )
    return verdict
