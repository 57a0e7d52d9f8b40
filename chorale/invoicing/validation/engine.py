"""The native engine: EN 16931 rules written in Python over the canonical model.

Each rule carries its official id, severity and business term; its message is French. A rule
returns the places where it is broken ('' for the invoice as a whole, « ligne 3 » for a line).
"""

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter

from ..model import Invoice, Line

FATAL, WARNING = "fatal", "warning"
Check = Callable[[Invoice], Iterable[str]]  # the places where a rule is broken


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    term: str
    where: str = ""

    def as_dict(self) -> dict[str, str]:
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
    # A VAT category (UNCL 5305) the rule only judges: where no line, allowance, charge nor
    # VAT breakdown of the invoice has it, the rule has nothing to say and is not run.
    category: str = ""


def whole(broken: bool) -> list[str]:
    """The places of a rule judged on the invoice as a whole: one (« ») if broken."""
    return [""] if broken else []


def on_lines(invoice: Invoice, broken: Callable[[Line], bool]) -> list[str]:
    """The places of a rule judged line by line: « ligne N » for each line it breaks."""
    if not any(map(broken, invoice.lines)):  # (most rules hold: no loop of Python code)
        return []
    return [
        f"ligne {line.id or index + 1}" for index, line in enumerate(invoice.lines) if broken(line)
    ]


class RuleSet(list[Rule]):
    """The rules of one module, in the order written: `@RULES.rule(...)` adds a check. The
    modules' rule sets are gathered, explicitly and in one order, by `rulebook`."""

    def rule(
        self, rule_id: str, term: str, message: str, severity: str = FATAL, category: str = ""
    ) -> Callable[[Check], Check]:
        """Add a check returning the places where `rule_id` is broken (`category`: see Rule)."""

        def add(check: Check) -> Check:
            self.append(Rule(rule_id, term, message, check, severity, category))
            return check

        return add


def categories_of(invoice: Invoice) -> set[str]:
    """The VAT categories the invoice's lines, allowances, charges and breakdown use."""
    return {
        *[v.category for v in invoice.vat_breakdown],
        *[
            x.vat_category
            for items in (invoice.lines, invoice.allowances, invoice.charges)
            for x in items
        ],
    }


class Rules(tuple[Rule, ...]):
    """Rules in their order, cut into runs of one VAT category (`Rule.category`, « » for
    none), each held with its checks: a run of a category the invoice does not use is
    skipped whole, not rule by rule."""

    runs: tuple[tuple[str, tuple[tuple[Check, Rule], ...]], ...]

    def __new__(cls, rules: Iterable[Rule] = ()) -> "Rules":
        made = super().__new__(cls, rules)
        made.runs = tuple(
            (category, tuple((item.check, item) for item in run))
            for category, run in itertools.groupby(made, key=attrgetter("category"))
        )
        return made


def findings_of(invoice: Invoice, rules: Iterable[Rule]) -> list[Finding]:
    """The findings of these rules on this invoice, in their order (a rule of a VAT category
    the invoice does not use is not run: it would find nothing)."""
    found, used = [], None
    for category, run in (rules if isinstance(rules, Rules) else Rules(rules)).runs:
        if category:
            if used is None:
                used = categories_of(invoice)
            if category not in used:
                continue
        for check, item in run:
            places = check(invoice)
            if places:  # (most rules hold)
                found += [
                    Finding(item.id, item.severity, item.message, item.term, where)
                    for where in places
                ]
    return found
