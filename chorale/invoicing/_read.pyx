# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled core's readers (`_core` hands them on, so that `compiled.CORE` is the one
handle): `formats.values.Node` and `formats.binding.read_terms` on the branches the core
walks, each look-up in the branches' children, each text and attribute read from libxml2's
node."""

cimport lxml.includes.etreepublic as cetree
from cpython.ref cimport PyObject
from lxml.includes cimport tree

from chorale.invoicing._core cimport (
    Branch, PyDict_GetItemWithError, _attribute, _encoded, _stripped,
)

cetree.import_lxml__etree()

# What the readers' values are made with (`formats.values` hands them over: `readers_from`).
cdef object Identifier = None, date_or_none = None, decimal_or_none = None, TOLERANT = None
cdef object finite_decimal = None
cdef dict DECIMALS = None


def readers_from(module):
    global Identifier, date_or_none, decimal_or_none, TOLERANT, finite_decimal, DECIMALS
    Identifier, TOLERANT = module.Identifier, module.tolerant
    date_or_none, decimal_or_none = module.date_or_none, module.decimal_or_none
    finite_decimal, DECIMALS = module.finite_decimal, module.DECIMALS


cdef object _decimal(str text, str where, str extra, tolerant):
    """An amount's text (stripped, not empty) as `tolerant(decimal_or_none, …)` reads it: a
    finite number at once (`values.DECIMALS`, else `finite_decimal`), anything else by the
    Python functions, which say what is wrong."""
    cdef PyObject* known = PyDict_GetItemWithError(DECIMALS, text)
    if known is not NULL:
        return <object>known
    value = finite_decimal(text)
    if value is not None:
        return value
    return tolerant(decimal_or_none, text, where + extra)


cdef enum:  # the kinds of `binding.Terms._plan`
    TEXT, IDENTIFIER, DECIMAL, DATE, ATTR


cdef inline Branch _child(Branch branch, object tag):
    """The first child `tag` of the branch, else None."""
    cdef object children = branch.children
    cdef PyObject* held = PyDict_GetItemWithError(children, tag) if type(children) is dict else NULL
    return <Branch>(<list>held)[0] if held is not NULL and (<list>held) else None


def read_terms(branch, tuple plan, str where, bint compact, tolerant):
    """`binding.read_terms`, compiled: each look-up in the branches' children, each text and
    attribute read from libxml2's node."""
    cdef dict values = {}
    cdef tree.xmlNode* node
    cdef Branch top = <Branch?>branch if branch is not None else None, found
    cdef int kind
    cdef str text
    for entry in plan:
        name, kind, tags, extra = <tuple>entry
        found = top
        for tag in <tuple>tags:
            if found is None:
                break
            found = _child(found, tag)
        node = found.node if found is not None else NULL
        if kind == ATTR:
            values[name] = _attribute(node, _encoded(<str>extra))
            continue
        text = _stripped(cetree.textOf(node)) if node is not NULL else ""
        if kind == TEXT:
            values[name] = text
        elif kind == IDENTIFIER:
            scheme = _attribute(node, b"schemeID")
            values[name] = Identifier(text, scheme) if text or scheme else None
        elif kind == DECIMAL:
            values[name] = _decimal(text, where, extra, tolerant) if text else None
        else:
            values[name] = (
                tolerant(date_or_none, text, where + extra, compact=compact) if text else None
            )
    return values


cdef class Node:
    """`formats.values.Node`, compiled, on the branches this core walks: each look-up in the
    branches' children, each text and attribute read from libxml2's node."""

    cdef readonly Branch branch
    cdef readonly object syntax
    cdef dict known  # the syntax's paths already split into tags (`Syntax.known`)

    def __init__(self, branch, syntax):
        self.branch = <Branch?>branch if branch is not None else None
        self.syntax = syntax
        self.known = syntax.known

    cdef Node _wrap(self, Branch branch):
        cdef Node made = Node.__new__(Node)
        made.branch, made.syntax, made.known = branch, self.syntax, self.known
        return made

    cdef tuple _steps(self, str path):
        cdef PyObject* held = PyDict_GetItemWithError(self.known, path)
        return <tuple>held if held is not NULL else self.syntax.steps(path)

    cdef Branch _find(self, str path):
        cdef Branch found = self.branch
        for tag in self._steps(path):
            found = _child(found, tag)
            if found is None:
                return None
        return found

    @property
    def element(self):
        return self.branch.element if self.branch is not None else None

    def __bool__(self):
        return self.branch is not None

    def one(self, str path):
        return self._wrap(self._find(path) if self.branch is not None else None)

    def all(self, str path):
        cdef tuple tags = self._steps(path)
        cdef list branches = [self.branch] if self.branch is not None else [], below
        cdef PyObject* held
        for tag in tags:
            below = []
            for branch in branches:
                children = (<Branch>branch).children
                held = PyDict_GetItemWithError(children, tag) if type(children) is dict else NULL
                if held is not NULL:
                    below += <list>held
            branches = below
        return [self._wrap(<Branch>branch) for branch in branches]

    def text(self, str path=""):
        if self.branch is None:
            return ""
        cdef Branch found = self._find(path) if path else self.branch
        if found is None:
            return ""
        return _stripped(cetree.textOf(found.node))

    def attr(self, str path, str name):
        cdef Branch found = self._find(path) if self.branch is not None else None
        if found is None:
            return ""
        if not name or name[0] == "{":
            return (found.element.get(name) or "").strip()
        return _attribute(found.node, _encoded(name))

    def decimal(self, str path, term):
        text = self.text(path)
        return _decimal(text, term, "", TOLERANT) if text else None

    def date(self, str path, term):
        text = self.text(path)
        if not text:
            return None
        return TOLERANT(date_or_none, text, term, compact=self.syntax.compact_dates)

    def identifier(self, str path):
        value, scheme = self.text(path), self.attr(path, "schemeID")
        return Identifier(value, scheme) if value or scheme else None
