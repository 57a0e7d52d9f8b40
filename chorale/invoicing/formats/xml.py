"""Hardened XML parsing for uploaded invoices.

No DTD (so no entity of any kind, internal or external), no network, no file access, libxml2's
own limits kept (no huge_tree), plus a size cap and a nesting cap checked while parsing.

The blanks between elements (a pretty-printed file's indentation, about half its nodes) are not
kept where that cannot change a text: no rule reads the string value of an element holding
elements, so only a text of blanks inside a leaf could matter, and libxml2 drops one of those
only beside a comment, a CDATA section or a processing instruction. Such a document keeps every
blank (`_blanks_may_matter` before parsing, `_comment_in_leaf` after).
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


def _parser(keep_blanks: bool) -> etree.XMLParser:
    """This thread's parser (lxml parsers are not shared between threads), made once."""
    parsers = getattr(_PARSERS, "parsers", None)
    if parsers is None:
        parsers = _PARSERS.parsers = {
            keep: etree.XMLParser(
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                dtd_validation=False,
                huge_tree=False,
                remove_pis=True,
                remove_blank_text=not keep,
            )
            for keep in (True, False)
        }
    return parsers[keep_blanks]


_PARSERS = threading.local()
BLANKS = b" \t\r\n"
DECLARATIONS = tuple(b"<?xml" + blank for blank in (b" ", b"\t", b"\r", b"\n"))


def _blanks_may_matter(data: bytes) -> bool:
    """Whether a blank libxml2 would drop could be part of a text: a CDATA section or a
    processing instruction past the XML declaration (both gone before any check after parsing
    could see them), or an encoding these byte searches cannot read (UTF-16, UTF-32). Plain
    byte searches: a regular expression's engine, cold after a validation, costs more here."""
    if b"\x00" in data[:4]:
        return True  # UTF-16 or UTF-32
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    at = data.find(b"<", start)
    if at < 0 or data[start:at].strip(BLANKS):
        return True  # not markup first: another encoding, or no XML at all
    if data.startswith(DECLARATIONS, at):
        end = data.find(b"?>", at)
        if end < 0:
            return True
        at = end + 2
    return _marked(data, b"?", 1, b"<?", at) or _marked(data, b"[", 2, b"<![", 0)


def _marked(data: bytes, rare: bytes, offset: int, marker: bytes, start: int) -> bool:
    """Whether `marker` occurs in data from `start`, found by its byte `rare` (at `offset` in
    it), which seldom occurs in an invoice: a search for one byte is a memchr, tens of times
    faster than one for several."""
    at = data.find(rare, start + offset)
    while at >= 0:
        if data.startswith(marker, at - offset):
            return True
        at = data.find(rare, at + 1)
    return False


def _comment_in_leaf(root: etree._Element) -> bool:
    """Whether a comment lies in an element holding no element: there libxml2 may have dropped
    a blank that was the element's text (« <a> <!-- c --> </a> »). On the compiled core where
    it is built, else by lxml: the same answer."""
    core = compiled.CORE
    if core:
        return core.comment_in_leaf(root)
    for comment in root.iter(etree.Comment):
        parent = comment.getparent()
        if parent is not None and parent.find("*") is None:
            return True
    return False


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
        keep_blanks = _blanks_may_matter(data)
        root = etree.fromstring(data, _parser(keep_blanks))
        if not keep_blanks and _comment_in_leaf(root):
            root = etree.fromstring(data, _parser(True))
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
