"""The official stylesheets' rules, ahead of time: each schematron template's context and
assertions read from the stylesheet, their XPath 2.0 parsed by elementpath (a maintained XPath
2.0 parser) and written back as XPath 1.0 for libxml2 where it can be (`xpath_1`), else kept as
untranslatable (None: the official engine judges those, or the Python rule each copies).

`describe` gives a stylesheet's rules as plain data; `python -m chorale.invoicing.validation.
generate` writes it into the modules of `generated/`, which the engine loads at run time instead
of reading the stylesheets (structure.ruleset). This module runs when the rules are regenerated
(or for a stylesheet without a generated module), not at each process start.
"""

import functools
import hashlib
import re

from elementpath import XPath2Parser
from elementpath.exceptions import ElementPathError
from lxml import etree

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
    ("last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
     "concat", "starts-with", "contains", "substring-before", "substring-after", "substring",
     "string-length", "normalize-space", "translate", "boolean", "not", "true", "false", "lang",
     "number", "sum", "floor", "ceiling", "round")
)  # fmt: skip
COMPARISONS = frozenset(("=", "!=", "<", "<=", ">", ">="))
BINARY = frozenset(("or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod", "|"))
# A function as a path step (« cac:TaxScheme/upper-case(cbc:ID) »): XPath 2.0 only, written
# upper-case(cac:TaxScheme/cbc:ID) (the first node's value, as XPath 1.0 reads a node set).
STEP_FUNCTIONS = ("upper-case", "normalize-space")
# EXSLT, which lxml's XPath offers: regular expressions (matches) and sets (distinct-values).
EXSLT_REGEX, EXSLT_SETS = "exslt-regex", "exslt-sets"
EXSLT = {EXSLT_REGEX: "http://exslt.org/regular-expressions", EXSLT_SETS: "http://exslt.org/sets"}
DOCUMENT = re.compile(r"(?<![\w:.-])document\(")  # XSLT's document(): parsed as fn:doc()


class Untranslatable(Exception):
    """An XPath 2.0 construct with no XPath 1.0 rewriting here."""


class _Writer:
    """XPath 2.0 parsed by elementpath, written back as XPath 1.0 for libxml2: the functions
    XPath 1.0 lacks rewritten (exists, empty, upper-case, lower-case, ends-with), a template's
    variables replaced by their value, a code list of the stylesheet's code database inlined,
    « some $c in tokenize('A B', '\\s') satisfies X = $c » as « (X = 'A' or X = 'B') »,
    « a = true() » read as XPath 2.0 reads it. Anything else XPath 1.0 cannot say raises
    Untranslatable."""

    def __init__(self, namespaces: dict[str, str], variables: dict[str, str], code_list):
        self.parser = XPath2Parser(namespaces=namespaces, strict=False)
        self.variables, self.code_list, self.seen = variables, code_list, set()
        self.depth = 0  # > 0: the context node is not the rule's any more

    def parse(self, expression: str):
        try:
            return self.parser.parse(DOCUMENT.sub("doc(", expression))
        except ElementPathError as error:
            raise Untranslatable(expression) from error

    def write(self, token) -> str:  # one case a kind of token
        symbol, label, children = token.symbol, token.label, list(token)
        if label == "literal":
            return _literal(token)
        if label in ("name", "context item expression") or symbol == "..":
            return str(token.value) if label == "name" else symbol
        if symbol == "*" and not children:
            return "*"
        if symbol == ":":
            prefix, local = children
            if local.label not in ("name",) and local.symbol != "*":
                raise Untranslatable(f"{prefix.value}:{local.symbol}()")
            return f"{prefix.value}:{self.write(local)}"
        if label == "kind test":
            if children:
                raise Untranslatable(symbol)
            return f"{symbol}()"
        if label == "axis":
            return f"{symbol}::{self.write(children[0])}"
        if symbol == "@":
            return "@" + self.write(children[0])
        if symbol in ("/", "//"):
            return self._path(token)
        if symbol == "[":
            base, predicate = children
            head = "self::node()" if base.symbol == "." else self.write(base)
            return f"{head}[{self.shifted(predicate)}]"
        if symbol == "(" and label == "expression":
            if len(children) != 1 or children[0].symbol == ",":
                raise Untranslatable("a sequence")
            return f"({self.write(children[0])})"
        if symbol == "-" and len(children) == 1:
            return "-" + self.write(children[0])
        if symbol in ("=", "!=") and _is_boolean(children[1]) and _plain(children[0]):
            return self._boolean_compared(symbol, children[0], children[1].symbol)
        if symbol in COMPARISONS and any(_items(c) for c in children):
            return self._compared_with_sequence(symbol, *children)
        if symbol in BINARY and len(children) == 2:
            return f"{self.write(children[0])} {symbol} {self.write(children[1])}"
        if symbol == "$":
            return self._variable(children[0].value)
        if symbol == "some":
            return self._some(children)
        if label == "function":
            return self._call(symbol, children)
        raise Untranslatable(symbol)

    def pattern(self, match: str) -> str:
        """An XSLT match pattern as an expression: its relative branches from anywhere."""
        branches, token = [], self.parse(match)
        while token.symbol == "|":
            token, right = token
            branches.insert(0, right)
        branches.insert(0, token)
        written = [self.write(b) for b in branches]
        return " | ".join(w if w.startswith("/") else f"//{w}" for w in written)

    def _path(self, token) -> str:
        symbol, children = token.symbol, list(token)
        if not children:
            return symbol
        if len(children) == 1:
            return symbol + self.shifted(children[0])
        left, right = children
        listed = self._code_list(token)
        if listed is not None:
            return listed
        if right.label == "function" and right.symbol in STEP_FUNCTIONS and symbol == "/":
            return self._function_step(left, right)
        if symbol == "/" and _boolean_step(right):
            # « a/(b = 'X') »: one boolean a node, as a predicate « a[b = 'X'] » (the same in a
            # boolean context, where XPath 2.0 takes the one boolean; several are its error)
            return f"{self.write(left)}[{self.shifted(right[0])}]"
        return f"{self.write(left)}{symbol}{self.shifted(right)}"

    def shifted(self, token) -> str:
        """`token` written where the context node is no longer the rule's (a predicate, a step
        after the first): a variable there may be inlined only if it names no relative node."""
        self.depth += 1
        try:
            return self.write(token)
        finally:
            self.depth -= 1

    def _function_step(self, path, function) -> str:
        arguments = list(function)
        if len(arguments) != 1 or not _plain(path, relative=True):
            raise Untranslatable(function.symbol)
        (argument,) = arguments
        if argument.label == "function" and argument.symbol in STEP_FUNCTIONS:
            (inner,) = list(argument) or [None]
            if inner is None or not _step(inner):
                raise Untranslatable(argument.symbol)
            step = _Written(f"{self.write(path)}/{self.write(inner)}")
            inside = self._call(argument.symbol, [step])
        elif _step(argument):
            inside = f"{self.write(path)}/{self.write(argument)}"
        else:
            raise Untranslatable(function.symbol)
        return self._call(function.symbol, [_Written(inside)])

    def _code_list(self, token) -> str | None:
        """« document('…codedb.xml')/codedb/cl[@id=N]/enumeration[@value=X] », as
        « contains(' A B … ', concat(' ', X, ' ')) » with the list's codes."""
        steps = _steps(token)
        if len(steps) != 4 or steps[0].symbol != "doc":
            return None
        (database,), root, listed, enumeration = list(steps[0]), steps[1], steps[2], steps[3]
        number = _predicate(listed, "cl", "id")
        value = _predicate(enumeration, "enumeration", "value")
        if root.value != "codedb" or number is None or value is None:
            raise Untranslatable("document()")
        codes = " ".join(sorted(self.code_list(database.value, str(number.value))))
        return f"contains(' {codes} ', concat(' ', {self.write(value)}, ' '))"

    def _boolean_compared(self, operator: str, path, value: str) -> str:
        """« a/b = false() » as XPath 2.0 reads it (each node's text cast to a boolean: « false »
        or « 0 »), not as XPath 1.0 does (whether the node set is empty)."""
        wanted = (value == "true") != (operator == "!=")
        words = (
            "'true' or normalize-space(.) = '1'"
            if wanted
            else "'false' or normalize-space(.) = '0'"
        )
        head = "self::node()" if path.symbol == "." else self.write(path)
        return f"boolean({head}[normalize-space(.) = {words}])"

    def _compared_with_sequence(self, operator: str, left, right) -> str:
        """« X = ('A', 'B') »: XPath 2.0's general comparison holds when it holds for one item,
        « (X = 'A' or X = 'B') » in XPath 1.0."""
        lefts = [self.write(i) for i in (_items(left) or [left])]
        rights = [self.write(i) for i in (_items(right) or [right])]
        pairs = [f"{a} {operator} {b}" for a in lefts for b in rights]
        return "(" + " or ".join(pairs) + ")"

    def _variable(self, name: str) -> str:
        """A template variable, inlined: its value is computed from the rule's context node,
        so inlined where the context has moved it must not depend on it."""
        if name not in self.variables or name in self.seen:
            raise Untranslatable(f"${name}")
        self.seen.add(name)
        depth, self.depth = self.depth, 0
        try:
            value = self.parse(self.variables[name])
            written = self.write(value)
        finally:
            self.seen.discard(name)
            self.depth = depth
        if depth and not (value.label == "literal" or written.startswith("/")):
            raise Untranslatable(f"${name} out of its context")
        return f"({written})"

    def _some(self, children) -> str:
        """« some $c in tokenize('30 58', '\\s') satisfies X = $c » as
        « (X = '30' or X = '58') »."""
        variable, domain, condition = children
        name = variable[0].value
        arguments = list(domain)
        if (
            domain.symbol != "tokenize"
            or len(arguments) != 2
            or arguments[0].symbol != "(string)"
            or arguments[1].symbol != "(string)"
            or arguments[1].value != "\\s"
            or condition.symbol != "="
            or condition[1].symbol != "$"
            or condition[1][0].value != name
        ):
            raise Untranslatable("some")
        left = self.write(condition[0])
        codes = str(arguments[0].value).split()
        return "(" + " or ".join(f"{left} = {_quoted(code)}" for code in codes) + ")"

    def _call(self, name: str, children) -> str:
        arguments = [c.text if isinstance(c, _Written) else self.write(c) for c in children]
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
                f"(substring({value}, string-length({value}) - string-length({suffix}) + 1) = "
                f"{suffix})"
            )
        if name == "matches" and len(children) == 2:
            return f"{EXSLT_REGEX}:test({arguments[0]}, {_quoted(_python_regex(children[1]))})"
        if name == "distinct-values" and len(children) == 1:
            return f"{EXSLT_SETS}:distinct({arguments[0]})"  # nodes of distinct string values
        if name in XPATH_1_FUNCTIONS:
            return f"{name}({', '.join(arguments)})"
        raise Untranslatable(name)


def _python_regex(token) -> str:
    """An XPath 2.0 regular expression (a literal) for EXSLT's re:test, which runs Python's, with
    XML Schema's meanings kept: « \\s » is space, tab, CR or LF only, « . » neither CR nor LF,
    « $ » ends the string (not before a final newline); the classes Python reads otherwise
    (\\w, \\p{…}, \\i, \\c, class subtraction) are left to the official engine."""
    if token.symbol != "(string)":
        raise Untranslatable("matches() with a computed pattern")
    pattern, out, index, in_class = str(token.value), [], 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            if escaped in "wWpPiIcC" or (escaped == "S" and in_class):
                raise Untranslatable(pattern)
            space = "\\x20\\t\\n\\r"
            if escaped == "s":
                out.append(space if in_class else f"[{space}]")
            elif escaped == "S":
                out.append(f"[^{space}]")
            else:
                out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[":
            if in_class and pattern[index - 1] == "-":
                raise Untranslatable(pattern)  # XML Schema's class subtraction
            in_class = True
        elif char == "]":
            in_class = False
        if not in_class and char in "$.":  # the end of the string; any but a newline
            out.append("\\Z" if char == "$" else "[^\\n\\r]")
        else:
            out.append(char)
        index += 1
    return "".join(out)


class _Written:
    """A piece already written (the argument a function step is rewritten with)."""

    def __init__(self, text: str):
        self.text = text


def _literal(token) -> str:
    if token.symbol == "(string)":
        return _quoted(str(token.value))
    text = str(token.value)
    if token.symbol == "(float)" or "e" in text.lower():
        raise Untranslatable(text)
    return text


def _quoted(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise Untranslatable(text)


def _items(token) -> list:
    """The items of a parenthesised sequence « (a, b, c) », else []."""
    if token.symbol != "(" or token.label != "expression" or len(token) != 1:
        return []
    items, node = [], token[0]
    while node.symbol == ",":
        node, last = node
        items.insert(0, last)
    return [node, *items] if items else []


def _boolean_step(token) -> bool:
    """A parenthesised step whose value is a boolean (a comparison, and, or, not())."""
    if token.symbol != "(" or token.label != "expression" or len(token) != 1:
        return False
    inner = token[0]
    return inner.symbol in (*COMPARISONS, "and", "or") or (
        inner.label == "function" and inner.symbol in ("not", "exists", "empty", "boolean")
    )


def _is_boolean(token) -> bool:
    return token.label == "function" and token.symbol in ("true", "false") and not list(token)


def _step(token) -> bool:
    """A step of a plain path: a name, a prefixed name, an attribute, « . » or « .. »."""
    if token.symbol == "@":
        return _step(token[0])
    if token.symbol == ":":
        return token[1].label == "name"
    return token.label in ("name", "context item expression") or token.symbol == ".."


def _plain(token, relative: bool = False) -> bool:
    """A relative path of plain steps (no predicate, no function, no axis)."""
    if token.symbol == "/" and len(token) == 2:
        return _plain(token[0], relative) and _step(token[1])
    return _step(token) and not (relative and token.symbol == ".")


def _steps(token) -> list:
    """The steps of a path « a/b/c » (a `/` tree leaning left), first to last."""
    if token.symbol == "/" and len(token) == 2:
        return [*_steps(token[0]), token[1]]
    return [token]


def _predicate(token, name: str, attribute: str):
    """In « name[@attribute = X] », X (None for another shape)."""
    if token.symbol != "[" or token[0].symbol != "(name)" or token[0].value != name:
        return None
    condition = token[1]
    if condition.symbol != "=" or condition[0].symbol != "@" or condition[0][0].value != attribute:
        return None
    return condition[1]


def xpath_1(expression: str, variables: dict[str, str], code_list, namespaces: dict) -> str:
    """The XPath 2.0 of a schematron test, as XPath 1.0 for libxml2 (Untranslatable if none)."""
    writer = _Writer(namespaces, variables, code_list)
    return writer.write(writer.parse(expression))


def context_xpath(match: str, variables: dict[str, str], code_list, namespaces: dict) -> str:
    """The match pattern of a schematron rule, as an XPath 1.0 expression selecting its nodes."""
    return _Writer(namespaces, variables, code_list).pattern(match)


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
    namespaces = {**{k: v for k, v in root.nsmap.items() if k}, **EXSLT}
    ids = (xsl_attribute(n, "id") or "" for n in root.iter(f"{SVRL}failed-assert"))

    @functools.cache
    def code_list(database: str, list_id: str) -> frozenset[str]:
        tree = etree.parse(str(path.parent / database))
        return frozenset(
            e.get("value") for e in tree.getroot().iterfind(f"cl[@id='{list_id}']/enumeration")
        )

    def translated(expression: str, variables: dict[str, str], pattern=False) -> str | None:
        rewrite = context_xpath if pattern else xpath_1
        try:
            rewritten = rewrite(expression, variables, code_list, namespaces)
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
                translated(match, variables, pattern=True),
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
