"""The native rules, gathered explicitly from their modules in one order (no registry filled by
import side effects): EN 16931's code lists, its business rules (en16931, then coherence),
its totals, its VAT categories. `validate` judges an invoice with them."""

import functools
from collections.abc import Collection

from ..formats.detect import OWN_BUSINESS_RULES
from ..model import Invoice
from . import codelists, coherence, en16931, totals, vat_categories
from .engine import FATAL, Finding, Rule, Rules, findings_of

RULES = Rules(
    (
        *codelists.RULES,
        *en16931.RULES,
        *coherence.RULES,
        *totals.RULES,
        *vat_categories.RULES,
    )
)


def validate(
    invoice: Invoice, profile: str = "EN16931", rules: Collection[Rule] = RULES
) -> list[Finding]:
    """Every finding of the EN 16931 rules (or of `rules`, some of them) on this invoice, in
    rule order.

    The profiles whose stylesheet words the business rules its own way (MINIMUM and BASIC WL,
    which are not EN 16931 invoices, formats.md §1.2; EXTENDED and EXTENDED-CTC-FR) are judged
    by those rules (`structure`), not by these.
    """
    findings = [
        Finding(problem.code, FATAL, problem.message, problem.term or "BT-?")
        for problem in invoice.reading_problems
    ]
    if profile in OWN_BUSINESS_RULES:
        return findings
    return findings + findings_of(invoice, rules)


def rules_named(ids: Collection[str]) -> Rules:
    """The native rules of these ids, in rule order."""
    return Rules(item for item in RULES if item.id in ids)


@functools.cache
def native_messages() -> dict[str, str]:
    """The French message of each native rule, by official id (built once; used for the
    official engine's findings too)."""
    return {item.id: item.message for item in RULES}
