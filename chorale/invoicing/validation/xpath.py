"""Reading the XPath 1.0 the rules are rewritten into, and selecting from a document's `Tree`:
the names and paths of a test, the string values of the nodes a plain path selects.
Shared by the compiled tests and contexts (`paths`) and the rewriting (`structure`)."""

import functools
import itertools
import re
from collections.abc import Callable

from lxml import etree

from ..formats.tree import Branch, Tree

QNAME = r"[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?"
STEP = rf"(?:{QNAME}|\(\s*{QNAME}(?:\s*\|\s*{QNAME})*\s*\))"
PATH = rf"(?://)?{STEP}(?:/{STEP})*(?:/@{QNAME})?|(?://)?@{QNAME}"
BLANKS = re.compile(r"[ \t\r\n]+")
STRING = etree.XPath("string(.)")


def unwrapped(expression: str) -> str:
    """The expression without spaces around it and without parentheses wrapping all of it."""
    expression = expression.strip()
    while expression.startswith("(") and expression.endswith(")"):
        depth = 0
        for index, char in enumerate(expression):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and index < len(expression) - 1:
                return expression  # « (a) or (b) »: the first parenthesis closes early
        expression = expression[1:-1].strip()
    return expression


def tag_of(name: str, namespaces: dict[str, str]) -> str:
    if ":" not in name:
        return name
    prefix, local = name.split(":", 1)
    return f"{{{namespaces[prefix]}}}{local}"


def steps_of(path: str, namespaces) -> tuple[bool, list[tuple[str, ...]], str]:
    """« //(a|b)/c/@d » as (from the document root, [(a, b), (c,)], 'd')."""
    absolute = path.startswith("//")
    parts = path.removeprefix("//").split("/")
    attribute = parts.pop()[1:] if parts[-1].startswith("@") else ""
    steps = [
        tuple(tag_of(name.strip(), namespaces) for name in part.strip("()").split("|"))
        for part in parts
    ]
    return absolute, steps, attribute


def descend(found: list[Branch], steps, tree: Tree | None) -> list[Branch]:
    """From `found`, down each step (alternative tags, test or None): the children of those
    tags that pass the step's test."""
    for alternatives, test in steps:
        found = [c for b in found for t in alternatives for c in b.children.get(t, ())]
        if test:
            found = [b for b in found if test(b, tree)]
    return found


def string_value(branch: Branch) -> str:
    """The XPath string value of an element."""
    element = branch.element
    return (element.text or "") if not len(element) else STRING(element)


def value_reader(source: str) -> Callable[[Branch], str]:
    if source == ".":
        return string_value
    name = source[1:]
    return lambda b: b.element.get(name) or ""


def selection(path: str, namespaces) -> Callable[[Branch, Tree], list[str]] | None:
    """The string values, in document order, of the nodes a plain path selects: « . »,
    « a/(b|c)/@d », « ../../a », « /a/b » from the root, « //a/b » anywhere; None for any
    other path (a predicate, an axis…)."""
    path = path.strip()
    if path == ".":
        return lambda branch, tree: [string_value(branch)]
    ups = 0
    while path.startswith("../"):
        ups, path = ups + 1, path[3:]
    rooted = path.startswith("/") and not path.startswith("//")
    if rooted:
        path = "/" + path  # read as « //… », then kept to the paths from the root
    if not re.fullmatch(PATH, path):
        return None
    anywhere, steps, attribute = steps_of(path, namespaces)
    if not (rooted or anywhere or ups) and len(steps) == 1 and len(steps[0]) == 1:
        (tag,) = steps[0]  # « ram:X » (« ram:X/@a »): the branch's own children, the usual case
        if attribute:
            return lambda branch, tree: [
                value
                for child in branch.children.get(tag, ())
                if (value := child.element.get(attribute)) is not None
            ]
        return lambda branch, tree: [string_value(child) for child in branch.children.get(tag, ())]
    walk = [(alternatives, None) for alternatives in steps]
    size, endings = len(steps), set(itertools.product(*steps))

    def nodes(branch: Branch, tree: Tree) -> list[Branch]:
        if rooted:
            return [b for ending in endings for b in tree.by_path.get(ending, ())]
        if anywhere:
            if not steps:
                return tree.with_attribute(attribute)
            return [
                found
                for tag in steps[-1]
                for found in tree.by_tag.get(tag, ())
                if found.path[-size:] in endings
            ]
        if ups:
            element = branch.element
            for _ in range(ups):
                element = element.getparent()
                if element is None:
                    return []
            branch = tree.branch_of(element)
        return descend([branch], walk, tree)

    def strings(branch: Branch, tree: Tree) -> list[str]:
        found = nodes(branch, tree)
        if rooted and len(endings) > 1:
            found.sort(key=lambda b: b.order)
        if attribute:
            values = (b.element.get(attribute) for b in found)
            return [value for value in values if value is not None]
        return [string_value(b) for b in found]

    return strings


def normalized(text: str) -> str:
    """XPath's normalize-space(): XML's four blanks only, not every Unicode space."""
    if " " not in text and "\t" not in text and "\n" not in text and "\r" not in text:
        return text  # a code, as it usually is
    return " ".join(part for part in BLANKS.split(text) if part)


def _outside_quotes(expression: str, start: int = 0):
    """Each character outside quotes from `start`, with the bracket depth after it."""
    depth, quote = 0, ""
    for index in range(start, len(expression)):
        char = expression[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        else:
            depth += (char in "([") - (char in ")]")
            yield index, char, depth


def closing(expression: str, open_index: int) -> int:
    """Index of the parenthesis (or bracket) closing the one at `open_index` (quotes
    respected), -1 if it is never closed."""
    for index, char, depth in _outside_quotes(expression, open_index):
        if depth == 0 and char in ")]":
            return index
    return -1


def split(expression: str, separator: str) -> list[str]:
    """`expression` cut at each `separator` outside brackets and quotes."""
    if separator not in expression:
        return [expression]  # most questions (« or », « and », « | »): nothing to scan
    parts, start, depth = [], 0, 0
    for match in _scanner(separator).finditer(expression):
        piece = match.group()
        if piece in ("(", "["):
            depth += 1
        elif piece in (")", "]"):
            depth -= 1
        elif piece == separator and depth == 0:
            parts.append(expression[start : match.start()])
            start = match.end()
    parts.append(expression[start:])
    return parts


@functools.cache
def _scanner(separator: str) -> re.Pattern:
    """Quoted strings (passed over whole), brackets, and the separator, in one C-speed scan."""
    return re.compile(rf"'[^']*'|\"[^\"]*\"|[()\[\]]|{re.escape(separator)}")
