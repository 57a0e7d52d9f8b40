"""The native engine: EN 16931 rules written in Python over the canonical model.

Each rule carries its official id, severity and business term; its message is French. A rule
returns the places where it is broken ('' for the invoice as a whole, « ligne 3 » for a line).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model import Invoice

FATAL, WARNING = "fatal", "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    term: str
    where: str = ""

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "term": self.term,
            "path": self.where,
        }


@dataclass(frozen=True)
class Rule:
    id: str
    term: str
    message: str
    check: Callable[[Invoice], Iterable[str]]
    severity: str = FATAL


RULES: list[Rule] = []


def rule(rule_id: str, term: str, message: str, severity: str = FATAL):
    """Register a check returning the places where `rule_id` is broken."""

    def register(check: Callable[[Invoice], Iterable[str]]):
        RULES.append(Rule(rule_id, term, message, check, severity))
        return check

    return register


def validate(invoice: Invoice, profile: str = "EN16931") -> list[Finding]:
    """Every finding of the EN 16931 rules on this invoice, in rule order.

    The profiles whose stylesheet words the business rules its own way (MINIMUM and BASIC WL,
    which are not EN 16931 invoices, formats.md §1.2; EXTENDED and EXTENDED-CTC-FR) are judged
    by those rules (`structure`), not by these.
    """
    from ..formats.detect import OWN_BUSINESS_RULES
    from . import codelists, en16931, totals, vat_categories  # noqa: F401 — registers the rules

    findings = [
        Finding(problem.code, FATAL, problem.message, problem.term or "BT-?")
        for problem in invoice.reading_problems
    ]
    if profile in OWN_BUSINESS_RULES:
        return findings
    return findings + findings_of(invoice, RULES)


def findings_of(invoice: Invoice, rules: Iterable[Rule]) -> list[Finding]:
    """The findings of these rules on this invoice, in their order."""
    return [
        Finding(item.id, item.severity, item.message, item.term, where)
        for item in rules
        for where in item.check(invoice)
    ]


def rules_named(ids) -> list[Rule]:
    """The native rules of these ids, in rule order."""
    from . import codelists, en16931, totals, vat_categories  # noqa: F401 — registers the rules

    return [item for item in RULES if item.id in ids]


def native_messages() -> dict[str, str]:
    """The French message of each native rule, by official id (used for official findings)."""
    from . import codelists, en16931, totals, vat_categories  # noqa: F401 — registers the rules

    return {item.id: item.message for item in RULES}
