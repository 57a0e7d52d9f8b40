"""XPath 1.0 paths written as Python over a document's `Tree` (the path half of `pycode`):
a child step is a look-up in a branch's children by tag (`down` from a node set), a plain path
from the root or from a branch alone at its path a look-up of the whole tag path, « //a/b »
the elements of tag b whose path ends so, a predicate a filter; the axes self, parent,
ancestor and preceding by the functions of `xpath`. A position other than « [n] » raises
`Unsupported`."""

import re
from typing import NamedTuple

# The kinds of the values an expression is written to: a node set (a list of branches), one
# branch, an attribute's values, one node's attribute (its value or None), a string, a number
# (a float, or an int for a count) and a boolean.
N, ONE, A, A1, S, F, B = (
    "nodes",
    "one",
    "attributes",
    "attribute of one node",
    "string",
    "number",
    "boolean",
)
# « substring(name(), string-length(name()) - string-length('Amount') + 1) = 'Amount' »
NAME_ENDS = re.compile(
    r"\(?substring\(name\(\),\s*string-length\(name\(\)\)\s*-\s*string-length\('([\w.-]+)'\)"
    r"\s*\+\s*1\)\s*=\s*'\1'\)?"
)


class Unsupported(Exception):
    """An XPath construct this compiler does not write: libxml2 evaluates it."""


class Value(str):
    """The name of a variable holding an attribute's value: the context of its predicate."""


class Step(NamedTuple):
    axis: str  # child, self, parent, ancestor, preceding, attribute, filter
    tag: str | None  # Clark name; None: any element; « {uri}* »: any of that namespace
    predicates: list


class Paths:
    """The path half of `pycode.Compiler`: its values (`value`, `boolean`) come from there."""

    namespaces: dict[str, str]
    constants: dict[str, str]
    fresh: int

    def constant(self, kind: str, source: str) -> str:
        if source not in self.constants:
            self.constants[source] = f"{kind}_{len(self.constants)}"
        return self.constants[source]

    def t(self, tag: str | None) -> str:
        """A tag as the module's constant named after it (« RAM_ID »), interned: the very
        string the walk gives its elements (`_core._tag_of`), which dictionaries and tuples
        then find by identity, not character by character; a name in no namespace (an
        attribute's) as its literal."""
        if tag is None or not tag.startswith("{"):
            return repr(tag)
        source = f"intern({tag!r})"
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
            return f"(attribute_of({ctx}, {self.t(steps[0].tag)}) is not None)"
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
            if kind in (A, A1):
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
            if kind == ONE and not predicates:
                return f"attribute_of({code}, {self.t(step.tag)})", A1
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
                found = f"down({code}, {self.t(step.tag)})"
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
            if step.axis == "ancestor" and kind == ONE and step.tag is not None:
                # (no such ancestor where its path has no such tag: most nodes, no call)
                found = f"({found} if {self.t(step.tag)} in {code}.path else EMPTY)"
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


def is_path(token) -> bool:
    return token.symbol in ("/", "//", "[", ":", "(name)", "*", ".", "..", "@") or (
        token.label == "axis"
    )
