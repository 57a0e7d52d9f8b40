# cython: language_level=3, boundscheck=False, wraparound=False
"""The XPath 1.0 helpers of `validation.xpath` the compiled rules call most (HELPERS),
compiled (`_core` hands them on, so that `compiled.CORE` is the one handle): on the branches
the core walked; a branch of the pure-Python walk goes to the Python helper."""

cimport lxml.includes.etreepublic as cetree
from cpython.ref cimport PyObject
from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar

import operator

from chorale.invoicing._core cimport Branch, PyDict_GetItemWithError, _encoded

cetree.import_lxml__etree()

HELPERS = ("string_value", "values", "string_of", "down", "nodes", "has", "anywhere", "ancestor",
           "ending", "attribute_of", "attributes", "with_attribute", "normalized", "after",
           "listed", "empty_or_listed", "code_listed", "forbidden", "number", "compare", "has_value")
cdef object STRING = None  # xpath.STRING: string(.) by libxml2
cdef dict PYTHON = {}  # name → the Python helper
cdef tuple EMPTY = ()
cdef object ORDER = operator.attrgetter("order")


def helpers_from(module):
    """Take the Python helpers and the XPath string(.) of `validation.xpath`, before it puts
    these in their place."""
    global STRING
    STRING = module.STRING
    PYTHON.update({name: getattr(module, name) for name in HELPERS})


cdef inline bint _leaf(tree.xmlNode* node):
    """No child lxml counts in len(): element, comment, processing instruction, entity."""
    cdef tree.xmlNode* child = node.children
    while child is not NULL:
        if child.type in (tree.XML_ELEMENT_NODE, tree.XML_COMMENT_NODE, tree.XML_PI_NODE,
                          tree.XML_ENTITY_REF_NODE):
            return False
        child = child.next
    return True


cdef inline object _string_value(Branch branch):
    cdef tree.xmlNode* node = branch.node
    if _leaf(node):
        text = cetree.textOf(node)
        return "" if text is None else text
    return STRING(branch.element)


def string_value(branch):
    if type(branch) is not Branch:
        return PYTHON["string_value"](branch)
    return _string_value(<Branch>branch)


def values(nodes):
    return [_string_value(<Branch>n) if type(n) is Branch else PYTHON["string_value"](n)
            for n in nodes]


def has_value(found, text):
    """node set = string: some node whose string value is the text (no list of values)."""
    if type(text) is not str:
        return PYTHON["has_value"](found, text)
    for node in found:
        if type(node) is not Branch:
            return PYTHON["has_value"](found, text)
        if _string_value(<Branch>node) == text:
            return True
    return False


def string_of(nodes):
    if not nodes:
        return ""
    first = nodes[0] if len(nodes) == 1 else min(nodes, key=ORDER)
    if type(first) is not Branch:
        return PYTHON["string_value"](first)
    return _string_value(<Branch>first)


# The string functions the compiled rules call most: no branch, the same in both cores.
cdef inline str _normalized(str text):
    cdef Py_UCS4 c
    for c in text:
        if c == u" " or c == u"\t" or c == u"\n" or c == u"\r":
            return PYTHON["normalized"](text)  # (XML's four blanks only: Python's regex)
    return text  # a code, as it usually is


cdef inline bint _listed(str text, codes, str written):
    if text and u" " not in text:
        return text in codes
    return (u" " + text + u" ") in written


# (a text of another type, such as lxml's string results, goes to the Python helper)
def normalized(text):
    if type(text) is not str:
        return PYTHON["normalized"](text)
    return _normalized(<str>text)


def after(text, separator):
    if type(text) is not str or type(separator) is not str:
        return PYTHON["after"](text, separator)
    if not separator:
        return text
    cdef Py_ssize_t at = (<str>text).find(<str>separator)
    return (<str>text)[at + len(<str>separator):] if at >= 0 else ""


def listed(text, codes, written):
    if type(text) is not str or type(written) is not str:
        return PYTHON["listed"](text, codes, written)
    return _listed(<str>text, codes, <str>written)


def empty_or_listed(text, codes, written):
    if type(text) is not str or type(written) is not str:
        return PYTHON["empty_or_listed"](text, codes, written)
    return not text or _listed(<str>text, codes, <str>written)


def code_listed(text, codes, written):
    if type(text) is not str or type(written) is not str:
        return PYTHON["code_listed"](text, codes, written)
    text = _normalized(<str>text)
    return u" " not in text and _listed(<str>text, codes, <str>written)


cdef inline list _step(list found, object tag):
    """The children `tag` of the branches `found`, in their order (a new list)."""
    cdef list below = []
    cdef PyObject* children
    for node in found:
        held = (<Branch>node).children
        if type(held) is dict:
            children = PyDict_GetItemWithError(<dict>held, tag)
            if children is not NULL:
                below.extend(<list>children)
    return below


cdef inline object _down(Branch branch, tuple tags, Py_ssize_t stop):
    """The branches below `branch` by the first `stop` tags."""
    cdef list found = [branch]
    for i in range(stop):
        found = _step(found, tags[i])
        if not found:
            return EMPTY
    return found


def down(found, tag):
    """`xpath.down`, compiled: one node's children are its own list (node sets are never
    changed in place), several nodes' are gathered in a new one."""
    cdef Py_ssize_t count = len(found)
    cdef PyObject* children
    if count == 0:
        return EMPTY
    first = found[0]
    if type(first) is not Branch:
        return PYTHON["down"](found, tag)
    held = (<Branch>first).children
    if count == 1:
        if type(held) is not dict:
            return EMPTY
        children = PyDict_GetItemWithError(<dict>held, tag)
        return <object>children if children is not NULL else EMPTY
    for node in found:
        if type(node) is not Branch:
            return PYTHON["down"](found, tag)
    return _step(found if type(found) is list else list(found), tag)


def nodes(branch, tree, tuple tags):
    if type(branch) is not Branch:
        return PYTHON["nodes"](branch, tree, tags)
    cdef Branch b = <Branch>branch
    cdef PyObject* found = PyDict_GetItemWithError(<dict>tree.by_path, <tuple>b.path + tags)
    if found is NULL:
        return EMPTY
    if b.alone:
        return <object>found
    return _down(b, tags, len(tags))


def has(branch, tree, tuple tags):
    if type(branch) is not Branch:
        return PYTHON["has"](branch, tree, tags)
    if not tags:  # (as Python's tags[-1] would; no look-up out of the tuple)
        raise IndexError("no tags")
    cdef Branch b = <Branch>branch
    if PyDict_GetItemWithError(<dict>tree.by_path, <tuple>b.path + tags) is NULL:
        return False
    if b.alone:
        return True
    above = _down(b, tags, len(tags) - 1)
    last = tags[len(tags) - 1]
    for node in above:
        held = (<Branch>node).children
        if type(held) is dict and PyDict_GetItemWithError(<dict>held, last) is not NULL:
            return True
    return False


def anywhere(tree, tuple tags):
    cdef Py_ssize_t size = len(tags), i, length
    if not size:
        raise IndexError("no tags")
    cdef PyObject* held = PyDict_GetItemWithError(<dict>tree.by_tag, tags[size - 1])
    if held is NULL:
        return EMPTY
    cdef list found = <list>held, result
    if size == 1 or not found:
        return found
    if type(found[0]) is not Branch:
        return PYTHON["anywhere"](tree, tags)
    result = []
    for branch in found:
        path = (<Branch>branch).path
        length = len(<tuple>path)
        if length < size:
            continue
        for i in range(size - 1):
            if (<tuple>path)[length - size + i] != tags[i]:
                break
        else:
            result.append(branch)
    return result


def ending(tree, str suffix):
    """//*[name ending with suffix]: the candidates, by tag (document order not needed)."""
    cdef list result = []
    for tag, found in (<dict>tree.by_tag).items():
        if (<str>tag).endswith(suffix):
            result.extend(<list>found)
    return result


def ancestor(tree, found, tag):
    """ancestor::tag (ancestor::* with None) of a node set, in document order: most nodes
    have no such ancestor, told by their path alone."""
    if not found:
        return []
    if type(found[0]) is not Branch:
        return PYTHON["ancestor"](tree, found, tag)
    cdef list branches = tree._branches
    cdef dict result = {}
    cdef Branch branch
    cdef tuple path
    cdef Py_ssize_t i
    for node in found:
        branch = <Branch?>node
        if tag is not None:
            path = <tuple>branch.path
            for i in range(len(path) - 1):
                if path[i] == tag:
                    break
            else:
                continue
        while branch.up >= 0:
            branch = <Branch>branches[branch.up]
            if tag is None or branch.tag == tag:
                result[branch] = None
    return sorted(result, key=ORDER) if len(result) > 1 else list(result)


cdef inline object _attribute_of(Branch branch, bytes name):
    return cetree.attributeValueFromNsName(
        branch.node, NULL, <const_xmlChar*>name)


def attribute_of(branch, name):
    if type(branch) is not Branch or not name or name[0] == "{":
        return PYTHON["attribute_of"](branch, name)
    return _attribute_of(<Branch>branch, _encoded(name))


def attributes(found, name):
    if not found:  # (most often: an attribute forbidden on elements the document has not)
        return []
    if not name or name[0] == "{" or type(found[0]) is not Branch:
        return PYTHON["attributes"](found, name)
    cdef bytes key = _encoded(name)
    cdef list result = []
    for branch in found:
        value = _attribute_of(<Branch?>branch, key)
        if value is not None:
            result.append(value)
    return result


def with_attribute(tree, name):
    if tree._core is None or not name or name[0] == "{":
        return PYTHON["with_attribute"](tree, name)
    cdef bytes key = _encoded(name)
    return [_attribute_of(<Branch?>branch, key) for branch in tree.with_attribute(name)]


cdef dict WHOLE_PATHS = {}  # id(table) → (table, {branch path: {whole path: indexes}})
cdef Py_ssize_t MOST_WHOLE_PATHS = 1024  # branch paths kept (a hostile file's many paths)
cdef Py_ssize_t whole_paths = 0


def forbidden(branch, tree, dict table, skip):
    """`xpath.forbidden`, compiled: the « not(a/b) » asserts the paths below the branch's path
    break, from `table`'s whole paths (written once per table and branch path) met with the
    document's, the smaller looked up in the larger, no set made in between."""
    global whole_paths
    if type(branch) is not Branch:
        return PYTHON["forbidden"](branch, tree, table, skip)
    cdef tuple path = (<Branch>branch).path
    cdef PyObject* held = PyDict_GetItemWithError(WHOLE_PATHS, id(table))
    if held is NULL or (<tuple>held)[0] is not table or whole_paths >= MOST_WHOLE_PATHS:
        if whole_paths >= MOST_WHOLE_PATHS:
            WHOLE_PATHS.clear()
            whole_paths = 0
        by_branch = {}
        WHOLE_PATHS[id(table)] = (table, by_branch)
    else:
        by_branch = (<tuple>held)[1]
    held = PyDict_GetItemWithError(<dict>by_branch, path)
    cdef dict whole
    if held is NULL:
        whole = {path + below: hit for below, hit in table.items()}
        (<dict>by_branch)[path] = whole
        whole_paths += 1
    else:
        whole = <dict>held
    return [index for index in _met(tree, whole) if index not in skip]


cdef list _met(tree, dict whole):
    """The indexes of `whole`'s paths the document has, once per document and table (the
    lines of an invoice, each at the same path, ask the same)."""
    memo = tree._forbidden
    if memo is None:
        memo = tree._forbidden = {}
    cdef PyObject* held = PyDict_GetItemWithError(<dict>memo, id(whole))
    if held is not NULL and (<tuple>held)[0] is whole:
        return <list>(<tuple>held)[1]
    cdef dict paths = tree.by_path, smaller = whole, larger = paths
    if len(paths) < len(whole):
        smaller, larger = paths, whole
    cdef list found = []
    for candidate in smaller:
        if PyDict_GetItemWithError(larger, candidate) is not NULL:
            for index in <tuple>whole[candidate]:
                if index not in found:
                    found.append(index)
    (<dict>memo)[id(whole)] = (whole, found)
    return found


cdef inline bint _digits(str text, Py_ssize_t* at, Py_ssize_t end):
    """Past the ASCII digits from `at`: whether there was one."""
    cdef Py_ssize_t start = at[0]
    while at[0] < end and u"0" <= text[at[0]] <= u"9":
        at[0] += 1
    return at[0] > start


cdef bint _is_double(str text):
    """`xpath.DOUBLE`: [+-]? (digits (. digits*)? | . digits) ([eE] [+-]? digits)? | [+-]?INF."""
    cdef Py_ssize_t at = 0, end = len(text)
    if at < end and (text[at] == u"+" or text[at] == u"-"):
        at += 1
    if text[at:] == u"INF":
        return True
    cdef bint whole = _digits(text, &at, end), fraction = False
    if at < end and text[at] == u".":
        at += 1
        fraction = _digits(text, &at, end)
    if not (whole or fraction):
        return False
    if at < end and (text[at] == u"e" or text[at] == u"E"):
        at += 1
        if at < end and (text[at] == u"+" or text[at] == u"-"):
            at += 1
        if not _digits(text, &at, end):
            return False
    return at == end


cdef object _number(str text):
    text = text.strip(u" \t\r\n")
    if not _is_double(text):
        return NAN
    return float(text.replace(u"INF", u"inf"))


cdef object NAN = float("nan")


def number(text):
    """A string as a number (NaN when it is none): no regular expression."""
    if type(text) is not str:
        return PYTHON["number"](text)
    return _number(<str>text)


def compare(found, operator, value):
    """node set <op> number: some node whose value, as a number, compares so."""
    for text in found:
        if type(text) is not str:
            return PYTHON["compare"](found, operator, value)
    for text in found:
        if operator(_number(<str>text), value):
            return True
    return False
