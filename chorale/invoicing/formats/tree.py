"""One walk over a parsed document, shared by its reader and by the syntax rules: each element
as a branch with its children grouped by tag, and every branch found by its tag or its path.

lxml answers each child look-up by scanning the children in C and wrapping the match in a new
Python object; a reader asks a few hundred such questions per invoice, most about elements
that are absent, and the syntax rules ask about every element. Walking the tree once and
answering from dictionaries is several times cheaper than either.

The walk is done by the engine's compiled core where it is built (`invoicing.compiled`),
else by `Tree._walk` below: the same branches.
"""

import sys

from lxml import etree

from .. import compiled
from ..compiled import NO_CHILDREN


class Branch:
    """One element of the document, with its children grouped by tag (Clark notation)."""

    __slots__ = ("alone", "children", "element", "order", "path", "tag", "up")

    def __init__(self, element, tag: str, path: tuple, order: int, up: int = -1):
        self.element = element
        self.tag = tag
        self.path = path
        self.order = order
        self.up = up  # the parent's order (-1: the root), an index of `Tree.branches()`
        self.alone = False  # the only element of the document at its path
        self.children: dict[str, list[Branch]] = NO_CHILDREN  # type: ignore[assignment]

    def first(self, tag: str):
        children = self.children.get(tag)
        return children[0] if children else None


class Tree:
    """Every element of one document as a branch, in document order."""

    __slots__ = (
        "_attributes", "_branches", "_by_element", "_core", "_forbidden",
        "by_path", "by_tag", "root",
    )  # fmt: skip

    def __init__(self, root: etree._Element):
        self._core = core = compiled.CORE  # the core that walked it answers for it
        tag = sys.intern(root.tag)  # (as the compiled walk its other tags)
        self.root = (core.Branch if core else Branch)(root, tag, (tag,), 0)
        self.by_path: dict[tuple, list[Branch]] = {self.root.path: [self.root]}
        self.by_tag: dict[str, list[Branch]] = {tag: [self.root]}
        self._by_element = None
        self._attributes = None
        self._forbidden = None  # the compiled core's `forbidden` answers, made at first use
        self._branches = [self.root]
        if core:
            core.walk(root, self.root, self.by_path, self.by_tag, self._branches)
            return
        self._walk(root)
        for branches in self.by_path.values():
            if len(branches) == 1:
                branches[0].alone = True

    def _walk(self, root: etree._Element) -> None:
        """lxml's own iteration in document order (much cheaper than a Python recursion over
        each element's children), each element's parent kept by counting its children."""
        by_path, by_tag, branches = self.by_path, self.by_tag, self._branches
        elements = root.iter()
        next(elements)  # the root itself
        parent, remaining = self.root, len(root)
        above = []  # the ancestors with children still to come, and how many
        order = 1
        for element in elements:
            while not remaining:
                parent, remaining = above.pop()
            remaining -= 1
            tag = element.tag
            if type(tag) is not str:  # comments and processing instructions
                continue
            path = parent.path + (tag,)  # noqa: RUF005 — faster than unpacking here
            child = Branch(element, tag, path, order, parent.order)
            branches.append(child)
            order += 1
            found = parent.children.get(tag)
            if found is not None:
                found.append(child)
            elif parent.children is NO_CHILDREN:
                parent.children = {tag: [child]}
            else:
                parent.children[tag] = [child]
            found = by_path.get(path)
            if found is None:
                by_path[path] = [child]
            else:
                found.append(child)
            found = by_tag.get(tag)
            if found is None:
                by_tag[tag] = [child]
            else:
                found.append(child)
            count = len(element)  # comments and processing instructions included, as in iter()
            if count:
                above.append((parent, remaining))
                parent, remaining = child, count

    def branches(self) -> list[Branch]:
        """Every branch, in document order (each at the index of its order)."""
        return self._branches

    def branch_of(self, element) -> Branch | None:
        """The branch of an lxml element of this document."""
        if self._by_element is None:
            self._by_element = {b.element: b for b in self._branches}
        return self._by_element.get(element)

    def with_attribute(self, name: str) -> list[Branch]:
        """The elements that carry the attribute `name` (« //@name »), in document order."""
        if self._attributes is None:
            core = self._core
            self._attributes = core.attribute_index(self._branches) if core else self._carrying()
        return self._attributes.get(name, [])

    def _carrying(self) -> dict[str, list[Branch]]:
        found: dict[str, list[Branch]] = {}
        for element in CARRYING(self.root.element):  # libxml2 picks them: far fewer
            branch = self.branch_of(element)
            for key in element.keys():  # noqa: SIM118 — lxml's own list of names
                found.setdefault(key, []).append(branch)
        return found


CARRYING = etree.XPath("//*[@*]")  # the elements that carry an attribute, in document order


def xml_path(element: etree._Element) -> str:
    """The element's XPath as findings give it: lxml's, with a root in the default namespace
    named (« /Invoice/cac:… », as the official engine writes it) rather than « /* »."""
    tree = element.getroottree()
    path = tree.getpath(element)
    if path.startswith("/*"):
        path = f"/{etree.QName(tree.getroot()).localname}{path[2:]}"
    return path
