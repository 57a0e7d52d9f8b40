"""The compiled rules of one description as a Python module (`pycode` writes each expression):
a function per context, one per template judging all its compiled tests at once, and a
context's plain tag paths, which the engine's run loop looks up directly. `generate` keeps
the source in `generated/`; `load` runs it where no module is kept (a stylesheet changed and
not regenerated).
"""

import itertools
from textwrap import indent

from .pycode import Compiler
from .pyshared import hoisted
from .pysteps import Unsupported, plain, wildcard

SCAN_FROM = 16  # « not(a/b) » asserts from which one scan of the document's paths beats them


def plain_paths(compiler: Compiler, expression: str) -> tuple[tuple[str, ...], ...]:
    """« /a/b | /c/d » as its tag paths; () for any other context."""
    found = []
    for start, steps in _union_steps(compiler, expression) or ():
        tags = plain(steps)
        if start != "root" or not tags or len(tags) != len(steps):
            return ()
        found.append(tags)
    return tuple(found)


def _union_steps(compiler: Compiler, expression: str) -> list | None:
    """« A | B | C » as the (start, steps) of each alternative, in order; None when one of
    them is not a path `pysteps` writes."""
    parts, token = [], compiler.parse(expression)
    while token.symbol == "|":
        token, right = token
        parts.insert(0, right)
    parts.insert(0, token)
    try:
        return [compiler.steps(part) for part in parts]
    except Unsupported:
        return None


ELEMENT_AXES = ("child", "self", "parent", "ancestor", "preceding")


def anchor_paths(compiler: Compiler, expression: str) -> tuple[tuple[str, ...], ...]:
    """The tag paths a context's nodes can have where each of its alternatives goes down from
    the root by child steps naming their tag, whatever their predicates (« /a/b[c]/d | /a/e »
    → (a, b, d), (a, e)): a document with none of these paths has none of its nodes. () for
    any other context."""
    alternatives = _union_steps(compiler, expression)
    if not alternatives:
        return ()
    found: set[tuple[str, ...]] = set()
    for start, steps in alternatives:
        if start != "root" or not steps:
            return ()
        if any(step.axis != "child" or wildcard(step.tag) for step in steps):
            return ()
        found.add(tuple(step.tag for step in steps))
    return tuple(sorted(found))


def anchor_tags(compiler: Compiler, expression: str) -> tuple[str, ...]:
    """The tags a context's nodes can have, from the last step of each of its alternatives
    (« //a/b | //c » → b, c): a document with none of them has none of its nodes, and the
    engine need not evaluate it. () when some alternative may end on any element."""
    alternatives = _union_steps(compiler, expression)
    if alternatives is None:
        return ()
    found: set[str] = set()
    for _start, steps in alternatives:
        last = steps[-1] if steps else None
        if last is None or last.axis not in ELEMENT_AXES or not last.tag or wildcard(last.tag):
            return ()
        found.add(last.tag)
    return tuple(sorted(found))


def absent_paths(compiler: Compiler, expression: str) -> frozenset | None:
    """The relative tag paths whose absence « not(a/(b|c)) » asks for, else None."""
    token = _unwrapped(compiler.parse(expression))
    if token.symbol != "not" or token.label != "function":
        return None
    return _alternatives(compiler, token[0])


def _unwrapped(token):
    while token.symbol == "(" and token.label == "expression" and len(token) == 1:
        token = token[0]
    return token


def _alternatives(compiler: Compiler, token) -> frozenset | None:
    """« a/b », « (a|b)/c »: every relative tag path the path may take, else None."""
    token = _unwrapped(token)
    if token.symbol == "|":
        left, right = (_alternatives(compiler, c) for c in token)
        return None if left is None or right is None else left | right
    head, last = (None, token) if token.symbol != "/" or len(token) != 2 else list(token)
    found = frozenset({()}) if head is None else _alternatives(compiler, head)
    try:
        step = compiler.step(last)
    except Unsupported:
        return None
    if found is None or step.axis != "child" or wildcard(step.tag) or step.predicates:
        return None
    return frozenset((*path, step.tag) for path in found)


def _check(compiler: Compiler, name: str, template) -> tuple[str | None, list[int]]:
    """The function judging a template's compiled tests, and their indexes. With many
    « not(a/b) » asserts, the branch that is alone at its path has them judged by one scan
    of the paths below it (`forbidden`); the others too, where no node at their path has
    any of those paths below it (as in most documents), else one by one."""
    lines, absent = {}, {}  # index → the lines judging it; index → the paths it forbids
    names = (f"v{number}" for number in itertools.count(1))  # the values a test shares
    for index, rule in enumerate(template.rules):
        if rule.test is None:
            continue
        try:
            code = compiler.test(rule.test)
        except Unsupported:
            continue
        shared, code = hoisted(code, names)
        condition = code if rule.report else f"not ({code})" if shared else f"not {code}"
        judged = f"if {condition}:  # {rule.rule}\n    broken.append({index})"
        if rule.rule.startswith("BR-"):  # a business rule: judged here unless in `skip`
            judged = (
                f"if {index} not in skip:\n" + indent("\n".join([*shared, judged]), "    ")
                if shared
                else f"if {index} not in skip and {judged[3:]}"
            )
        else:
            judged = "\n".join([*shared, judged])
        lines[index] = indent(judged, "    ")
        paths = None if rule.report else absent_paths(compiler, rule.test)
        if paths:
            absent[index] = paths
    if not lines:
        return None, []
    if len(absent) < SCAN_FROM:
        body = ["    broken = []", *lines.values(), "    return broken"]
    else:
        table: dict[tuple, list[int]] = {}
        for index, paths in absent.items():
            for path in sorted(paths):
                table.setdefault(path, []).append(index)
        written = ", ".join(
            f"{compiler.p(path)}: {tuple(found)!r}" for path, found in table.items()
        )
        scan = compiler.constant("FORBIDDEN", "{" + written + "}")
        body = [
            "    if b.alone:",
            f"        broken = forbidden(b, t, {scan}, skip)",
            f"    elif not forbidden(b, t, {scan}, skip):  # none below any node at its path",
            "        broken = []",
            "    else:",
            "        broken = []",
            *("    " + lines[index].replace("\n", "\n    ") for index in absent),
            *(line for index, line in lines.items() if index not in absent),
            "    broken.sort()",
            "    return broken",
        ]
    return f"def {name}(b, t, skip):\n" + "\n".join(body) + "\n", list(lines)


def _header(compiler: Compiler) -> list[str]:
    constants = [f"{name} = {source}" for source, name in compiler.constants.items()]
    return [
        "import re",
        "from operator import eq, ge, gt, le, lt, ne",
        "from sys import intern",
        "",
        "from chorale.invoicing.validation.xpath import *",
        "",
        *constants,
        "",
    ]


def render(described) -> str:
    """The Python of a description's rules: per template, a function of its context where it
    compiles, and a function of its compiled tests, (branch, tree, skip) → the indexes of the
    rules the branch breaks, in order (a business rule's index in `skip`: not judged here);
    and COMPILED, per template: (its context's function or None, its plain paths, its tests'
    function or None, the indexes of the rules it judges, its context's `anchor_paths`, else
    its `anchor_tags`)."""
    compiler = Compiler(described.namespaces)
    functions, table = [], []
    for number, template in enumerate(described.templates):
        context, paths, anchors = "None", (), ()
        if template.context is not None:
            paths = plain_paths(compiler, template.context)
            try:
                code = compiler.context(template.context)
            except Unsupported:
                pass
            else:
                context = f"c{number}"
                functions.append(f"def {context}(t):\n    return {code}\n")
                if not paths:
                    anchors = anchor_paths(compiler, template.context) or anchor_tags(
                        compiler, template.context
                    )
        function, judged = _check(compiler, f"t{number}", template)
        check = "None" if function is None else f"t{number}"
        if function is not None:
            functions.append(function)
        table.append((context, paths, check, tuple(judged), anchors))
    # (the table's paths and tags named last: the constants the functions use keep their
    # numbers)
    rows = [
        f"    ({context}, {_tuple_of(compiler, paths)}, {check}, {judged!r}, "
        f"{_tuple_of(compiler, anchors)}),"
        for context, paths, check, judged, anchors in table
    ]
    return (
        "\n".join(
            [
                "# The rules compiled to Python (`pycode`); None: libxml2 evaluates the XPath.",
                *_header(compiler),
                *functions,
                "COMPILED = (",
                *rows,
                ")",
            ]
        )
        + "\n"
    )


def _tuple_of(compiler: Compiler, items: tuple) -> str:
    """Paths or tags as a tuple of the module's constants (its tags interned)."""
    names = [(compiler.t if isinstance(item, str) else compiler.p)(item) for item in items]
    return f"({', '.join(names)},)" if names else "()"


def load(source: str):
    """COMPILED from a source `render` wrote, where no generated module holds it."""
    scope: dict = {}
    exec(compile(source, "<compiled rules>", "exec"), scope)  # noqa: S102 — our own output
    return scope["COMPILED"]


def compile_test(expression: str, namespaces: dict[str, str]):
    """One test as a Python function (branch, tree) → bool, else None."""
    compiler = Compiler(namespaces)
    try:
        code = compiler.test(expression)
    except Unsupported:
        return None
    source = "\n".join([*_header(compiler), f"def test(b, t):\n    return {code}\n"])
    scope: dict = {}
    exec(compile(source, "<compiled test>", "exec"), scope)  # noqa: S102 — our own output
    return scope["test"]
