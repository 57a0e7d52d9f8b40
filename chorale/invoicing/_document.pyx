# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled core's checks of a parsed document before its walk (`_core` hands them on, so
that `compiled.CORE` is the one handle): its depth against the nesting cap and its comments in
leaves (`formats.xml`), and its large attachments set aside while the XSD judges it
(`validation.schema`)."""

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar
from libc.string cimport strcmp

cetree.import_lxml__etree()


cdef inline tree.xmlNode* _element_from(tree.xmlNode* node):
    """`node` or the first element after it among its siblings."""
    while node is not NULL and node.type != tree.XML_ELEMENT_NODE:
        node = node.next
    return node


cdef tree.xmlNode* _following(tree.xmlNode* node, tree.xmlNode* top, int* depth):
    """The element after `node` in document order below `top` (its first element, else the
    next one after it or after one of its ancestors), `depth` kept; NULL after the last. No
    stack: libxml2's parent links."""
    cdef tree.xmlNode* below = _element_from(node.children)
    if below is not NULL:
        depth[0] += 1
        return below
    while node is not top:
        below = _element_from(node.next)
        if below is not NULL:
            return below
        node = node.parent
        depth[0] -= 1
    return NULL


def deeper_than(cetree._Element root, int most):
    """Whether an element lies more than `most` levels down from the document (the root
    element is level 1), as « boolean(/*/*…) » with most + 1 steps says: one pass over the
    elements."""
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* node = top
    cdef int depth = 1
    while node is not NULL:
        if depth > most:
            return True
        node = _following(node, top, &depth)
    return False


cdef inline bint _commented_leaf(tree.xmlNode* element):
    """Whether the element holds a comment and no element."""
    cdef tree.xmlNode* child = element.children
    cdef bint commented = False
    while child is not NULL:
        if child.type == tree.XML_ELEMENT_NODE:
            return False
        if child.type == tree.XML_COMMENT_NODE:
            commented = True
        child = child.next
    return commented


def comment_in_leaf(cetree._Element root):
    """Whether a comment lies in an element holding no element (`formats.xml`): one pass
    over the elements."""
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* node = top
    cdef int depth = 1
    while node is not NULL:
        if _commented_leaf(node):
            return True
        node = _following(node, top, &depth)
    return False


cdef tree.xmlNode* _first_down(tree.xmlNode* node, tuple steps, Py_ssize_t i):
    """The first element, in document order, down the child steps from the i-th on."""
    if i == len(steps):
        return node
    cdef bytes href = <bytes>(<tuple>steps[i])[0], name = <bytes>(<tuple>steps[i])[1]
    cdef tree.xmlNode* child = node.children
    cdef tree.xmlNode* found
    while child is not NULL:
        if (child.type == tree.XML_ELEMENT_NODE and child.ns is not NULL
                and strcmp(<const char*>child.name, name) == 0
                and strcmp(<const char*>child.ns.href, href) == 0):
            found = _first_down(child, steps, i + 1)
            if found is not NULL:
                return found
        child = child.next
    return NULL


def first_text(cetree._Element root, tuple steps):
    """The text (lxml's `.text`) of the first element, in document order, down `steps` from
    root — (namespace, local name) as bytes — or None where there is none: what an XPath of
    child steps finds first (`formats.detect`'s BT-24)."""
    cdef tree.xmlNode* found = _first_down(root._c_node, steps, 0)
    if found is NULL:
        return None
    text = cetree.textOf(found)
    return "" if text is None else text


# Large attachments set aside while the XSD judges (`validation.schema`): libxml2 checks an
# xs:base64Binary one character at a time, then decodes it; this scan says the same of plain
# base64 in one pass.
cdef unsigned char[256] BASE64  # 0-63: a digit's value, 64: '=', 65: a blank, 255: other


cdef void _base64_table():
    cdef const unsigned char* digits = (
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    cdef int i
    for i in range(256):
        BASE64[i] = 255
    for i in range(64):
        BASE64[digits[i]] = i
    BASE64[ord("=")] = 64
    for i in (ord(" "), ord("\t"), ord("\n"), ord("\r")):
        BASE64[i] = 65


_base64_table()
cdef const_xmlChar* PLACEHOLDER = <const_xmlChar*>"AAAA"


cdef bint _plain_base64(const_xmlChar* text, Py_ssize_t least):
    """Whether the text is plain base64 of at least `least` characters: the alphabet, blanks
    anywhere, whole groups of four, at most two '=' at the end, their unused bits zero. That
    is what XML Schema asks of xs:base64Binary, and libxml2 takes all of it (and more: it
    skips any other character)."""
    cdef Py_ssize_t length = 0, digits = 0, padding = 0
    cdef unsigned char value, last = 0
    while text[length]:
        value = BASE64[text[length]]
        length += 1
        if value < 64:
            if padding:
                return False
            digits += 1
            last = value
        elif value == 64:
            padding += 1
        elif value != 65:
            return False
    if length < least or padding > 2 or (digits + padding) % 4:
        return False
    return not (padding == 1 and last & 0x03 or padding == 2 and last & 0x0F)


cdef class _Aside:
    cdef tree.xmlNode* node
    cdef tree.xmlChar* content
    cdef object owner  # the element: its document lives while its text is set aside


def set_aside(elements, Py_ssize_t least):
    """The text of each element that is one text node of plain base64, `least` characters or
    more, replaced by a short valid one until `put_back`."""
    cdef tree.xmlNode* text
    cdef _Aside held
    cdef list found = []
    try:
        for element in elements:
            text = (<cetree._Element?>element)._c_node.children
            if (text is NULL or text.next is not NULL or text.type != tree.XML_TEXT_NODE
                    or text.content is NULL or not _plain_base64(text.content, least)):
                continue
            held = _Aside.__new__(_Aside)
            held.node, held.content, held.owner = text, text.content, element
            text.content = <tree.xmlChar*>PLACEHOLDER
            found.append(held)
    except BaseException:
        put_back(found)  # (not an element: none stays replaced)
        raise
    return found


def put_back(list found):
    """The texts `set_aside` replaced, back in their place."""
    cdef _Aside held
    for entry in found:
        held = <_Aside>entry
        held.node.content = held.content
