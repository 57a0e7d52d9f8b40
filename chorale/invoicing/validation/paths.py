"""The XPath the syntax rules mostly use, compiled to Python over a document's `Tree`.

Nine in ten syntax assertions are one of a few shapes — « not(cac:A/cbc:B) », « count(ram:X)
<= 1 », « @schemeID », a value in a code list — and most contexts are a plain path. Asked of
the branches' dictionaries these cost a fraction of a microsecond, where libxml2's XPath
machine costs a few. Any other expression stays an lxml XPath, run on the branch's element,
so the compiled rules keep exactly the semantics of the XPath they come from.
"""

import itertools
import math
import re
from collections.abc import Callable

from lxml import etree

from ..formats.tree import Branch, Tree
from .xpath import (
    PATH,
    QNAME,
    STEP,
    closing,
    descend,
    normalized,
    selection,
    split,
    steps_of,
    string_value,
    tag_of,
    unwrapped,
    value_reader,
)

NOT = re.compile(rf"not\(\s*({PATH})\s*\)")
ANCESTOR = re.compile(rf"(not\(\s*)?ancestor::({QNAME})((?:/{STEP})*)\s*(\)?)")
EXISTS = re.compile(rf"(?:boolean\(\s*({PATH})\s*\)|({PATH}))")
COUNT = re.compile(rf"count\(\s*({PATH})\s*\)\s*(<=|>=|!=|=|<|>)\s*(\d+)")
COUNTS = re.compile(
    rf"count\(\s*({PATH})\s*\)\s*-\s*count\(\s*({PATH})\s*\)\s*(<=|>=|!=|=|<|>)\s*(\d+)"
)
EQUALS = re.compile(rf"(\.|{PATH})\s*(!?=)\s*(?:'([^']*)'|\"([^\"]*)\"|(true|false)\(\))")
# « @a = ../../b » (« != »): two plain paths compared, node by node
SIDE = rf"\.|(?:\.\./)*/?{PATH}"
COMPARED = re.compile(rf"({SIDE})\s*(!?=)\s*({SIDE})")
# « boolean(a/b[normalize-space(.) = 'false' or normalize-space(.) = '0']) »: how
# structure.py writes XPath 2.0's « a/b = false() » (each node's text cast to a boolean)
AS_BOOLEAN = re.compile(
    rf"boolean\(({PATH})\[normalize-space\(\.\) = '(\w+)' or normalize-space\(\.\) = '(\w+)'\]\)"
)
PRESENT = re.compile(rf"(?:(not)\(\s*({SIDE})\s*\)|({SIDE}))")
# « string-length(substring-after(../ram:X[1], '.')) <= 2 »: the decimals of the first node
FIRST = rf"\.|(?:\.\./)*{QNAME}(?:/{QNAME})*(?:\[1\])?"
DECIMALS = re.compile(
    rf"string-length\(substring-after\(({FIRST}),\s*'([^']+)'\)\)\s*(<=|>=|=|<|>)\s*(\d+)"
)
NORMALIZED = rf"normalize-space\((\.|@{QNAME})\)"
IN_NORMALIZED_LIST = re.compile(rf"contains\('([^']*)',\s*concat\(' ',\s*{NORMALIZED},\s*' '\)\)")
HAS_SPACE = re.compile(rf"contains\({NORMALIZED},\s*' '\)")
NAME_ENDS = re.compile(
    r"\(?substring\(name\(\),\s*string-length\(name\(\)\)\s*-\s*string-length\('([\w.-]+)'\)"
    r"\s*\+\s*1\)\s*=\s*'\1'\)?"
)
# « . = round(. * 100) div 100 »: at most two decimals, with the number read as a correctly
# rounded double (libxml2 reads « 1.64 » as 1.6400000000000001, which Saxon does not).
ROUNDED = re.compile(r"\.\s*=\s*round\(\s*\.\s*\*\s*(\d+)\s*\)\s*div\s*(\d+)")
DOUBLE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF")  # xs:double
VALUE = r"\((\.|@" + QNAME + r")\)"
IN_LIST = re.compile(
    rf"string-length\({VALUE}\)\s*=\s*0\s+or\s+contains\('([^']*)',\s*concat\(' ',\s*{VALUE},"
    r"\s*' '\)\)"
)
COMPARE = {
    "<=": int.__le__,
    ">=": int.__ge__,
    "=": int.__eq__,
    "!=": int.__ne__,
    "<": int.__lt__,
    ">": int.__gt__,
}

Test = Callable[[Branch, Tree], bool]
Context = Callable[[Tree], list[Branch]]


def counter(path: str, namespaces) -> Callable[[Branch, Tree], int]:
    """How many nodes `path` selects from a branch."""
    absolute, steps, attribute = steps_of(path, namespaces)
    if absolute:
        return _descendants(steps, attribute)
    if attribute and not steps:  # « @a »: the branch's own attribute
        return lambda branch, tree: branch.element.get(attribute) is not None
    relatives = list(itertools.product(*steps))  # « (a|b)/c » → (a, c), (b, c)
    walk = [(alternatives, None) for alternatives in steps]
    if len(relatives) == 1 and not attribute:
        (relative,) = relatives
        if len(relative) == 1:  # « ram:X »: the branch's own children of that tag
            (tag,) = relative
            return lambda branch, tree: len(branch.children.get(tag, ()))

        def count_one(branch: Branch, tree: Tree) -> int:
            if branch.alone:  # the only element at its path: count by path
                return len(tree.by_path.get(branch.path + relative, ()))
            return len(descend([branch], walk, tree))

        return count_one

    def count(branch: Branch, tree: Tree) -> int:
        if branch.alone:
            found = [b for r in relatives for b in tree.by_path.get(branch.path + r, ())]
        else:
            found = descend([branch], walk, tree)
        if attribute:
            return sum(b.element.get(attribute) is not None for b in found)
        return len(found)

    return count


def _from_root(tree: Tree, steps, anywhere: bool) -> list[Branch]:
    """« /a[…]/b » from the root element, or with `anywhere` « //a[…]/b » (any a)."""
    (first, test), rest = steps[0], steps[1:]
    if anywhere:
        found = [b for tag in first for b in tree.by_tag.get(tag, ())]
    else:
        found = [b for tag in first for b in tree.by_path.get((tag,), ())]
    if test:
        found = [b for b in found if test(b, tree)]
    return descend(found, rest, tree)


def _descendants(steps, attribute: str) -> Callable[[Branch, Tree], int]:
    """« //a/b/@c » counts over the whole document, whatever the context node: the elements
    of the last step's tags whose path ends with the steps (and that carry the attribute)."""
    if not steps:
        return lambda branch, tree: len(tree.with_attribute(attribute))
    size, last = len(steps), steps[-1]
    endings = set(itertools.product(*steps))  # « //(a|b)/c » → (a, c), (b, c)

    def count(branch: Branch, tree: Tree) -> int:
        total = 0
        for tag in last:
            for found in tree.by_tag.get(tag, ()):
                if found.path[-size:] in endings:
                    total += not attribute or found.element.get(attribute) is not None
        return total

    return count


def _ancestor(name: str, below: str, namespaces) -> Test:
    """« ancestor::a/b »: some ancestor `a` of the branch has a `b` below it."""
    tag = tag_of(name, namespaces)
    count = counter(below, namespaces) if below else None

    def found(branch: Branch, tree: Tree) -> bool:
        # Branches keep no parent (no reference cycle: a tree is freed as soon as it is
        # dropped); the ancestors' paths say whether one is `a` before lxml is asked.
        if tag not in branch.path[:-1]:
            return False
        element = branch.element.getparent()
        while element is not None:
            if element.tag == tag:
                ancestor = tree.branch_of(element)
                if count is None or count(ancestor, tree):
                    return True
            element = element.getparent()
        return False

    return found


def _equals(select, literal: str, differs: bool) -> Test:
    """« a/b = 'x' » (« != »): some node the path selects has (has not) that string value."""
    if differs:
        return lambda branch, tree: any(value != literal for value in select(branch, tree))
    return lambda branch, tree: literal in select(branch, tree)


def _compared(left, right, differs: bool) -> Test:
    """« @a = /b/c » (« != »): some pair of nodes, one on each side, with equal (different)
    string values."""

    def compared(branch: Branch, tree: Tree) -> bool:
        values = right(branch, tree)
        if not values:
            return False
        if differs:
            return any(a != b for a in left(branch, tree) for b in values)
        return not set(values).isdisjoint(left(branch, tree))

    return compared


def absent_paths(expression: str, namespaces) -> frozenset[tuple] | None:
    """The relative tag paths whose absence « not(a/(b|c)) » asks for, else None."""
    match = NOT.fullmatch(unwrapped(expression))
    if match is None:
        return None
    absolute, steps, attribute = steps_of(match.group(1), namespaces)
    return None if absolute or attribute else frozenset(itertools.product(*steps))


def compile_test(expression: str, namespaces) -> Test | None:
    """A Python test for an XPath 1.0 expression of a known shape, else None."""
    expression = unwrapped(expression)
    if expression in ("true()", "false()"):
        constant = expression == "true()"
        return lambda branch, tree: constant
    if match := NOT.fullmatch(expression):
        count = counter(match.group(1), namespaces)
        return lambda branch, tree: count(branch, tree) == 0
    if (match := ANCESTOR.fullmatch(expression)) and bool(match.group(1)) == bool(match.group(4)):
        found = _ancestor(match.group(2), match.group(3).lstrip("/"), namespaces)
        if match.group(1):
            return lambda branch, tree: not found(branch, tree)
        return found
    if match := COUNT.fullmatch(expression):
        count, compare = counter(match.group(1), namespaces), COMPARE[match.group(2)]
        bound = int(match.group(3))
        return lambda branch, tree: compare(count(branch, tree), bound)
    if match := EXISTS.fullmatch(expression):
        count = counter(match.group(1) or match.group(2), namespaces)
        return lambda branch, tree: count(branch, tree) > 0
    if match := COUNTS.fullmatch(expression):
        first, second = counter(match.group(1), namespaces), counter(match.group(2), namespaces)
        compare, bound = COMPARE[match.group(3)], int(match.group(4))
        return lambda branch, tree: compare(first(branch, tree) - second(branch, tree), bound)
    if match := EQUALS.fullmatch(expression):
        path, differs = match.group(1), match.group(2) == "!="
        if match.group(5):  # « a = false() »: the boolean of the node set
            count, wanted = counter(path, namespaces), (match.group(5) == "true") != differs
            return lambda branch, tree: (count(branch, tree) > 0) == wanted
        literal = match.group(3) if match.group(3) is not None else match.group(4)
        return _equals(selection(path, namespaces), literal, differs)
    if (match := AS_BOOLEAN.fullmatch(expression)) and (
        select := selection(match.group(1), namespaces)
    ):
        words = {match.group(2), match.group(3)}
        return lambda branch, tree: any(normalized(v) in words for v in select(branch, tree))
    if (match := PRESENT.fullmatch(expression)) and (
        select := selection(match.group(2) or match.group(3), namespaces)
    ):
        absent = bool(match.group(1))  # « not(/a/b) », « ../a »: a path counter() does not read
        return lambda branch, tree: bool(select(branch, tree)) != absent
    if match := COMPARED.fullmatch(expression):
        left, right = selection(match.group(1), namespaces), selection(match.group(3), namespaces)
        if left and right:
            return _compared(left, right, match.group(2) == "!=")
    if (match := IN_LIST.fullmatch(expression)) and match.group(1) == match.group(3):
        value, codes = value_reader(match.group(1)), match.group(2)
        listed = _listed(codes)
        return lambda branch, tree: (text := value(branch)) == "" or listed(text)
    if (match := DECIMALS.fullmatch(expression)) and (
        select := selection(match.group(1).removesuffix("[1]"), namespaces)
    ):
        separator, compare, bound = match.group(2), COMPARE[match.group(3)], int(match.group(4))

        def decimals(branch: Branch, tree: Tree) -> bool:
            values = select(branch, tree)  # the first node's string, « » if none
            return compare(len(values[0].partition(separator)[2]) if values else 0, bound)

        return decimals
    if match := IN_NORMALIZED_LIST.fullmatch(expression):
        listed, value = _listed(match.group(1)), value_reader(match.group(2))
        return lambda branch, tree: listed(normalized(value(branch)))
    if match := HAS_SPACE.fullmatch(expression):
        value = value_reader(match.group(1))
        return lambda branch, tree: " " in normalized(value(branch))
    if (match := ROUNDED.fullmatch(expression)) and match.group(1) == match.group(2):
        return _rounded(int(match.group(1)))
    if match := NAME_ENDS.fullmatch(expression):
        suffix = match.group(1)
        return lambda branch, tree: branch.tag.endswith(suffix)
    return _combined(expression, namespaces) or _filtered(expression, namespaces)


def _listed(codes: str) -> Callable[[str], bool]:
    """« contains(' A B ', concat(' ', x, ' ')) »: a set for a code, the text for the rest
    (a value with a blank may still sit across two codes)."""
    single = frozenset(code for code in codes.split() if f" {code} " in codes)
    return lambda text: text in single if text and " " not in text else f" {text} " in codes


def _rounded(scale: int) -> Test:
    """« . = round(. * scale) div scale » in XPath's doubles (round: halves up)."""

    def rounded(branch: Branch, tree: Tree) -> bool:
        text = string_value(branch).strip()
        if not DOUBLE.fullmatch(text):
            return False  # NaN: equal to nothing
        value = float(text)
        return math.isinf(value) or value == math.floor(value * scale + 0.5) / scale

    return rounded


def _argument(expression: str, name: str) -> tuple[str, str] | None:
    """« name(argument) rest » as (argument, rest), parentheses matched."""
    if not expression.startswith(name + "("):
        return None
    end = closing(expression, len(name))
    if end < 0:
        return None
    return expression[len(name) + 1 : end], expression[end + 1 :].strip()


def _filtered(expression: str, namespaces) -> Test | None:
    """« count(a[b = 'x']/c) <= 1 », « boolean(//a[b]/@c) », « a[b]/c »: paths with
    predicates, walked over the branches."""
    if found := _argument(expression, "count"):
        path, rest = found
        select, bound = selector(path, namespaces), re.fullmatch(r"(<=|>=|!=|=|<|>)\s*(\d+)", rest)
        if select is None or bound is None:
            return None
        compare, limit = COMPARE[bound.group(1)], int(bound.group(2))
        return lambda branch, tree: compare(len(select(branch, tree)), limit)
    found = _argument(expression, "boolean")
    if found and found[1]:
        return None
    select = selector(found[0] if found else expression, namespaces)
    if select is None:
        return None
    return lambda branch, tree: bool(select(branch, tree))


STEP_FILTERED = re.compile(rf"({STEP})(?:\[(.+)\])?")


def _positional(predicate: str) -> bool:
    """Whether a predicate may depend on the node's position (then lxml must judge it)."""
    predicate = predicate.strip()
    return (
        predicate.isdigit()
        or "position()" in predicate
        or "last()" in predicate
        or predicate.startswith(("count(", "number(", "sum(", "string-length("))
    )


def _filtered_steps(text: str, namespaces) -> list | None:
    """« a[b = 'x']/(c|d) » as [((a,), test), ((c, d), None)], else None (a wildcard, an
    axis, a position…)."""
    steps = []
    for part in split(text, "/"):
        step = STEP_FILTERED.fullmatch(part.strip())
        predicates = _predicates(step.group(2)) if step and step.group(2) else []
        if step is None or predicates is None or any(_positional(p) for p in predicates):
            return None
        names = step.group(1).strip("()").split("|")
        alternatives = tuple(tag_of(name.strip(), namespaces) for name in names)
        # « a[p][q] » is « a[p and q] » when neither predicate speaks of a position
        predicate = " and ".join(f"({p})" for p in predicates) if len(predicates) > 1 else None
        predicate = predicate or (predicates[0] if predicates else None)
        steps.append((alternatives, predicate and condition(predicate, namespaces)))
    return steps or None


def _predicates(text: str) -> list[str] | None:
    """« p][q » (what a step holds between its first « [ » and its last « ] ») as [p, q];
    None when the brackets do not pair."""
    text, found, start = f"[{text}]", [], 0
    while start < len(text):
        end = closing(text, start) if text[start] == "[" else -1
        if end < 0:
            return None
        found.append(text[start + 1 : end])
        start = end + 1
    return found


def selector(path: str, namespaces) -> Callable[[Branch, Tree], list[Branch]] | None:
    """The branches a path with predicates (« //a[b = 'x']/c/@d ») selects, else None."""
    anywhere = path.startswith("//")
    parts = split(path[2:] if anywhere else path, "/")
    attribute = ""
    if parts and parts[-1].strip().startswith("@"):
        attribute = parts.pop().strip()[1:]
        if not re.fullmatch(QNAME, attribute):
            return None
    steps = _filtered_steps("/".join(parts), namespaces) if parts else None
    if steps is None:
        return None

    def select(branch: Branch, tree: Tree) -> list[Branch]:
        if anywhere:
            found = _from_root(tree, steps, anywhere=True)
        else:
            found = descend([branch], steps, tree)
        if attribute:
            found = [b for b in found if b.element.get(attribute) is not None]
        return found

    return select


def _combined(expression: str, namespaces) -> Test | None:
    """« a or b », « a and b », « not(a) » of parts of which at least one compiles."""
    for word in (" or ", " and "):
        parts = split(expression, word)
        if len(parts) > 1:
            if not any(compile_test(part, namespaces) for part in parts):
                return None
            tests = [condition(part, namespaces) for part in parts]
            return _any_of(tests) if word == " or " else _all_of(tests)
    if expression.startswith("not(") and split(expression[4:-1], ")") == [expression[4:-1]]:
        inner = compile_test(expression[4:-1], namespaces)
        if inner is not None:
            return lambda branch, tree: not inner(branch, tree)
    return None


def _any_of(tests: list[Test]) -> Test:
    def any_of(branch: Branch, tree: Tree) -> bool:
        for test in tests:  # noqa: SIM110 — a loop, not a generator per call: a hot path
            if test(branch, tree):
                return True
        return False

    return any_of


def _all_of(tests: list[Test]) -> Test:
    def all_of(branch: Branch, tree: Tree) -> bool:
        for test in tests:  # noqa: SIM110 — a loop, not a generator per call: a hot path
            if not test(branch, tree):
                return False
        return True

    return all_of


def plain_paths(expression: str, namespaces) -> tuple[tuple, ...]:
    """« /a/b | /c/d » as its tag paths; () for any other context."""
    parts = [p.strip() for p in split(expression, "|")]
    if not all(re.fullmatch(rf"(?:/{QNAME})+", part) for part in parts):
        return ()
    return tuple(tuple(tag_of(n, namespaces) for n in part[1:].split("/")) for part in parts)


def compile_context(expression: str, namespaces) -> Context | None:
    """A Python context for « /a/b[c = 'x']/d | //e/f »-like expressions, else None."""
    found = []
    for part in (p.strip() for p in split(expression, "|")):
        if part.startswith("//*[") and part.endswith("]"):
            predicate = part[4:-1]
            suffixes = [
                match.group(1)
                for piece in split(predicate, " and ")
                if (match := NAME_ENDS.fullmatch(unwrapped(piece)))
            ]
            found.append(_any_element(condition(predicate, namespaces), suffixes[:1]))
            continue
        steps = _filtered_steps(part.lstrip("/"), namespaces)
        if steps is None:
            return None
        found.append(_context(part.startswith("//"), steps))
    return lambda tree: [branch for part in found for branch in part(tree)]


def _any_element(test: Test, suffixes: list[str]) -> Context:
    """« //*[test] »: every element of the document that passes the test; when the test asks
    for a name ending (« …Amount »), only the elements of such tags are tried."""
    if not suffixes:
        return lambda tree: [branch for branch in tree.branches() if test(branch, tree)]
    (suffix,) = suffixes
    return lambda tree: [
        branch
        for tag, branches in tree.by_tag.items()
        if tag.endswith(suffix)
        for branch in branches
        if test(branch, tree)
    ]


def condition(predicate: str, namespaces) -> Test:
    """The predicate compiled to Python, or run by lxml as a boolean."""
    compiled = etree.XPath(f"boolean({predicate})", namespaces=namespaces)
    return compile_test(predicate, namespaces) or (lambda branch, tree: compiled(branch.element))


def _context(anywhere: bool, steps: list) -> Context:
    single = all(len(alternatives) == 1 for alternatives, _ in steps)
    tags = tuple(alternatives[0] for alternatives, _ in steps) if single else ()
    if tags and not any(test for _, test in steps):
        if not anywhere:
            return lambda tree: tree.by_path.get(tags, ())
        size = len(tags)
        return lambda tree: [
            branch for branch in tree.by_tag.get(tags[-1], ()) if branch.path[-size:] == tags
        ]

    def nodes(tree: Tree) -> list[Branch]:
        if tags and ((tags[-1] not in tree.by_tag) if anywhere else (tags not in tree.by_path)):
            return []  # the path is nowhere in the document: no predicate to ask
        return _from_root(tree, steps, anywhere)

    return nodes
