"""CII D16B: read every corpus example into the canonical model, write it back, read it again."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from chorale.invoicing.formats.cii_reader import NS, read_cii
from chorale.invoicing.formats.cii_writer import write_cii
from chorale.invoicing.formats.detect import detect
from chorale.invoicing.formats.errors import FormatError
from conftest import CORPUS


def cii_files() -> list[Path]:
    folders = [CORPUS / "en16931" / "examples-cii", CORPUS / "zugferd" / "XML-Rechnung" / "CII"]
    files = [p for folder in folders for p in sorted(folder.glob("*.xml"))]
    assert files
    return files


def read(data: bytes):
    return read_cii(detect(data).root)


def test_every_example_round_trips_to_the_same_model():
    for path in cii_files():
        invoice = read(path.read_bytes())
        assert read(write_cii(invoice)) == invoice, path.name


def test_every_other_complete_corpus_file_round_trips_too():
    """The CEN test files (UBL), every Factur-X / ZUGFeRD 2 file of v2-correct (XML and PDF,
    all profiles) and the German Factur-X PDFs: read, written in their syntax, read again."""
    from chorale.invoicing.formats import read_invoice, write_invoice

    files = sorted((CORPUS / "en16931" / "testfiles").glob("*.xml"))
    files += sorted(p for p in (CORPUS / "zugferd" / "v2-correct").rglob("*.*") if p.is_file())
    files += sorted((CORPUS / "zugferd" / "XML-Rechnung").rglob("*.pdf"))
    assert files
    for path in files:
        found, invoice = read_invoice(path.read_bytes())
        assert read_invoice(write_invoice(invoice, found.syntax))[1] == invoice, path.name
    assert len(files) >= 55  # the shipped corpus (tests/corpus/README.md)


def test_example_1_is_read_term_by_term():
    path = CORPUS / "en16931" / "examples-cii" / "CII_example1.xml"
    invoice = read(path.read_bytes())
    assert (invoice.number, invoice.type_code, invoice.currency) == ("12115118", "380", "EUR")
    assert invoice.issue_date == datetime.date(2015, 1, 9)
    assert invoice.seller.name == "De Koksmaat"
    assert invoice.lines[0].quantity == Decimal("2")
    assert invoice.lines[0].unit == "H87"
    assert invoice.lines[0].net_amount == Decimal("19.9")
    assert invoice.totals.payable == Decimal("250.33")
    assert {v.rate for v in invoice.vat_breakdown} == {Decimal("6"), Decimal("21")}


def test_written_cii_keeps_amounts_as_written_and_is_detected_again():
    invoice = read(cii_files()[0].read_bytes())
    again = detect(write_cii(invoice))
    assert again.syntax == "CII" and again.specification_id == invoice.specification_id


def test_a_bad_number_or_date_names_the_business_term():
    xml = cii_files()[0].read_bytes().decode("utf-8")
    broken_amount = xml.replace("<ram:DuePayableAmount>", "<ram:DuePayableAmount>douze", 1)
    with pytest.raises(FormatError) as error:
        read(broken_amount.encode())
    assert error.value.code == "value_not_a_number" and "BT-115" in error.value.message


def test_an_amount_read_again_is_the_same_number_and_the_kept_ones_stay_few(monkeypatch):
    """`values.finite_decimal` keeps each short text's number: the same value, exponent and
    sign as Decimal's (« 12.50 » is not « 12.5 »), nothing kept for what is no finite number
    or is long, never more than MOST_DECIMALS kept."""
    from chorale.invoicing.formats import values

    monkeypatch.setattr(values, "DECIMALS", {})  # (the compiled reader keeps its own handle)
    for text in ("12.50", "12.5", "-0.00", "1E+3", "0"):
        first, again = values.finite_decimal(text), values.finite_decimal(text)
        assert first is again and str(first) == str(Decimal(text)), text
    assert str(values.DECIMALS["12.50"]) == "12.50" and str(values.DECIMALS["12.5"]) == "12.5"
    for text in ("NaN", "-Infinity", "sNaN", "douze", "1e99999999999999999999", ""):
        assert values.finite_decimal(text) is None and text not in values.DECIMALS, text
    long = "1" * (values.LONGEST_KEPT + 1)
    assert values.finite_decimal(long) == Decimal(long) and long not in values.DECIMALS
    monkeypatch.setattr(values, "MOST_DECIMALS", 10)
    for number in range(25):
        assert values.finite_decimal(f"{number}.00") == Decimal(number)
        assert len(values.DECIMALS) <= 10


FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in "20170115")  # digits, not ASCII ones


@pytest.mark.parametrize("written", ["2017011", "201701155", "2017 115", "20170115x", FULL_WIDTH])
def test_a_date_of_format_102_is_eight_digits_or_refused(written):
    """CCYYMMDD, no more, no fewer: never a shorter or longer text read as some other day (the
    official rules do not check it; a due date read wrong is money paid on the wrong day)."""
    xml = cii_files()[0].read_bytes().decode("utf-8")
    date = xml.split('<udt:DateTimeString format="102">', 1)[1].split("<", 1)[0]
    spoiled = xml.replace(f'format="102">{date}<', f'format="102">{written}<', 1)
    with pytest.raises(FormatError) as error:
        read(spoiled.encode())
    assert error.value.code == "value_not_a_date" and "AAAAMMJJ" in error.value.message
    assert read(xml.replace(f'format="102">{date}<', 'format="102"> 20170115 <', 1).encode())


def test_written_cii_has_no_empty_element():
    for path in cii_files():
        root = detect(write_cii(read(path.read_bytes()))).root
        empty = [
            element.tag
            for element in root.iter()
            if len(element) == 0
            and not (element.text or "").strip()
            and not element.attrib  # an identifier given with its scheme only, as read
            and not element.tag.endswith(
                ("AttachmentBinaryObject", "ApplicableHeaderTradeDelivery")
            )
        ]
        assert empty == [], path.name


def test_an_invoice_with_nothing_in_it_is_written_with_the_groups_the_schema_requires():
    """Nothing in the header agreement nor the settlement: the writer keeps the empty groups
    the CII schema requires (it used to fail on an agreement with nothing to say)."""
    from chorale.invoicing.model import Invoice, Party

    nothing = Invoice(type_code="380", seller=Party(address=None), buyer=Party(address=None))
    root = detect(write_cii(nothing)).root
    transaction = root.find(f"{{{NS['rsm']}}}SupplyChainTradeTransaction")
    assert [child.tag.split("}")[1] for child in transaction] == [
        "ApplicableHeaderTradeAgreement",
        "ApplicableHeaderTradeDelivery",
        "ApplicableHeaderTradeSettlement",
    ]
    assert read(write_cii(nothing)).type_code == "380"
