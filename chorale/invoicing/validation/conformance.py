"""Parity with the official rule-by-rule unit tests (CEN `unit-*` test sets).

Each `<test>` names one rule and says whether the document must not trigger it (`success`), must
trigger it as fatal (`error`) or as a warning (`warning`); only the named rule is judged.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..formats.errors import FormatError
from . import native_findings
from .engine import FATAL, WARNING

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
EXPECTATIONS = {"success": None, "error": FATAL, "warning": WARNING}


@dataclass
class Outcome:
    file: str
    rule: str
    expected: str  # success, error, warning
    agreed: bool


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return sum(o.agreed for o in self.outcomes) / len(self.outcomes) if self.outcomes else 1.0

    def by_rule(self) -> dict[str, tuple[int, int]]:
        total, agreed = Counter(), Counter()
        for outcome in self.outcomes:
            total[outcome.rule] += 1
            agreed[outcome.rule] += outcome.agreed
        return {rule: (agreed[rule], total[rule]) for rule in sorted(total)}


def _judge(document: etree._Element) -> list:
    data = etree.tostring(document)
    from ..formats import read_invoice

    try:
        found, invoice = read_invoice(data)
    except FormatError:
        return []
    return native_findings(found, invoice)


def run(folder: Path) -> Report:
    report = Report()
    for path in sorted(folder.glob("*.xml")):
        test_set = etree.parse(str(path)).getroot()
        for test in test_set.iterchildren(f"{VEFA}test"):
            assertion = test.find(f"{VEFA}assert")
            document = next(
                (c for c in test if isinstance(c.tag, str) and not c.tag.startswith(VEFA)), None
            )
            if assertion is None or document is None:
                continue
            findings = _judge(document)
            for kind, severity in EXPECTATIONS.items():
                for expected in assertion.iterchildren(f"{VEFA}{kind}"):
                    rule = (expected.text or "").strip()
                    fired = [f for f in findings if f.rule == rule]
                    if severity is None:
                        agreed = not fired
                    else:
                        agreed = any(f.severity == severity for f in fired)
                    report.outcomes.append(Outcome(path.name, rule, kind, agreed))
    return report
