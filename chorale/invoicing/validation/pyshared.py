"""What a compiled test computes more than once, computed once (`rulecode` writes the tests).

The official rules repeat themselves: « (A and string-length(A) <= 2) or not(A) » asks for the
node set A three times. A call or a list that the test makes twice or more over the branch `b`
and the tree `t` alone (no name a comprehension binds) is computed once, before the test, into
a local name, where one of its places is evaluated whenever the test is — so that computing it
first never does work the test would have skipped. The helpers the tests call have no effect
and raise nothing, and what they return is never changed, so that one value serves every place.
"""

import ast
import copy
from collections.abc import Iterator

SHARED = (ast.Call, ast.ListComp)  # what is worth a name: a call, a list made by a comprehension


def hoisted(code: str, names: Iterator[str]) -> tuple[list[str], str]:
    """The assignments of the shared values (`name = expression`, in order) and the test
    rewritten over their names; ([], code) where nothing is computed twice."""
    test = ast.parse(code, mode="eval").body
    bound = {
        name.id
        for node in ast.walk(test)
        if isinstance(node, ast.comprehension)
        for name in ast.walk(node.target)
        if isinstance(name, ast.Name)
    }
    assignments: list[tuple[str, ast.expr]] = []
    while True:
        counts: dict[str, int] = {}
        first: dict[str, ast.expr] = {}
        sure: set[str] = set()  # evaluated whenever the test is, in one of its places at least
        for root in [test, *(value for _, value in assignments)]:
            for node, always in _places(root, True):
                if isinstance(node, SHARED) and (key := _key(node, bound)) is not None:
                    counts[key] = counts.get(key, 0) + 1
                    first.setdefault(key, node)
                    if always:
                        sure.add(key)
        repeated = [key for key, count in counts.items() if count > 1 and key in sure]
        if not repeated:
            break
        key = max(repeated, key=lambda k: sum(1 for _ in ast.walk(first[k])))  # largest first
        name = next(names)
        replace = _Replace(key, name, bound)
        test = replace.visit(test)
        assignments = [(n, replace.visit(value)) for n, value in assignments]
        assignments.insert(0, (name, first[key]))  # (inside the larger ones named before it)
    if not assignments:
        return [], code
    return [f"{name} = {ast.unparse(value)}" for name, value in assignments], ast.unparse(test)


def _places(node: ast.AST, always: bool):
    """Each node below `node` (itself included), and whether it is evaluated whenever `node`
    is: after the first operand of `and`/`or`, the branches of `x if c else y`, a comparison
    chain's later terms and a comprehension's body only sometimes."""
    yield node, always
    if isinstance(node, ast.BoolOp):
        children = [(value, always and i == 0) for i, value in enumerate(node.values)]
    elif isinstance(node, ast.IfExp):
        children = [(node.test, always), (node.body, False), (node.orelse, False)]
    elif isinstance(node, ast.Compare):
        terms = [node.left, *node.comparators]
        children = [(term, always and i < 2) for i, term in enumerate(terms)]
    elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        first, *others = node.generators
        children = [(first.iter, always), (node.elt, False)]
        children += [(test, False) for test in first.ifs]
        children += [(part, False) for other in others for part in (other.iter, *other.ifs)]
    else:
        children = [(child, always) for child in ast.iter_child_nodes(node)]
    for child, sure in children:
        yield from _places(child, sure)


def _key(node: ast.expr, bound: set[str]) -> str | None:
    """What two places computing the same value share (the names their own comprehensions
    bind, fresh in each place, numbered in order), or None where the node reads a name a
    comprehension around it binds."""
    own = dict.fromkeys(
        name.id
        for part in ast.walk(node)
        if isinstance(part, ast.comprehension)
        for name in ast.walk(part.target)
        if isinstance(name, ast.Name)
    )
    read = {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}
    if (read - own.keys()) & bound:
        return None
    renamed = copy.deepcopy(node)
    numbers = {name: f"_{number}" for number, name in enumerate(own)}
    for name in ast.walk(renamed):
        if isinstance(name, ast.Name) and name.id in numbers:
            name.id = numbers[name.id]
    return ast.dump(renamed)


class _Replace(ast.NodeTransformer):
    """Every node computing the value `key` names becomes the name `name`."""

    def __init__(self, key: str, name: str, bound: set[str]):
        self.key, self.name, self.bound = key, name, bound

    def generic_visit(self, node):
        if isinstance(node, SHARED) and _key(node, self.bound) == self.key:
            return ast.Name(self.name, ast.Load())
        return super().generic_visit(node)
