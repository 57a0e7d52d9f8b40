"""The rules' XPath 1.0 compiled ahead of time to Python over a document's `Tree`.

Each context and test of a description (`translate`) is parsed by elementpath and written as
one Python expression over the functions of `xpath`: its paths by `pysteps`, its comparisons
with XPath 1.0's rules on node sets, strings, numbers and booleans, its functions one by one.
`rulecode` writes them as a module's functions (kept in `generated/` by `make rules`). What
this compiler does not cover (a position other than « [n] », the following axis, a step after
a function…) raises `Unsupported`, and libxml2 evaluates that XPath instead: `generate` counts
and lists them.
"""

import ast

from elementpath import XPath2Parser
from elementpath.exceptions import ElementPathError

from .pysteps import A1, NAME_ENDS, ONE, A, B, F, N, Paths, S, Unsupported, Value, is_path

COMPARE = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
EXSLT = {
    "exslt-regex": "http://exslt.org/regular-expressions",
    "exslt-sets": "http://exslt.org/sets",
}


class Compiler(Paths):
    """Writes XPath 1.0 as Python expressions; the regular expressions and translation tables
    they need become the module's constants (`constants`: source line → name)."""

    def __init__(self, namespaces: dict[str, str]):
        self.namespaces = {**namespaces, **EXSLT}
        self.parser = XPath2Parser(namespaces=self.namespaces, strict=False)
        self.parser.external_function(_never, name="test", prefix="exslt-regex")
        self.parser.external_function(_never, name="distinct", prefix="exslt-sets")
        self.constants: dict[str, str] = {}
        self.fresh = 0

    def parse(self, expression: str):
        try:
            return self.parser.parse(expression)
        except ElementPathError as error:
            raise Unsupported(str(error)) from error

    def test(self, expression: str) -> str:
        """A Python expression, over the branch `b` and the tree `t`, of the test's boolean."""
        return self.boolean(self.parse(expression), "b")

    def context(self, expression: str) -> str:
        """A Python expression, over the tree `t`, of the elements the context selects."""
        code, kind = self.value(self.parse(expression), None)
        if kind != N:
            raise Unsupported("a context that is not a node set")
        return code

    # -- values -------------------------------------------------------------------------
    def value(self, token, ctx) -> tuple[str, str]:
        symbol, label, children = token.symbol, token.label, list(token)
        if label == "literal":
            if symbol == "(string)":
                return repr(token.value), S
            return repr(float(token.value)), F
        if symbol == "(" and label == "expression":
            if len(children) != 1:
                raise Unsupported("a sequence")
            return self.value(children[0], ctx)
        if symbol in ("or", "and"):
            left, right = (self.boolean(c, ctx) for c in children)
            return _code_list(symbol, left, right) or f"({left} {symbol} {right})", B
        if symbol in FLIPPED and len(children) == 2:
            return self.comparison(symbol, children[0], children[1], ctx), B
        if symbol in ("+", "-", "*") and len(children) == 2:
            left, right = (self.number(c, ctx) for c in children)
            return f"({left} {symbol} {right})", F
        if symbol == "-" and len(children) == 1:
            return f"(-{self.number(children[0], ctx)})", F
        if symbol in ("div", "mod"):
            left, right = (self.number(c, ctx) for c in children)
            return f"{'divided' if symbol == 'div' else 'modulo'}({left}, {right})", F
        if symbol == "|":  # « a | b | c »: one union of its operands, sorted once
            operands = ", ".join(self.nodes(c, ctx) for c in _united(token))
            return f"union({operands})", N
        if label in ("function", "external function") or (
            symbol == ":" and children[1].label in ("function", "external function")
        ):
            return self.call(token, ctx)
        return self.path(token, ctx)

    def boolean(self, token, ctx) -> str:
        if token.symbol == "(" and token.label == "expression" and len(token) == 1:
            return self.boolean(token[0], ctx)
        if isinstance(ctx, Value):
            pass
        elif ctx is not None and (ending := NAME_ENDS.fullmatch(token.source)):
            return f"{ctx}.tag.endswith({ending.group(1)!r})"
        if is_path(token):
            exists = self.exists(token, ctx)
            if exists is not None:
                return exists
        code, kind = self.value(token, ctx)
        return _as_boolean(code, kind)

    def string(self, token, ctx) -> str:
        code, kind = self.value(token, ctx)
        return _as_string(code, kind)

    def number(self, token, ctx) -> str:
        return self._as_number(*self.value(token, ctx))

    def nodes(self, token, ctx) -> str:
        code, kind = self.value(token, ctx)
        if kind == ONE:
            return f"[{code}]"
        if kind != N:
            raise Unsupported("a node set expected")
        return code

    # -- comparisons --------------------------------------------------------------------
    def comparison(self, operator: str, left, right, ctx) -> str:
        left_code, left_kind = self.value(left, ctx)
        right_code, right_kind = self.value(right, ctx)
        sets = (N, A, A1)
        if left_kind not in sets and right_kind in sets:
            left_code, left_kind, right_code, right_kind = (
                right_code,
                right_kind,
                left_code,
                left_kind,
            )
            operator = FLIPPED[operator]
        if left_kind == ONE:  # one node: its value, compared as a string would be
            left_code, left_kind = f"string_value({left_code})", S
        if right_kind == ONE:
            right_code, right_kind = f"string_value({right_code})", S
        if left_kind == A1 and right_kind == S and operator in ("=", "!="):
            if operator == "=":
                return f"({left_code} == {right_code})"
            return f"differs_from({left_code}, {right_code})"
        if left_kind in sets:
            found = _values(left_code, left_kind)
            if right_kind == B:
                left_bool = _as_boolean(left_code, left_kind)
                if operator in COMPARE:
                    return f"({_num(left_bool)} {_py(operator)} {_num(right_code)})"
                return f"({left_bool} {_py(operator)} {right_code})"
            if right_kind in sets:
                other = _values(right_code, right_kind)
                if operator == "=":
                    return f"equal({found}, {other})"
                if operator == "!=":
                    return f"differ({found}, {other})"
                return f"compare_sets({found}, {COMPARE[operator]}, {other})"
            if operator in COMPARE or right_kind == F:
                op = COMPARE.get(operator) or ("eq" if operator == "=" else "ne")
                return f"compare({found}, {op}, {self._as_number(right_code, right_kind)})"
            if operator == "=":
                if left_kind == N:
                    return f"has_value({left_code}, {right_code})"
                return f"({right_code} in {found})"
            return f"any_differs({found}, {right_code})"
        if operator in COMPARE:
            left_number = self._as_number(left_code, left_kind)
            return f"({left_number} {_py(operator)} {self._as_number(right_code, right_kind)})"
        if B in (left_kind, right_kind):
            left_bool, right_bool = (
                _as_boolean(left_code, left_kind),
                _as_boolean(right_code, right_kind),
            )
            return f"({left_bool} {_py(operator)} {right_bool})"
        if F in (left_kind, right_kind):
            left_number = self._as_number(left_code, left_kind)
            return f"({left_number} {_py(operator)} {self._as_number(right_code, right_kind)})"
        return f"({left_code} {_py(operator)} {right_code})"

    @staticmethod
    def _as_number(code: str, kind: str) -> str:
        if kind == F:
            return code
        if kind == B:
            return f"(1.0 if {code} else 0.0)"
        return f"number({_as_string(code, kind)})"

    # -- functions ----------------------------------------------------------------------
    def call(self, token, ctx) -> tuple[str, str]:
        if token.symbol == ":":
            token = token[1]
        symbol, arguments = token.symbol, list(token)
        count = len(arguments)
        if symbol in ("true", "false") and not count:
            return str(symbol == "true"), B
        if symbol == "not" and count == 1:
            return f"(not {self.boolean(arguments[0], ctx)})", B
        if symbol == "boolean" and count == 1:
            return self.boolean(arguments[0], ctx), B
        if symbol == "count" and count == 1:
            code, kind = self.value(arguments[0], ctx)
            if kind == A1:
                return f"(0 if {code} is None else 1)", F
            if kind not in (N, A, ONE):
                raise Unsupported("count() of a value")
            return ("1" if kind == ONE else f"len({code})"), F
        if symbol in ("string", "normalize-space", "string-length", "number") and count <= 1:
            if count:
                text = self.string(arguments[0], ctx)
            elif ctx is None:
                raise Unsupported(f"{symbol}() of the document")
            elif isinstance(ctx, Value):
                text = ctx
            else:
                text = f"string_value({ctx})"
            if symbol == "normalize-space":
                return f"normalized({text})", S
            if symbol == "string-length":
                return f"len({text})", F
            if symbol == "number":
                return (self.number(arguments[0], ctx) if count else f"number({text})"), F
            return text, S
        if symbol == "contains" and count == 2:
            listed = self._listed(arguments, ctx)
            if listed:
                return listed, B
            text, part = (self.string(a, ctx) for a in arguments)
            return f"({part} in {text})", B
        if symbol == "starts-with" and count == 2:
            text, part = (self.string(a, ctx) for a in arguments)
            return f"{text}.startswith({part})", B
        if symbol in ("substring-after", "substring-before") and count == 2:
            text, part = (self.string(a, ctx) for a in arguments)
            return f"{'after' if symbol.endswith('after') else 'before'}({text}, {part})", S
        if symbol == "substring" and count in (2, 3):
            text = self.string(arguments[0], ctx)
            numbers = ", ".join(self.number(a, ctx) for a in arguments[1:])
            return f"substring({text}, {numbers})", S
        if symbol == "concat" and count >= 2:
            return "(" + " + ".join(self.string(a, ctx) for a in arguments) + ")", S
        if symbol == "translate" and count == 3:
            return self._translate(arguments, ctx), S
        if symbol == "sum" and count == 1:
            code, kind = self.value(arguments[0], ctx)
            if kind not in (N, A, A1, ONE):
                raise Unsupported("sum() of a value")
            return f"total({_values(code, kind)})", F
        if symbol == "round" and count == 1:
            return f"rounded({self.number(arguments[0], ctx)})", F
        if symbol in ("name", "local-name") and not count and isinstance(ctx, str):
            if isinstance(ctx, Value):
                raise Unsupported("the name of an attribute")
            return f"{symbol.replace('-', '_')}({ctx})", S
        if symbol == "local-name" and count == 1:
            return f"local_name_of({self.nodes(arguments[0], ctx)})", S
        if symbol == "test" and count in (2, 3):
            return self._regex(arguments, ctx), B
        if symbol == "distinct" and count == 1:
            return f"distinct({self.nodes(arguments[0], ctx)})", N
        raise Unsupported(f"{symbol}()")

    def _listed(self, arguments, ctx) -> str | None:
        """« contains(' A B ', concat(' ', x, ' ')) »: a code in a list, by a set look-up."""
        codes, joined = arguments
        parts = list(joined)
        if not (
            codes.symbol == "(string)"
            and joined.symbol == "concat"
            and len(parts) == 3
            and parts[0].symbol == parts[2].symbol == "(string)"
            and parts[0].value == parts[2].value == " "
        ):
            return None
        text = self.string(parts[1], ctx)
        single = sorted(code for code in codes.value.split() if f" {code} " in codes.value)
        known = self.constant("CODES", f"frozenset({single!r})")
        written = self.constant("LIST", repr(codes.value))
        return f"listed({text}, {known}, {written})"

    def _translate(self, arguments, ctx) -> str:
        text = self.string(arguments[0], ctx)
        source, target = arguments[1], arguments[2]
        if source.symbol == "(string)" and target.symbol == "(string)":
            table: dict[int, int | None] = {}
            for index, char in enumerate(source.value):
                replacement = ord(target.value[index]) if index < len(target.value) else None
                table.setdefault(ord(char), replacement)
            return f"{text}.translate({self.constant('TABLE', repr(table))})"
        return f"translated({text}, {self.string(source, ctx)}, {self.string(target, ctx)})"

    def _regex(self, arguments, ctx) -> str:
        """EXSLT re:test as lxml runs it: Python's re, searched, « i » for case."""
        pattern = arguments[1]
        flags = arguments[2].value if len(arguments) == 3 else ""
        if pattern.symbol != "(string)" or not isinstance(flags, str):
            raise Unsupported("a regular expression not written out")
        options = "re.UNICODE | re.IGNORECASE" if "i" in flags else "re.UNICODE"
        compiled = self.constant("PATTERN", f"re.compile({pattern.value!r}, {options})")
        return f"({compiled}.search({self.string(arguments[0], ctx)}) is not None)"


def _never(*arguments):  # the EXSLT functions are parsed, never run by elementpath
    raise NotImplementedError


def _py(operator: str) -> str:
    return {"=": "==", "!=": "!="}.get(operator, operator)


def _num(code: str) -> str:
    return f"(1.0 if {code} else 0.0)"


# Each kind's value written as a boolean, a string, and a node set's string values (XPath 1.0's
# boolean(), string(), and what a comparison with a node set compares).
AS_BOOLEAN = {
    B: lambda code: code,
    A1: lambda code: f"({code} is not None)",
    ONE: lambda code: "True",
    N: lambda code: f"bool({code})",
    A: lambda code: f"bool({code})",
    S: lambda code: f"bool({code})",
    F: lambda code: f"truthy({code})",
}
AS_STRING = {
    S: lambda code: code,
    A1: lambda code: f"({code} or '')",
    ONE: lambda code: f"string_value({code})",
    N: lambda code: f"string_of({code})",
    A: lambda code: f"first({code})",
    F: lambda code: f"formatted({code})",
    B: lambda code: f"('true' if {code} else 'false')",
}
VALUES = {
    A: lambda code: code,
    A1: lambda code: f"present({code})",
    ONE: lambda code: f"[string_value({code})]",
    N: lambda code: f"values({code})",
}


def _as_boolean(code: str, kind: str) -> str:
    return AS_BOOLEAN[kind](code)


def _as_string(code: str, kind: str) -> str:
    return AS_STRING[kind](code)


def _values(code: str, kind: str) -> str:
    return VALUES[kind](code)


def _united(token) -> list:
    """The operands of a chain of unions (« a | b | c » parses as « (a | b) | c »)."""
    if token.symbol != "|":
        return [token]
    return [operand for child in token for operand in _united(child)]


def _code_list(symbol: str, left: str, right: str) -> str | None:
    """The two ways the rule sets check a code against a list, as one call that computes the
    code once: « string-length(x) = 0 or contains(' A B ', concat(' ', x, ' ')) » (Factur-X)
    and « not(contains(normalize-space(x), ' ')) and contains(' A B ', concat(' ',
    normalize-space(x), ' ')) » (CEN)."""
    call = _call(right, "listed", 3)
    if call is None:
        return None
    text, codes, written = call
    if symbol == "or" and _same(left, f"len({text}) == 0.0"):
        return f"empty_or_listed({text}, {codes}, {written})"
    spaced = _call(text, "normalized", 1)
    if symbol == "and" and spaced and _same(left, f"not (' ' in {text})"):
        return f"code_listed({spaced[0]}, {codes}, {written})"
    return None


def _same(code: str, other: str) -> bool:
    """Whether two Python expressions are the same but for their parentheses."""
    return ast.dump(ast.parse(code, mode="eval")) == ast.dump(ast.parse(other, mode="eval"))


def _call(code: str, name: str, count: int) -> list[str] | None:
    """The arguments' code of « name(…) » when `code` is exactly one such call."""
    node = ast.parse(code, mode="eval").body
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and len(node.args) == count
        and not node.keywords
    ):
        return None
    return [ast.get_source_segment(code, argument) or "" for argument in node.args]
