# cython: language_level=3, boundscheck=False, wraparound=False
"""The validation engine's compiled core (`compiled` says when it is used): the document's walk
(`formats.tree`) over libxml2's nodes through lxml's C API, and the syntax rules' dispatch
(`validation.structure`), with no Python code per element. `make install` builds it
(scripts/build_core.py); where it is not built, the same steps run in Python, with the same
result."""

cimport cython
cimport lxml.includes.etreepublic as cetree
from cpython.dict cimport PyDict_SetItem
from cpython.object cimport PyTypeObject
from cpython.list cimport PyList_Append
from cpython.ref cimport Py_INCREF, Py_XDECREF, PyObject
from cpython.tuple cimport PyTuple_Check
from libc.string cimport strcmp
from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar

cetree.import_lxml__etree()


from sys import intern

from ._document import (  # (one handle: `compiled.CORE`)
    comment_in_leaf, deeper_than, first_text, put_back, set_aside,
)
from .compiled import NO_CHILDREN as _NO_CHILDREN

cdef object NO_CHILDREN = _NO_CHILDREN
cdef class _Tag:
    """A tag made from libxml2's name and namespace, kept with the bytes it was made from: the
    pointer it is found by may be reused for another name once its document is gone."""

    cdef object tag
    cdef bytes name, href


cdef dict TAGS = {}  # libxml2's name pointer → _Tag, across documents
cdef Py_ssize_t MOST_TAGS = 4096  # emptied past this (a hostile file's invented names)
cdef enum:
    SLOTS = 1024  # RECENT's size, a power of two
cdef PyObject* RECENT[SLOTS]  # in front of TAGS: a _Tag (owned) by its name pointer's bits


cdef inline bint _made_from(_Tag known, tree.xmlNode* node, const_xmlChar* href):
    return strcmp(<const char*>node.name, known.name) == 0 and (
        (href is NULL and known.href is None)
        or (href is not NULL and known.href is not None
            and strcmp(<const char*>href, known.href) == 0)
    )


cdef inline object _tag_of(tree.xmlNode* node):
    """The element's tag in Clark notation, made once per name and namespace."""
    cdef const_xmlChar* href = node.ns.href if node.ns is not NULL else NULL
    cdef size_t slot = (<size_t>node.name >> 4) & (SLOTS - 1)
    cdef PyObject* recent = RECENT[slot]
    if recent is not NULL and _made_from(<_Tag>recent, node, href):
        return (<_Tag>recent).tag
    cdef _Tag known
    cdef object key = <size_t>node.name
    cdef PyObject* found = PyDict_GetItemWithError(TAGS, key)
    if found is not NULL and _made_from(<_Tag>found, node, href):
        known = <_Tag>found
    else:
        known = _Tag.__new__(_Tag)
        known.tag = intern(cetree.namespacedName(node))  # (the rules' tags are interned)
        known.name = <bytes>(<const char*>node.name)
        known.href = <bytes>(<const char*>href) if href is not NULL else None
        if len(TAGS) >= MOST_TAGS:
            TAGS.clear()
        TAGS[key] = known
    Py_INCREF(known)
    Py_XDECREF(recent)
    RECENT[slot] = <PyObject*>known
    return known.tag


cdef class _Path:
    """A tag path met in some document, made once: the same tuple for every element at that
    path (no tuple made and freed per element), with the paths one tag longer."""

    cdef tuple path
    cdef dict longer  # tag → _Path


cdef dict PATHS = {}  # the root's tag → its _Path, across documents
cdef Py_ssize_t made_paths = 0
cdef Py_ssize_t MOST_PATHS = 16384  # kept at most; PATHS emptied past it by the next walk


cdef _Path _new_path(tuple path):
    global made_paths
    cdef _Path made = _Path.__new__(_Path)
    made.path, made.longer = path, {}
    made_paths += 1
    return made


cdef _Path _root_path(object tag):
    global made_paths
    if made_paths >= MOST_PATHS:
        PATHS.clear()
        made_paths = 0
    cdef PyObject* held = PyDict_GetItemWithError(PATHS, tag)
    if held is not NULL:
        return <_Path>held
    made = PATHS[tag] = _new_path((tag,))
    return made


cdef inline _Path _longer(_Path path, object tag):
    cdef PyObject* held = PyDict_GetItemWithError(path.longer, tag)
    if held is not NULL:
        return <_Path>held
    made = _new_path(path.path + (tag,))
    if made_paths < MOST_PATHS:  # (past it, until the next walk empties them: not kept)
        path.longer[tag] = made
    return made


@cython.freelist(256)
@cython.no_gc  # no cycle: a branch refers to its element and to its children only
cdef class Branch:
    """One element of the document, with its children grouped by tag (Clark notation). It
    holds libxml2's node and its document; the element's lxml object is made when asked for
    (most never are: making and freeing one per element cost more than the walk itself)."""

    def __init__(self, element, tag, path, order, up=-1):
        self.node = (<cetree._Element?>element)._c_node
        self.doc = (<cetree._Element>element)._doc
        self.tag = tag
        self.path = path
        self.order = order
        self.up = up
        self.alone = False
        self.children = NO_CHILDREN

    @property
    def element(self):
        return cetree.elementFactory(self.doc, self.node)  # (lxml's own, while one lives)

    def first(self, tag):
        children = self.children.get(tag)
        return children[0] if children else None


cdef extern from "Python.h":
    """
    #define CHORALE_BRANCH(field) offsetof(struct __pyx_obj_7chorale_9invoicing_5_core_Branch, field)
    #define CHORALE_BRANCH_TAG CHORALE_BRANCH(tag)
    #define CHORALE_BRANCH_PATH CHORALE_BRANCH(path)
    #define CHORALE_BRANCH_CHILDREN CHORALE_BRANCH(children)
    """
    ctypedef struct PyMemberDef:
        const char* name
        int type
        Py_ssize_t offset
        int flags
        const char* doc
    int Py_T_OBJECT_EX, Py_READONLY
    object PyDescr_NewMember(PyTypeObject* type, PyMemberDef* member)
    void PyType_Modified(PyTypeObject* type)
    Py_ssize_t CHORALE_BRANCH_TAG, CHORALE_BRANCH_PATH, CHORALE_BRANCH_CHILDREN


cdef PyMemberDef MEMBERS[3]  # (static: the descriptors point into it)


cdef void _read_as_members():
    """Branch's tag, path and children, read from Python (the compiled rules read them on
    every step), become member descriptors: CPython's specializing interpreter reads such a
    field in one instruction (LOAD_ATTR_SLOT), where Cython's properties are never
    specialized (each read looks the type up, then calls the getter). Cython's code sets
    them in C, as before; from Python they are read-only."""
    cdef PyTypeObject* kind = <PyTypeObject*>Branch
    offsets = {
        b"tag": CHORALE_BRANCH_TAG,
        b"path": CHORALE_BRANCH_PATH,
        b"children": CHORALE_BRANCH_CHILDREN,
    }
    cdef int i = 0
    for name, offset in offsets.items():
        MEMBERS[i].name = <const char*>(<bytes>name)  # (bytes literals: immortal)
        MEMBERS[i].type = Py_T_OBJECT_EX
        MEMBERS[i].offset = offset
        MEMBERS[i].flags = Py_READONLY
        MEMBERS[i].doc = NULL
        (<dict>kind.tp_dict)[name.decode()] = PyDescr_NewMember(kind, &MEMBERS[i])
        i += 1
    PyType_Modified(kind)


_read_as_members()


cdef inline void _add(dict index, object key, object value):
    cdef PyObject* found = PyDict_GetItemWithError(index, key)
    if found is NULL:
        PyDict_SetItem(index, key, [value])
    else:
        PyList_Append(<object>found, value)


cdef void _mark_alone(dict by_path):
    """Each branch alone at its path marked so."""
    cdef list found
    for value in by_path.values():
        found = <list>value
        if len(found) == 1:
            (<Branch>found[0]).alone = True


def walk(cetree._Element root, Branch top, dict by_path, dict by_tag, list branches):
    """Every element below `root` (whose branch is `top`), in document order, as a branch
    added to its parent's children, to `by_path`, `by_tag` and `branches`; then each branch
    alone at its path marked so. An element's tag is made once per name and namespace, and its
    path once per tag path (`_Path`), not once per element."""
    cdef cetree._Document document = root._doc
    cdef tree.xmlNode* node = root._c_node.children
    cdef Branch parent = top, child
    cdef list above = []  # the ancestors of `parent`
    cdef list at = []  # their paths
    cdef _Path where = _root_path(top.tag), longer
    cdef long order = 1
    cdef object tag
    while True:
        if node is NULL:  # the parent's children are done: on to its next sibling
            if not above:
                _mark_alone(by_path)
                return
            node = parent.node.next
            parent = above.pop()
            where = at.pop()
            continue
        if node.type == tree.XML_ELEMENT_NODE:
            tag = _tag_of(node)
            child = Branch.__new__(Branch)
            child.node, child.doc = node, document
            child.tag = tag
            longer = _longer(where, tag)
            child.path = longer.path
            child.order = order
            child.up = parent.order
            child.children = NO_CHILDREN
            order += 1
            PyList_Append(branches, child)
            if parent.children is NO_CHILDREN:
                parent.children = {tag: [child]}
            else:
                _add(parent.children, tag, child)
            _add(by_path, child.path, child)
            _add(by_tag, tag, child)
            if node.children is not NULL:
                above.append(parent)
                at.append(where)
                parent = child
                where = longer
                node = node.children
                continue
        node = node.next



def attribute_index(list branches):
    """`Tree.with_attribute`'s index, compiled: each attribute's name (Clark notation) → the
    branches carrying it, in document order, read from libxml2's nodes."""
    cdef dict found = {}
    cdef tree.xmlAttr* attribute
    for branch in branches:
        attribute = (<Branch?>branch).node.properties
        while attribute is not NULL:
            _add(found, _tag_of(<tree.xmlNode*>attribute), branch)
            attribute = attribute.next
    return found


cdef dict ENCODED = {}  # an attribute's name → its UTF-8 bytes, as libxml2 wants it


cdef bytes _encoded(str name):
    cdef PyObject* held = PyDict_GetItemWithError(ENCODED, name)
    if held is not NULL:
        return <bytes>held
    if len(ENCODED) >= MOST_TAGS:
        ENCODED.clear()  # (names a hostile file made up)
    encoded = ENCODED[name] = name.encode()
    return encoded


cdef inline void _claim(dict judged, object branches, object index):
    """Each branch judged by the template `index` unless one before it claims it already."""
    cdef PyObject* held
    for branch in branches:
        held = PyDict_GetItemWithError(judged, branch)
        if held is NULL or <object>held > index:
            PyDict_SetItem(judged, branch, index)


cdef inline bint _has_any(dict index, tuple keys):
    for key in keys:
        if PyDict_GetItemWithError(index, key) is not NULL:
            return True
    return False


def _in_document_order(broken):
    return broken[0].order  # (a tree walked in Python may be judged here too)


def judge(tree, list patterns):
    """`validation.structure.judge`, compiled: each rule broken with its node, pattern after
    pattern, each pattern's in document order (a node's in its template's order)."""
    cdef dict by_path = tree.by_path, by_tag = tree.by_tag, judged, plain, assertions
    cdef list found = [], broken, indexes
    cdef tuple tests
    cdef PyObject* held
    cdef Py_ssize_t paths = len(by_path)
    for pattern in patterns:
        judged = {}
        plain, tests = pattern.by_path, pattern.tests
        if len(plain) < paths:
            for path, index in plain.items():
                held = PyDict_GetItemWithError(by_path, path)
                if held is not NULL:
                    _claim(judged, <object>held, index)
        else:
            for path, branches in by_path.items():
                held = PyDict_GetItemWithError(plain, path)
                if held is not NULL:
                    _claim(judged, branches, <object>held)
        for index, anchors, context in <tuple>pattern.matched:
            if anchors and not _has_any(
                by_path if PyTuple_Check((<tuple>anchors)[0]) else by_tag, <tuple>anchors
            ):
                continue  # none of the paths or tags its nodes can have: no node
            _claim(judged, context(tree), index)
        broken = []
        for branch, index in judged.items():
            check, skip, evaluated, assertions = <tuple>tests[<Py_ssize_t>index]
            if check is None and not evaluated:
                continue  # a template with no test here: it only claims its nodes
            indexes = check(branch, tree, skip) if check is not None else []
            if evaluated:
                indexes += [i for i, test, report in evaluated if test(branch, tree) == report]
                indexes.sort()
            if indexes:
                for i in indexes:
                    held = PyDict_GetItemWithError(assertions, i)
                    if held is not NULL:
                        broken.append((branch, <object>held))
        if len(broken) > 1:
            broken.sort(key=_in_document_order)  # stable
        found += broken
    return found


# The XPath helpers and the readers' look-ups, compiled in modules of their own that take
# Branch from here (their import comes last: this module's types and functions are made by
# then), handed on too.
from ._xpath import (
    HELPERS, after, ancestor, anywhere, attribute_of, attributes, code_listed, compare, down,
    empty_or_listed, ending, forbidden, has, has_value, helpers_from, listed, nodes, normalized,
    number, string_of, string_value, values, with_attribute,
)
from ._read import Node, read_terms, readers_from
