"""Building XML from the canonical model: shared by the CII and UBL writers."""

from lxml import etree


def add(parent, tag: str, text=None, **attributes):
    """A child element with its text and non-empty attributes. Nothing for a missing value
    (None), nor for an empty text without attributes."""
    attributes = {k: v for k, v in attributes.items() if v}
    empty = text is None or text == ""
    if text is None or (empty and not attributes):
        return None
    element = etree.SubElement(parent, tag, attributes)
    if not empty:
        element.text = str(text)
    return element


def group(parent, tag: str):
    return etree.SubElement(parent, tag)


def prune(element) -> None:
    """Drop the groups that ended up empty (optional business groups with no value)."""
    for child in list(element):
        prune(child)
        if len(child) == 0 and not (child.text or "").strip() and not child.attrib:
            element.remove(child)
