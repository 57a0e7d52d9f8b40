"""Building XML from the canonical model: shared by the CII and UBL writers."""

from lxml import etree


def add(parent, tag: str, text=None, keep_empty: bool = False, **attributes):
    """A child element with its text and non-empty attributes; nothing when the text is
    missing or empty, unless `keep_empty` keeps an empty element that carries attributes
    (an attachment whose content is elsewhere)."""
    attributes = {k: v for k, v in attributes.items() if v}
    empty = text is None or text == ""
    if empty and not (keep_empty and attributes):
        return None
    element = etree.SubElement(parent, tag, attributes)
    if not empty:
        element.text = str(text)
    return element


def group(parent, tag: str):
    return etree.SubElement(parent, tag)


def prune(element, keep: frozenset = frozenset()) -> None:
    """Drop the groups that ended up empty (optional business groups with no value), except
    those of the `keep` tags (groups the schema requires even when empty)."""
    for child in list(element):
        prune(child, keep)
        empty = len(child) == 0 and not (child.text or "").strip() and not child.attrib
        if empty and child.tag not in keep:
            element.remove(child)
