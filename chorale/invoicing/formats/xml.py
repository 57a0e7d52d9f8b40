"""Hardened XML parsing for uploaded invoices.

No DTD (so no entity of any kind, internal or external), no network, no file access, libxml2's
own limits kept (no huge_tree), plus a size cap and a nesting cap checked while parsing.
"""

import threading

from lxml import etree

from .. import compiled
from ..options import option
from .errors import FormatError

MAX_DEPTH = 64  # the deepest EN 16931 path is about 12 levels
TOO_DEEP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")  # one below the cap exists


def too_deep(root: etree._Element) -> bool:
    """Whether an element lies more than MAX_DEPTH levels down (on the compiled core where it
    is built, else by libxml2's XPath: the same answer)."""
    core = compiled.CORE
    return core.deeper_than(root, MAX_DEPTH) if core else TOO_DEEP(root)


def _parser() -> etree.XMLParser:
    """This thread's parser (lxml parsers are not shared between threads), made once."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_pis=True,
        )
    return parser


_PARSERS = threading.local()


def parse_xml(data: bytes) -> etree._Element:
    if not data or data.isspace():  # (no copy of the file, unlike strip())
        raise FormatError("empty_file", "Le fichier est vide.")
    limit = option("CHORALE_MAX_XML_BYTES")
    if len(data) > limit:
        raise FormatError(
            "xml_too_large",
            f"Le fichier XML dépasse la taille maximale ({limit // (1024 * 1024)} Mo).",
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise FormatError(
            "xml_malformed", f"Le fichier n'est pas un XML bien formé ({error.msg})."
        ) from error
    if root is None:
        raise FormatError("xml_malformed", "Le fichier n'est pas un XML bien formé.")
    if too_deep(root):
        raise FormatError(
            "xml_too_deep", f"Le XML imbrique plus de {MAX_DEPTH} niveaux d'éléments."
        )
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise FormatError(
            "xml_doctype_forbidden",
            "Le XML contient une déclaration DOCTYPE (DTD, entités) : elle est refusée.",
        )
    return root
