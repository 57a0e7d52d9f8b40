"""What the compiled core's modules share (`_core.pyx` defines it)."""

cimport lxml.includes.etreepublic as cetree
from cpython.ref cimport PyObject
from cpython.unicode cimport Py_UNICODE_ISSPACE
from lxml.includes cimport tree
from lxml.includes.tree cimport const_xmlChar


cdef extern from "Python.h":
    # A dictionary's value for a key, NULL where it has none (a borrowed reference). Not
    # PyDict_GetItem, which saves and restores the error indicator around each look-up (the
    # thread state read twice, a call into the loader where libpython is shared): the keys
    # looked up here (tags, tag paths, texts, numbers, branches) hash and compare without
    # ever raising, so NULL only ever means absent.
    PyObject* PyDict_GetItemWithError(object mapping, object key)


cdef class Branch:
    cdef tree.xmlNode* node
    cdef cetree._Document doc
    cdef public object tag, path, children
    cdef public long order, up
    cdef public bint alone


cdef bytes _encoded(str name)


cdef inline str _stripped(object text):
    """text.strip(), "" for None: a text with no blank at either end as it is (most are)."""
    if not text:
        return ""
    cdef str value = <str>text
    if not (Py_UNICODE_ISSPACE(value[0]) or Py_UNICODE_ISSPACE(value[len(value) - 1])):
        return value
    return value.strip()


cdef inline str _attribute(tree.xmlNode* node, bytes name):
    if node is NULL:
        return ""
    return _stripped(cetree.attributeValueFromNsName(node, NULL, <const_xmlChar*>name))
