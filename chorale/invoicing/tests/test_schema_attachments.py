"""Large attachments set aside while the XSD judges (`validation.schema`): the compiled core
scans their base64 in one pass and hands libxml2 a short valid text instead, when the text is
plain base64. Whatever the text, the findings are those libxml2 gives on the whole document,
and the document gets its text back."""

import base64
import re

import pytest

from chorale.invoicing import compiled
from chorale.invoicing.formats import detect
from chorale.invoicing.validation import schema
from conftest import CORPUS

from .cores import using

ENCODED = base64.b64encode(bytes(range(256)) * 300).decode()  # 102,400 characters, no '='
assert len(ENCODED) >= schema.LARGE

# (name, text of the attachment, whether the core sets it aside)
TEXTS = [
    ("one line", ENCODED, True),
    ("lines of 76", "\n".join(re.findall(".{1,76}", ENCODED)), True),
    ("blanks of every kind", "\r\n\t " + " ".join(re.findall(".{1,50}", ENCODED)) + " \n", True),
    ("one '='", ENCODED[:-4] + "AAE=", True),
    ("two '='", ENCODED[:-4] + "AA==", True),
    ("unused bits set before one '='", ENCODED[:-4] + "AAF=", False),
    ("unused bits set before two '='", ENCODED[:-4] + "AB==", False),
    ("three '='", ENCODED[:-4] + "A===", False),
    ("a group of three", ENCODED[:-1], False),
    ("'=' inside", ENCODED[:1000] + "=" + ENCODED[1000:], False),
    ("a stray character (libxml2 skips it)", ENCODED[:1000] + "*" + ENCODED[1000:], False),
    ("a letter outside ASCII", ENCODED + "é", False),
    ("small", ENCODED[:4000], False),
    ("text, comment, text", ENCODED[:4000] + "<!-- x -->" + ENCODED[4000:], False),
]
FILES = {
    "CII": (CORPUS / "zugferd/other/eicar.cii.xml", "AttachmentBinaryObject"),
    "UBL": (CORPUS / "zugferd/other/eicar.ubl.xml", "EmbeddedDocumentBinaryObject"),
}


def _document(syntax: str, text: str, attributes: bool = True) -> bytes:
    path, tag = FILES[syntax]
    data = path.read_text(encoding="utf-8")
    pattern = rf'(<\w+:{tag}) mimeCode="[^"]*"([^>]*>)[^<]*(</)'
    mime = ' mimeCode="application/pdf"' if attributes else ""
    changed, count = re.subn(pattern, lambda m: m[1] + mime + m[2] + text + m[3], data)
    assert count == 1
    return changed.encode()


def _findings(data: bytes, core: str) -> list[dict]:
    with using(core):
        found = detect.detect(data)
        findings = [f.as_dict() for f in schema.schema_findings(found)]
        attachment = next(found.root.iter(*schema.BINARY_OBJECTS))
        assert len(attachment.xpath("string()")) >= 4000  # its text given back
        return findings


@pytest.mark.parametrize("syntax", FILES)
@pytest.mark.parametrize(("name", "text", "aside"), TEXTS, ids=[t[0] for t in TEXTS])
def test_the_schema_says_the_same_with_the_attachment_set_aside(syntax, name, text, aside):
    data = _document(syntax, text)
    libxml2 = _findings(data, "pure")  # the pure-Python engine never sets one aside
    assert _findings(data, "compiled") == libxml2
    core = compiled.built
    found = detect.detect(data)
    before = [e.xpath("string()") for e in found.root.iter(*schema.BINARY_OBJECTS)]
    held = core.set_aside(found.root.iter(*schema.BINARY_OBJECTS), schema.LARGE)
    try:
        assert len(held) == aside
        assert schema._schema(schema.schema_path(found.syntax, found.profile)).validate(
            found.root
        ) == (aside or not libxml2)  # set aside: valid for libxml2
    finally:
        core.put_back(held)
    assert [e.xpath("string()") for e in found.root.iter(*schema.BINARY_OBJECTS)] == before
    assert not libxml2 or not aside  # what the core sets aside, libxml2 takes as it is


@pytest.mark.parametrize("syntax", FILES)
def test_an_attachment_set_aside_keeps_the_errors_of_its_element(syntax):
    """No mimeCode: libxml2's finding, word for word and line for line, with or without the
    text set aside."""
    data = _document(syntax, ENCODED, attributes=False)
    libxml2 = _findings(data, "pure")
    assert libxml2 and "mimeCode" in libxml2[0]["message"]
    assert _findings(data, "compiled") == libxml2


def test_the_corpus_example_with_a_large_attachment_is_judged_alike():
    path = next((CORPUS / "en16931/examples-ubl").glob("FT G2G*.xml"))
    data = path.read_bytes()
    assert _findings(data, "compiled") == _findings(data, "pure")


def test_a_wrong_element_midway_leaves_no_text_set_aside():
    from lxml import etree

    with using("compiled"):
        root = etree.fromstring(f"<a><b>{ENCODED}</b></a>".encode())
        with pytest.raises(TypeError):
            compiled.CORE.set_aside([root[0], "not an element"], schema.LARGE)
        assert root[0].text == ENCODED
