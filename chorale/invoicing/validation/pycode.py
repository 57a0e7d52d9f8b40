"""The rules' XPath 1.0 compiled ahead of time to Python over a document's `Tree`.

Each context and test of a description (`translate`) is parsed by elementpath and written as
one Python expression over the functions of `xpath`: a child step is a dictionary look-up on a
branch, a path from the root a look-up of its tag path, a comparison XPath 1.0's rules on node
sets, strings, numbers and booleans. `render` writes them as a module's functions (kept in
`generated/` by `make rules`); `load` runs such a source where no module is kept. What this
compiler does not cover (a position, the preceding axis, a step after a function…) raises
`Unsupported`, and libxml2 evaluates that XPath instead: `generate` counts and lists them.
"""

import re
from typing import NamedTuple

from elementpath import XPath2Parser
from elementpath.exceptions import ElementPathError

N, ONE, A, S, F, B = "nodes", "one", "attributes", "string", "number", "boolean"
COMPARE = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
# « substring(name(), string-length(name()) - string-length('Amount') + 1) = 'Amount' »
NAME_ENDS = re.compile(
    r"\(?substring\(name\(\),\s*string-length\(name\(\)\)\s*-\s*string-length\('([\w.-]+)'\)"
    r"\s*\+\s*1\)\s*=\s*'\1'\)?"
)
EXSLT = {
    "exslt-regex": "http://exslt.org/regular-expressions",
    "exslt-sets": "http://exslt.org/sets",
}


class Unsupported(Exception):
    """An XPath construct this compiler does not write: libxml2 evaluates it."""


class Value(str):
    """The name of a variable holding an attribute's value: the context of its predicate."""


class Step(NamedTuple):
    axis: str  # child, self, parent, ancestor, attribute, filter
    tag: str | None  # Clark name; None: any element
    predicates: list


class Compiler:
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
            return f"({left} {symbol} {right})", B
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
        if symbol == "|":
            left, right = (self.nodes(c, ctx) for c in children)
            return f"union({left}, {right})", N
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
        if _is_path(token):
            exists = self.exists(token, ctx)
            if exists is not None:
                return exists
        code, kind = self.value(token, ctx)
        return _as_boolean(code, kind)

    def string(self, token, ctx) -> str:
        code, kind = self.value(token, ctx)
        return _as_string(code, kind)

    def number(self, token, ctx) -> str:
        code, kind = self.value(token, ctx)
        if kind == F:
            return code
        if kind == B:
            return f"(1.0 if {code} else 0.0)"
        return f"number({_as_string(code, kind)})"

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
        sets = (N, A)
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
        if left_kind in sets:
            found = _values(left_code, left_kind)
            if right_kind == B:
                left_bool = f"bool({left_code})"
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
            if kind not in (N, A, ONE):
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

    def constant(self, kind: str, source: str) -> str:
        if source not in self.constants:
            self.constants[source] = f"{kind}_{len(self.constants)}"
        return self.constants[source]

    def t(self, tag: str | None) -> str:
        """A tag as the module's constant named after it (« RAM_ID »); a name in no
        namespace (an attribute's) as its literal."""
        if tag is None or not tag.startswith("{"):
            return repr(tag)
        source = repr(tag)
        if source not in self.constants:
            uri, local = tag[1:].split("}")
            prefix = min(known for known, at in self.namespaces.items() if at == uri)
            name = re.sub(r"\W", "_", f"{prefix.upper()}_{local}")
            taken = set(self.constants.values())
            while name in taken:
                name += "_"
            self.constants[source] = name
        return self.constants[source]

    def p(self, tags: tuple[str, ...]) -> str:
        """A tuple of tags as a constant of the module."""
        names = [self.t(tag) for tag in tags]
        return self.constant("PATH", f"({', '.join(names)},)")

    # -- paths --------------------------------------------------------------------------
    def steps(self, token) -> tuple[object, list[Step]]:
        """A path as its start (« context », « root », « anywhere » or an expression's token)
        and its steps."""
        symbol, children = token.symbol, list(token)
        if symbol == "/" and len(children) == 2:
            start, steps = self.steps(children[0])
            return start, [*steps, self.step(children[1])]
        if symbol in ("/", "//") and len(children) == 1:
            return ("root" if symbol == "/" else "anywhere"), [self.step(children[0])]
        if symbol == "(" and token.label == "expression":
            return token, []
        if symbol == "[" and children[0].symbol == "(":
            return children[0], [Step("filter", None, [children[1]])]
        return "context", [self.step(token)]

    def step(self, token) -> Step:
        symbol, label, children = token.symbol, token.label, list(token)
        if symbol == "[":
            base = self.step(children[0])
            return Step(base.axis, base.tag, [*base.predicates, children[1]])
        if label == "name" or (symbol == ":" and children[1].symbol in ("(name)", "*")):
            return Step("child", self.tag(token), [])
        if symbol == "*" and not children:
            return Step("child", None, [])
        if symbol == ".":
            return Step("self", None, [])
        if symbol == "..":
            return Step("parent", None, [])
        if symbol == "@":
            (name,) = children
            if name.symbol == "*":
                raise Unsupported("@*")
            return Step("attribute", self.tag(name), [])
        if label == "axis" and symbol in ("self", "ancestor", "child", "parent", "preceding"):
            (test,) = children
            if test.symbol == "node" and test.label == "kind test" and not list(test):
                return Step(symbol, None, [])
            if test.symbol == "*":
                return Step(symbol, None, [])
            return Step(symbol, self.tag(test), [])
        raise Unsupported(f"the step {token.source}")

    def tag(self, token) -> str:
        """A name's Clark tag; « {uri}* » for « ns:* »."""
        if token.symbol == ":":
            prefix, local = token
            if local.symbol == "*":
                return f"{{{self.namespaces[prefix.value]}}}*"
            if local.label != "name":
                raise Unsupported(token.source)
            return f"{{{self.namespaces[prefix.value]}}}{local.value}"
        if token.label != "name":
            raise Unsupported(token.source)
        return token.value

    def exists(self, token, ctx) -> str | None:
        """boolean(path) without building the node set, where the path allows it."""
        try:
            start, steps = self.steps(token)
        except Unsupported:
            return None
        if any(s.predicates for s in steps) or not steps:
            return None
        tags = plain(steps)
        if start == "root" and tags and len(tags) == len(steps):
            return f"({self.p(tags)} in t.by_path)"
        if start != "context" or ctx is None:
            return None
        if tags and len(tags) == len(steps):
            return (
                f"({self.t(tags[0])} in {ctx}.children)"
                if len(tags) == 1
                else (f"has({ctx}, t, {self.p(tags)})")
            )
        if len(steps) == 1 and steps[0].axis == "attribute":
            return f"({ctx}.element.get({self.t(steps[0].tag)}) is not None)"
        if len(steps) == 1 and steps[0].axis == "self" and steps[0].tag:
            return f"({ctx}.tag == {self.t(steps[0].tag)})"
        return None

    def path(self, token, ctx) -> tuple[str, str]:
        start, steps = self.steps(token)
        if isinstance(ctx, Value) and start == "context":
            if [(s.axis, s.tag, s.predicates) for s in steps] != [("self", None, [])]:
                raise Unsupported("a path from an attribute")
            return ctx, S
        if start == "context":
            if ctx is None:
                raise Unsupported("a relative path from the document")
            code, kind = ctx, ONE
            tags = plain(steps)
            if len(tags) > 1:
                code, kind, steps = f"nodes({ctx}, t, {self.p(tags)})", N, steps[len(tags) :]
        elif start == "root":
            code, kind, steps = self._from_root(steps)
        elif start == "anywhere":
            code, kind, steps = self._anywhere(steps, ctx)
        else:
            code, kind = self.value(start, ctx)
            if kind not in (N, ONE):
                raise Unsupported("a step after a value")
        for step in steps:
            if kind == A:
                raise Unsupported("a step after an attribute")
            code, kind = self.apply(step, code, kind)
        return code, kind

    def _from_root(self, steps: list[Step]) -> tuple[str, str, list[Step]]:
        """« /a/b… », « /*/b… » or « /a[p]/b… »: the root element, then the steps below."""
        first, rest = steps[0], steps[1:]
        tags = plain(rest)
        if first.axis != "child" or (first.tag is not None and wildcard(first.tag)):
            raise Unsupported("a path from the root that is not a plain path")
        if first.tag is None and not first.predicates:
            if tags:
                return f"nodes(t.root, t, {self.p(tags)})", N, rest[len(tags) :]
            return "[t.root]", N, rest
        if first.predicates:
            found = self._filtered(
                f"t.by_path.get({self.p((first.tag,))}, EMPTY)", first.predicates
            )
            return found, N, rest
        tags = plain(steps)
        return f"t.by_path.get({self.p(tags)}, EMPTY)", N, steps[len(tags) :]

    def _anywhere(self, steps: list[Step], ctx) -> tuple[str, str, list[Step]]:
        first = steps[0]
        if first.axis == "attribute":
            return f"with_attribute(t, {self.t(first.tag)})", A, steps[1:]
        if first.axis != "child":
            raise Unsupported("//axis::")
        if wildcard(first.tag):
            suffixes = [
                found.group(1)
                for predicate in first.predicates
                for part in _conjuncts(predicate)
                if (found := NAME_ENDS.fullmatch(part.source))
            ]
            code = f"ending(t, {suffixes[0]!r})" if suffixes else "everywhere(t)"
            if first.tag is not None:
                (node,) = self._names(1)
                code = f"[{node} for {node} in {code}{_in_namespace(node, first.tag)}]"
            return self._filtered(code, first.predicates), N, steps[1:]
        tags = plain(steps)
        if tags:
            return f"anywhere(t, {self.p(tags)})", N, steps[len(tags) :]
        return (
            self._filtered(f"anywhere(t, {self.p((first.tag,))})", first.predicates),
            N,
            steps[1:],
        )

    def apply(self, step: Step, code: str, kind: str) -> tuple[str, str]:
        """The node set one step selects from `code` (one branch, or a node set)."""
        predicates = list(step.predicates)
        if step.axis == "attribute":
            found = (
                f"attribute({code}, {self.t(step.tag)})"
                if kind == ONE
                else (f"attributes({code}, {self.t(step.tag)})")
            )
            for predicate in predicates:
                if _numeric(predicate):
                    raise Unsupported("a position")
                value = Value(self._names(1)[0])
                found = f"[{value} for {value} in {found} if {self.boolean(predicate, value)}]"
            return found, A
        if step.axis == "child" and not wildcard(step.tag):
            position = _position(predicates)
            if position:
                predicates.pop(0)
                many = f"[{code}]" if kind == ONE else code
                found = f"first_child({many}, {self.t(step.tag)}, {position})"
            elif kind == ONE:
                found = f"{code}.children.get({self.t(step.tag)}, EMPTY)"
            else:
                node, child = self._names(2)
                found = f"[{child} for {node} in {code} for {child} in {node}.children.get({self.t(step.tag)}, EMPTY)]"  # noqa: E501
        elif step.axis == "child":
            node, child = self._names(2)
            if kind == ONE:
                found = f"children({code})"
                if step.tag is not None:
                    found = f"[{child} for {child} in {found}{_in_namespace(child, step.tag)}]"
            else:
                found = (
                    f"[{child} for {node} in {code} for {child} in children({node})"
                    f"{_in_namespace(child, step.tag)}]"
                )
        elif step.axis == "self":
            if kind == ONE and not predicates and step.tag is None:
                return code, ONE
            found = f"[{code}]" if kind == ONE else code
            if step.tag is not None:
                (node,) = self._names(1)
                found = f"[{node} for {node} in {found} if {node}.tag == {self.t(step.tag)}]"
        elif step.axis == "parent":
            found = f"up(t, {code})" if kind == ONE else f"parents(t, {code})"
            if step.tag is not None:
                (node,) = self._names(1)
                found = f"[{node} for {node} in {found} if {node}.tag == {self.t(step.tag)}]"
        elif step.axis in ("ancestor", "preceding"):
            many = f"[{code}]" if kind == ONE else code
            found = f"{step.axis}(t, {many}, {self.t(step.tag)})"
        elif step.axis == "filter":
            found, position = code, _position(predicates)
            if position:
                predicates.pop(0)
                found = f"nth({code}, {position})"
        else:
            raise Unsupported(step.axis)
        return self._filtered(found, predicates), N

    def _filtered(self, code: str, predicates: list) -> str:
        for predicate in predicates:
            if _numeric(predicate):
                raise Unsupported("a position")
            (node,) = self._names(1)
            code = f"[{node} for {node} in {code} if {self.boolean(predicate, node)}]"
        return code

    def _names(self, count: int) -> list[str]:
        self.fresh += count
        return [f"n{self.fresh - index}" for index in range(count)]


def _never(*arguments):  # the EXSLT functions are parsed, never run by elementpath
    raise NotImplementedError


def _py(operator: str) -> str:
    return {"=": "==", "!=": "!="}.get(operator, operator)


def _num(code: str) -> str:
    return f"(1.0 if {code} else 0.0)"


def _as_boolean(code: str, kind: str) -> str:
    if kind == B:
        return code
    if kind == ONE:
        return "True"
    if kind in (N, A, S):
        return f"bool({code})"
    return f"truthy({code})"


def _as_string(code: str, kind: str) -> str:
    if kind == S:
        return code
    if kind == ONE:
        return f"string_value({code})"
    if kind == N:
        return f"string_of({code})"
    if kind == A:
        return f"first({code})"
    if kind == F:
        return f"formatted({code})"
    return f"('true' if {code} else 'false')"


def _values(code: str, kind: str) -> str:
    if kind == A:
        return code
    if kind == ONE:
        return f"[string_value({code})]"
    return f"values({code})"


def plain(steps: list[Step]) -> tuple[str, ...]:
    """The tags of the leading child steps without predicates."""
    tags = []
    for step in steps:
        if step.axis != "child" or wildcard(step.tag) or step.predicates:
            break
        tags.append(step.tag)
    return tuple(tags)


def wildcard(tag: str | None) -> bool:
    """Whether a step's tag is a wildcard: « * » (None) or « ns:* »."""
    return tag is None or tag.endswith("}*")


def _in_namespace(node: str, tag: str | None) -> str:
    """The condition a wildcard step puts on a node: none for « * »."""
    return "" if tag is None else f" if {node}.tag.startswith({tag[:-1]!r})"


def _position(predicates: list) -> int:
    """n for a first predicate « [n] » (an integer), else 0."""
    if predicates and predicates[0].symbol == "(integer)" and predicates[0].value >= 1:
        return int(predicates[0].value)
    return 0


NUMERIC = frozenset(("(integer)", "(decimal)", "(double)", "+", "-", "*", "div", "mod"))
NUMBERS = frozenset(("count", "sum", "number", "string-length", "round", "floor", "ceiling"))


def _numeric(predicate) -> bool:
    """Whether a predicate speaks of the node's position: a number, position(), last()."""
    if predicate.symbol in NUMERIC or (
        predicate.label == "function" and predicate.symbol in NUMBERS
    ):
        return True
    return _uses_position(predicate)


def _uses_position(token) -> bool:
    if token.symbol in ("position", "last") and token.label == "function":
        return True
    return any(_uses_position(child) for child in token)


def _conjuncts(token) -> list:
    if token.symbol == "and":
        return [part for child in token for part in _conjuncts(child)]
    if token.symbol == "(" and token.label == "expression" and len(token) == 1:
        return _conjuncts(token[0])
    return [token]


def _is_path(token) -> bool:
    return token.symbol in ("/", "//", "[", ":", "(name)", "*", ".", "..", "@") or (
        token.label == "axis"
    )
