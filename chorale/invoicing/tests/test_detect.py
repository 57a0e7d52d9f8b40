"""Recognition of syntaxes and profiles over the shared corpus (read in place), and refusal of
hostile or foreign files with a stable code and a French message."""

from pathlib import Path

import pytest

from chorale.invoicing.formats import detect as d
from chorale.invoicing.formats.errors import FormatError
from conftest import CORPUS


def corpus(*parts: str, pattern: str = "*") -> list[Path]:
    found = sorted(p for p in CORPUS.joinpath(*parts).rglob(pattern) if p.is_file())
    assert found, parts
    return found


def refused(data: bytes) -> FormatError:
    with pytest.raises(FormatError) as error:
        d.detect(data)
    assert error.value.message  # always a French explanation
    return error.value


def test_every_official_cii_example_is_cii_en16931_family():
    for path in corpus("en16931", "examples-cii", pattern="*.xml"):
        found = d.detect(path.read_bytes())
        assert found.syntax == d.CII, path.name
        assert found.profile in (d.EN16931, d.CIUS, d.OTHER), path.name


def test_every_official_ubl_example_is_an_invoice_or_a_credit_note():
    syntaxes = {
        d.detect(p.read_bytes()).syntax for p in corpus("en16931", "examples-ubl", pattern="*.xml")
    }
    assert syntaxes == {d.UBL_INVOICE, d.UBL_CREDIT_NOTE}


def test_german_b2b_samples_are_read_with_their_profiles():
    profiles = set()
    for path in corpus("zugferd", "XML-Rechnung", pattern="*.xml"):
        found = d.detect(path.read_bytes())
        assert found.syntax in (d.CII, d.UBL_INVOICE, d.UBL_CREDIT_NOTE), path.name
        profiles.add(found.profile)
    assert {d.EN16931, d.PEPPOL} <= profiles


def test_factur_x_pdfs_yield_their_embedded_cii_and_profile():
    profiles = set()
    for path in corpus("zugferd", "v2-correct", pattern="*.pdf"):
        try:
            found = d.detect(path.read_bytes())
        except FormatError as error:  # a correct PDF may only carry an XRechnung-less id
            pytest.fail(f"{path.name}: {error.code} {error.message}")
        assert found.container == "PDF" and found.syntax == d.CII, path.name
        assert found.embedded_name.lower() in d.EMBEDDED_XML_NAMES
        profiles.add(found.profile)
    assert {d.MINIMUM, d.BASIC_WL, d.BASIC, d.EN16931, d.EXTENDED} <= profiles


def test_zugferd_1_is_refused_as_unsupported():
    codes = set()
    for path in corpus("zugferd", "v1", pattern="*.pdf"):
        try:
            d.detect(path.read_bytes())
        except FormatError as error:
            codes.add(error.code)
    assert codes <= {
        "format_unsupported_zugferd1",
        "format_unsupported",
        "pdf_without_xml",
        "pdf_unreadable",
    }
    assert "format_unsupported_zugferd1" in codes


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"   \n", "empty_file"),
        (b"\x00\x01\x02garbage\xff", "format_unsupported"),
        (b" \t\r\n\x0b\x0cgarbage <a/>", "format_unsupported"),  # blanks, then no XML
        (b" \t\r\n\x0b\x0c<a><b></a>", "xml_malformed"),  # blanks, then XML: parsed
        (b"\xa0<a/>", "format_unsupported"),  # not an ASCII blank
        (b"<a><b></a>", "xml_malformed"),
        (b"<html><body>facture</body></html>", "format_unsupported"),
        (b"%PDF-1.7\n%%EOF", "pdf_unreadable"),
    ],
)
def test_broken_or_foreign_files_get_a_clear_refusal(data, code):
    assert refused(data).code == code


def test_external_entities_are_never_fetched_nor_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<rsm:CrossIndustryInvoice xmlns:rsm="{d.CII_NS}">&x;</rsm:CrossIndustryInvoice>'
    ).encode()
    error = refused(xxe)
    assert error.code == "xml_doctype_forbidden"
    assert "TOP-SECRET" not in error.message


def test_billion_laughs_is_refused_without_expansion():
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{"&a" + str(i - 1) + ";" * 1}{("&a" + str(i - 1) + ";") * 9}">'
        for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><r>&a9;</r>'.encode()
    assert refused(bomb).code in ("xml_doctype_forbidden", "xml_malformed")


def test_deep_nesting_and_oversize_are_refused(settings):
    deep = b"<a>" * 200 + b"</a>" * 200
    assert refused(deep).code == "xml_too_deep"
    settings.CHORALE_MAX_XML_BYTES = 1000
    big = b"<r>" + b"x" * 2000 + b"</r>"
    assert refused(big).code == "xml_too_large"


def test_unknown_specification_identifier_is_left_to_the_cen_rules():
    xml = (
        f'<rsm:CrossIndustryInvoice xmlns:rsm="{d.CII_NS}" xmlns:ram="{d.RAM_NS}">'
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        "<ram:ID>urn:example:inconnu</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>"
        "</rsm:ExchangedDocumentContext></rsm:CrossIndustryInvoice>"
    ).encode()
    found = d.detect(xml)
    assert (found.profile, found.specification_id) == (d.OTHER, "urn:example:inconnu")


@pytest.mark.parametrize(
    ("identifier", "profile"),
    [
        ("urn:factur-x.eu:1p0:minimum", d.MINIMUM),
        ("urn:zugferd.de:2p0:basicwl", d.BASIC_WL),
        ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", d.BASIC),
        ("urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic", d.BASIC),
        ("urn:cen.eu:en16931:2017", d.EN16931),
        ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", d.EXTENDED),
        (
            "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr",
            d.EXTENDED_CTC_FR,
        ),
        ("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", d.XRECHNUNG),
        ("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", d.PEPPOL),
    ],
)
def test_profiles_follow_the_specification_identifier(identifier, profile):
    assert d.profile_of(identifier) == profile


def test_each_thread_parses_with_its_own_parser_whatever_the_previous_file():
    """`xml._parser` keeps one parser per thread: a malformed file, an entity or a file too
    deep leaves nothing behind for the next parse, and threads never share one."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from chorale.invoicing.formats import xml

    files = sorted((CORPUS / "en16931" / "examples-cii").glob("*.xml"))[:4]
    files += sorted((CORPUS / "en16931" / "examples-ubl").glob("*.xml"))[:4]
    expected = [(f.syntax, f.specification_id) for f in map(d.detect, map(Path.read_bytes, files))]
    hostile = [
        b"<a><b></a>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>',
        b"<a>" * 70 + b"</a>" * 70,
    ]

    mine = xml._parser(False)
    together = threading.Barrier(4)  # four threads at once, each time

    def judge(_round: int) -> tuple[list, set]:
        together.wait(timeout=30)
        seen, refused = [], set()
        for path in files:
            for data in hostile:
                try:
                    d.detect(data)
                except FormatError as error:
                    refused.add(error.code)
            found = d.detect(path.read_bytes())
            seen.append((found.syntax, found.specification_id))
        return seen, {id(xml._parser(False))} | refused

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(judge, range(8)))
    assert all(seen == expected for seen, _ in results)
    codes = set().union(*(extra for _, extra in results))
    assert {"xml_malformed", "xml_doctype_forbidden", "xml_too_deep"} <= codes
    parsers = {c for c in codes if isinstance(c, int)}
    assert len(parsers) == 4  # one per thread of the pool, none shared
    assert id(mine) not in parsers  # nor with this thread


BLANK_CASES = [  # (document, whether the blanks between its elements may be dropped)
    (b'<?xml version="1.0"?>\n<a>\n  <b> x </b>\n  <c>   </c>\n  <!-- between -->\n</a>', True),
    (b"<a>\n <b> <!-- a leaf's comment --> </b>\n</a>", False),
    (b"<a>\n <b><!--c-->  <!--d-->x</b>\n</a>", False),
    (b"<a>\n <b> <![CDATA[x]]></b>\n</a>", False),
    (b"<a>\n <b> <?pi here?> </b>\n</a>", False),
    (b'<?xml version="1.0"?>\n<?xml-stylesheet href="x"?>\n<a>\n <b>x</b>\n</a>', False),
    (b'<?xml-stylesheet href="x"?>\n<a>\n <b> <?pi?> </b>\n</a>', False),  # no declaration
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<a>\n <b>?[x]</b>\n</a>', True),
    ('<?xml version="1.0" encoding="UTF-16"?>\n<a>\n <b> </b>\n</a>'.encode("utf-16"), False),
    (
        '<?xml version="1.0" encoding="UTF-16"?><a> <b> <![CDATA[x]]></b></a>'.encode("utf-16-le"),
        False,
    ),
]


@pytest.mark.parametrize(("data", "dropped"), BLANK_CASES)
def test_blanks_between_elements_are_dropped_only_where_no_text_can_change(data, dropped):
    """The parser drops the indentation between elements, never a blank of a text: beside a
    comment, a CDATA section or a processing instruction in a leaf, libxml2 would drop one, so
    such a document keeps them all. Every leaf's string value is a plain parse's."""
    from lxml import etree

    from chorale.invoicing.formats.xml import parse_xml

    root = parse_xml(data)
    plain = etree.fromstring(data)
    string = etree.XPath("string(.)")
    leaves = [e for e in plain.iter("*") if e.find("*") is None]
    assert [string(e) for e in root.iter("*") if e.find("*") is None] == list(map(string, leaves))
    assert (root.text is None) == dropped  # the indentation after <a>


def test_reports_are_the_same_whether_the_blanks_between_elements_are_kept_or_not(monkeypatch):
    """Every corpus invoice (a Factur-X PDF's XML, each official unit test's document), as
    written and indented anew, gets the same report, finding by finding, with the blanks
    between its elements dropped or kept."""
    from lxml import etree

    from chorale.invoicing.formats import xml
    from chorale.invoicing.validate import validate_bytes
    from chorale.invoicing.validation.conformance import VEFA

    written = []
    for path in corpus("en16931", pattern="*.xml") + corpus("zugferd", pattern="*.*"):
        try:
            written.append(d.detect(path.read_bytes()).xml)
        except FormatError:  # a unit test set: its documents below
            if path.suffix == ".xml" and path.read_bytes().find(VEFA[1:-1].encode()) >= 0:
                for test in etree.parse(str(path)).getroot().iterchildren(f"{VEFA}test"):
                    written += [etree.tostring(c) for c in test if not c.tag.startswith(VEFA)]
    documents = []
    for data in written:
        indented = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
        etree.indent(indented, space="   ")
        documents += [data, etree.tostring(indented, xml_declaration=True, encoding="UTF-8")]
    assert len(documents) > 700
    dropped = [validate_bytes(data).as_dict() for data in documents]
    monkeypatch.setattr(xml, "_blanks_may_matter", lambda data: True)
    kept = [validate_bytes(data).as_dict() for data in documents]
    assert kept == dropped
