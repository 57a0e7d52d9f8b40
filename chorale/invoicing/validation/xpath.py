"""XPath 1.0's values and functions over a document's `Tree`, for the rules compiled to Python
(`pycode`, written into `generated/`): a node set is a list of branches (an attribute's, a
list of its values), a string a `str`, a number a `float`, a boolean a `bool`.

Numbers are read as the official engine (XPath 2.0 on Saxon) casts text to xs:double: correctly
rounded, an exponent and INF allowed; anything else is NaN.
"""

import decimal
import itertools
import math
import operator
import re
import sys
from collections.abc import Callable

from lxml import etree

from .. import compiled
from ..formats.tree import Branch, Tree

BLANKS = re.compile(r"[ \t\r\n]+")
# xs:double, its digits ASCII ones only (« ٣ » is no number, as for Saxon and libxml2)
DOUBLE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF", re.ASCII)
STRING = etree.XPath("string(.)")
NAN = math.nan
EMPTY = ()


def string_value(branch: Branch) -> str:
    """The XPath string value of an element: its text and its descendants'."""
    element = branch.element
    return (element.text or "") if not len(element) else STRING(element)


def values(nodes: list[Branch]) -> list[str]:
    """The string value of each node."""
    return [string_value(node) for node in nodes]


def string_of(nodes: list[Branch]) -> str:
    """string(node set): the first node's in document order, « » for none."""
    if not nodes:
        return ""
    if len(nodes) == 1:
        return string_value(nodes[0])
    return string_value(min(nodes, key=_order))


def first(found: list[str]) -> str:
    """string() of an attribute's values (already in document order)."""
    return found[0] if found else ""


_order = operator.attrgetter("order")  # a branch's place in document order (as a sort key)


def normalized(text: str) -> str:
    """normalize-space(): XML's four blanks only, not every Unicode space."""
    if " " not in text and "\t" not in text and "\n" not in text and "\r" not in text:
        return text  # a code, as it usually is
    return " ".join(part for part in BLANKS.split(text) if part)


def number(text: str) -> float:
    """A string as a number (NaN when it is none)."""
    text = text.strip(" \t\r\n")
    if not DOUBLE.fullmatch(text):
        return NAN
    return float(text.replace("INF", "inf"))


def truthy(value: float) -> bool:
    """boolean(number): neither zero nor NaN."""
    return value != 0 and value == value


def formatted(value: float) -> str:
    """string(number) as XPath 1.0 writes it: no exponent, no « .0 »."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value):
        return str(int(value))
    return format(decimal.Decimal(repr(value)), "f")


def rounded(value: float) -> float:
    """round(): the nearest integer, halves up; NaN and the infinities stay."""
    if value != value or math.isinf(value):
        return value
    return float(math.floor(value + 0.5))


def divided(left: float, right: float) -> float:
    if right == 0:
        if left != left or left == 0:
            return NAN
        return math.copysign(math.inf, left) * math.copysign(1, right)
    return left / right


def modulo(left: float, right: float) -> float:
    if right == 0 or math.isinf(left) or left != left or right != right:
        return NAN
    return math.fmod(left, right)


def total(found: list[str]) -> float:
    """sum() of the nodes' values, added in order as doubles (as libxml2 and Saxon do)."""
    return sum([number(text) for text in found]) if found else 0.0


def after(text: str, separator: str) -> str:
    """substring-after()."""
    if not separator:
        return text
    _head, found, tail = text.partition(separator)
    return tail if found else ""


def before(text: str, separator: str) -> str:
    """substring-before()."""
    if not separator:
        return ""
    head, found, _tail = text.partition(separator)
    return head if found else ""


def substring(text: str, start: float, length: float | None = None) -> str:
    """substring(): the characters at positions p, counted from 1, with round(start) <= p <
    round(start) + round(length)."""
    begin = rounded(start)
    end = math.inf if length is None else begin + rounded(length)
    if begin != begin or end != end:
        return ""  # NaN
    low, high = max(begin, 1), min(end, len(text) + 1)
    return text[int(low) - 1 : int(high) - 1] if high > low else ""


def translated(text: str, source: str, target: str) -> str:
    """translate() with arguments only known when run."""
    table: dict[int, int | None] = {}
    for index, char in enumerate(source):
        table.setdefault(ord(char), ord(target[index]) if index < len(target) else None)
    return text.translate(table)


def name(branch: Branch) -> str:
    """name(): the element's name as the document writes it (prefix:local)."""
    element = branch.element
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def local_name(branch: Branch) -> str:
    return etree.QName(branch.element).localname


def local_name_of(found: list[Branch]) -> str:
    """local-name(node set): the first node's."""
    return local_name(min(found, key=_order)) if found else ""


def equal(left: list[str], right: list[str]) -> bool:
    """node set = node set: some pair of equal string values."""
    return bool(right) and not set(right).isdisjoint(left)


# (The node sets below are small, most of one node or none: loops, not generators.)
def differ(left: list[str], right: list[str]) -> bool:
    """node set != node set: some pair of different string values."""
    for a in left:
        for b in right:
            if a != b:
                return True
    return False


def has_value(found: list[Branch], text: str) -> bool:
    """node set = string: some node whose string value is the text (no list of values)."""
    for branch in found:  # noqa: SIM110 — a loop, not any()'s generator
        if string_value(branch) == text:
            return True
    return False


def any_differs(found: list[str], text: str) -> bool:
    """node set != string."""
    return found.count(text) < len(found)


def compare(found: list[str], operator, value: float) -> bool:
    """node set <op> number: some node whose value, as a number, compares so."""
    for text in found:  # noqa: SIM110 — a loop, not any()'s generator
        if operator(number(text), value):
            return True
    return False


def compare_sets(left: list[str], operator, right: list[str]) -> bool:
    right_numbers = [number(text) for text in right]
    for a in left:
        first = number(a)
        for b in right_numbers:
            if operator(first, b):
                return True
    return False


def children(branch: Branch) -> list[Branch]:
    """child::* in document order."""
    found = [child for group in branch.children.values() for child in group]
    if len(branch.children) > 1:
        found.sort(key=_order)
    return found


def down(found: list[Branch], tag: str) -> list[Branch]:
    """A child step from a node set (« …/b »): each node's children b, in document order."""
    return [child for node in found for child in node.children.get(tag, EMPTY)]


def nodes(branch: Branch, tree: Tree, tags: tuple) -> list[Branch]:
    """a/b/c from one branch: by its path when it is the only element there, none when no
    element of the document has that path."""
    found = tree.by_path.get(branch.path + tags)
    if found is None:
        return EMPTY
    if branch.alone:
        return found
    found = [branch]
    for tag in tags:
        found = [child for node in found for child in node.children.get(tag, EMPTY)]
    return found


def has(branch: Branch, tree: Tree, tags: tuple) -> bool:
    """boolean(a/b/c) from one branch (false at once when no element of the document has that
    path, as for most of the elements a rule forbids)."""
    if branch.path + tags not in tree.by_path:
        return False
    if branch.alone:
        return True
    found = [branch]
    for tag in tags[:-1]:
        found = [child for node in found for child in node.children.get(tag, EMPTY)]
    last = tags[-1]
    return any(last in node.children for node in found)


def anywhere(tree: Tree, tags: tuple) -> list[Branch]:
    """//a/b: the elements whose path ends with these tags, in document order."""
    found = tree.by_tag.get(tags[-1], EMPTY)
    if len(tags) == 1:
        return found
    size = len(tags)
    return [branch for branch in found if branch.path[-size:] == tags]


def everywhere(tree: Tree) -> list[Branch]:
    """//*: every element."""
    return tree.branches()


def ending(tree: Tree, suffix: str) -> list[Branch]:
    """//*[name ending with suffix]: the candidates, by tag (document order not needed)."""
    return [b for tag, found in tree.by_tag.items() if tag.endswith(suffix) for b in found]


def parents(tree: Tree, found: list[Branch]) -> list[Branch]:
    """.. of a node set: each parent once, in document order."""
    branches = tree.branches()
    result = {branches[branch.up]: None for branch in found if branch.up >= 0}
    return sorted(result, key=_order) if len(result) > 1 else list(result)


def up(tree: Tree, branch: Branch) -> list[Branch]:
    """.. of one branch, as a node set."""
    return [] if branch.up < 0 else [tree.branches()[branch.up]]


def ancestor(tree: Tree, found: list[Branch], tag: str | None) -> list[Branch]:
    """ancestor::tag (ancestor::* with None) of a node set, in document order."""
    branches, result = tree.branches(), {}
    for branch in found:
        if tag is not None and tag not in branch.path[:-1]:
            continue
        while branch.up >= 0:
            branch = branches[branch.up]
            if tag is None or branch.tag == tag:
                result[branch] = None
    return sorted(result, key=_order)


def preceding(tree: Tree, found: list[Branch], tag: str | None) -> list[Branch]:
    """preceding::tag (preceding::* with None) of a node set: the elements before each node
    in document order, its ancestors excepted."""
    result = {}
    candidates = tree.branches() if tag is None else tree.by_tag.get(tag, EMPTY)
    for branch in found:
        above, element = set(), branch.element.getparent()
        while element is not None:
            above.add(element)
            element = element.getparent()
        for candidate in candidates:
            if candidate.order >= branch.order:
                break
            if candidate.element not in above:
                result[candidate] = None
    return sorted(result, key=_order) if len(found) > 1 else list(result)


def attribute_of(branch: Branch, name: str) -> str | None:
    """@name of one branch: its value, None where it is absent."""
    return branch.element.get(name)


def attribute(branch: Branch, name: str) -> list[str]:
    """@name of one branch, as a list of values."""
    value = attribute_of(branch, name)
    return [] if value is None else [value]


def present(value: str | None) -> list[str]:
    """An attribute of one node as a node set's values."""
    return [] if value is None else [value]


def differs_from(value: str | None, text: str) -> bool:
    """@a != 'x' of one node: it carries the attribute, with another value."""
    return value is not None and value != text


def attributes(found: list[Branch], name: str) -> list[str]:
    return [value for b in found if (value := b.element.get(name)) is not None]


def with_attribute(tree: Tree, name: str) -> list[str]:
    """//@name: its values over the whole document."""
    return [b.element.get(name) for b in tree.with_attribute(name)]


def union(*operands: list[Branch]) -> list[Branch]:
    """a | b | …: each node once, in document order."""
    found = [operand for operand in operands if operand]
    if len(found) < 2:
        return list(found[0]) if found else []
    return sorted(dict.fromkeys(itertools.chain.from_iterable(found)), key=_order)


def distinct(found: list[Branch]) -> list[Branch]:
    """EXSLT set:distinct: the first node of each string value."""
    seen: dict[str, Branch] = {}
    for branch in found:
        seen.setdefault(string_value(branch), branch)
    return list(seen.values())


def listed(text: str, codes: frozenset, written: str) -> bool:
    """contains(' A B ', concat(' ', text, ' ')): a code of the list, or (a text with a
    blank) a run of the written list."""
    if text and " " not in text:
        return text in codes
    return f" {text} " in written


def empty_or_listed(text: str, codes: frozenset, written: str) -> bool:
    """string-length(x) = 0 or contains(' A B ', concat(' ', x, ' ')), x read once."""
    return not text or listed(text, codes, written)


def code_listed(text: str, codes: frozenset, written: str) -> bool:
    """not(contains(normalize-space(x), ' ')) and contains(' A B ', concat(' ',
    normalize-space(x), ' ')), x read and normalized once."""
    text = normalized(text)
    return " " not in text and listed(text, codes, written)


def forbidden(branch: Branch, tree: Tree, table: dict, skip: frozenset) -> list[int]:
    """The « not(a/b) » asserts a branch alone at its path breaks, from the paths below it:
    `table` gives, for each relative path, the indexes of the asserts it breaks. The table is
    written once per branch path with the whole paths, then met with the document's paths
    (one intersection of their keys, in C)."""
    key = (id(table), branch.path)
    held = _WHOLE_PATHS.get(key)
    if held is None or held[0] is not table:
        if len(_WHOLE_PATHS) >= MOST_WHOLE_PATHS:
            _WHOLE_PATHS.clear()  # (a hostile file's many paths)
        prefix = branch.path
        whole = {prefix + path: hit for path, hit in table.items()}
        held = _WHOLE_PATHS[key] = (table, whole)
    whole, found = held[1], set()
    for path in whole.keys() & tree.by_path.keys():
        found.update(whole[path])
    return [index for index in found if index not in skip]


_WHOLE_PATHS: dict[tuple[int, tuple], tuple[dict, dict]] = {}  # `forbidden`'s tables
MOST_WHOLE_PATHS = 1024


def nth(found: list[Branch], position: int) -> list[Branch]:
    """(node set)[n]: its n-th node in document order."""
    ordered = sorted(found, key=_order) if len(found) > 1 else found
    return ordered[position - 1 : position]


def first_child(found: list[Branch], tag: str, position: int) -> list[Branch]:
    """a/b[n]: the n-th child b of each node."""
    return [
        group[position - 1]
        for branch in found
        if len(group := branch.children.get(tag, EMPTY)) >= position
    ]


def _compiled_helpers() -> None:
    """The helpers the compiled rules call most (`_core.HELPERS`: string values, child paths,
    « //a/b »), on the compiled core where it is built; it hands the branches of a tree the
    pure-Python walk made back to the functions above."""
    core = compiled.CORE
    if core is not None:
        PYTHON_HELPERS.update({name: globals()[name] for name in core.HELPERS})
        core.helpers_from(sys.modules[__name__])
        globals().update({name: getattr(core, name) for name in core.HELPERS})


PYTHON_HELPERS: dict[str, Callable] = {}  # the Python ones the compiled core replaced


# What the generated modules import: every public function here, and EMPTY.
__all__ = [
    "EMPTY",
    *(
        n
        for n, v in list(globals().items())
        if callable(v) and getattr(v, "__module__", "") == __name__ and not n.startswith("_")
    ),
]
_compiled_helpers()  # (after __all__: the compiled ones are named there too)
