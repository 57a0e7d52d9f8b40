"""UBL 2.1: every corpus example round trips, and CII and UBL carry the same model."""

import dataclasses
from decimal import Decimal
from pathlib import Path

from chorale.invoicing.formats import read_invoice, write_invoice
from chorale.invoicing.formats.derived import gross_price, price_discount, vat_total
from chorale.invoicing.formats.detect import CII, UBL_CREDIT_NOTE, UBL_INVOICE, detect
from chorale.invoicing.validation.schema import schema_findings
from conftest import CORPUS


def files(*folders: tuple[str, ...]) -> list[Path]:
    found = [p for parts in folders for p in sorted(CORPUS.joinpath(*parts).glob("*.xml"))]
    assert found, folders
    return found


def test_every_ubl_example_round_trips_to_the_same_model():
    for path in files(("en16931", "examples-ubl"), ("zugferd", "XML-Rechnung", "UBL")):
        found, invoice = read_invoice(path.read_bytes())
        assert read_invoice(write_invoice(invoice, found.syntax))[1] == invoice, path.name


def with_derived_terms(invoice):
    """The model once a syntax's schema has made the writer derive the terms it requires
    (formats/derived.py): BT-147 or BT-148 beside the other, BT-110 beside BG-23."""
    lines = [
        dataclasses.replace(
            line, price_discount=price_discount(line), gross_price=gross_price(line)
        )
        for line in invoice.lines
    ]
    totals = dataclasses.replace(invoice.totals, vat_total=vat_total(invoice))
    return dataclasses.replace(invoice, lines=lines, totals=totals)


def test_cii_and_ubl_carry_the_same_model_both_ways():
    for path in files(("en16931", "examples-cii"), ("zugferd", "XML-Rechnung", "CII")):
        _, invoice = read_invoice(path.read_bytes())
        again = read_invoice(write_invoice(invoice, UBL_INVOICE))[1]
        assert again == with_derived_terms(invoice), path.name
    for path in files(("en16931", "examples-ubl"), ("zugferd", "XML-Rechnung", "UBL")):
        _, invoice = read_invoice(path.read_bytes())
        assert read_invoice(write_invoice(invoice, CII))[1] == with_derived_terms(invoice), (
            path.name
        )


def test_what_the_writers_produce_passes_the_official_schemas():
    """Every corpus example that is itself valid, written in CII and in UBL, passes the XSD
    of what it is written as (a MINIMUM or BASIC WL invoice has no lines: it has no UBL form)."""
    written = 0
    for path in files(
        ("en16931", "examples-cii"),
        ("en16931", "examples-ubl"),
        ("zugferd", "XML-Rechnung", "CII"),
        ("zugferd", "XML-Rechnung", "UBL"),
    ):
        found, invoice = read_invoice(path.read_bytes())
        if schema_findings(found):
            continue  # the source itself breaks its schema
        for syntax in (CII, UBL_INVOICE):
            output = detect(write_invoice(invoice, syntax))
            assert schema_findings(output) == [], (path.name, syntax)
            written += 1
    assert written > 100


def test_a_credit_note_is_written_as_a_ubl_credit_note():
    credit_notes = [
        p
        for p in files(("en16931", "examples-ubl"))
        if read_invoice(p.read_bytes())[0].syntax == UBL_CREDIT_NOTE
    ]
    assert credit_notes
    _, invoice = read_invoice(credit_notes[0].read_bytes())
    assert invoice.is_credit_note
    found, again = read_invoice(write_invoice(invoice, UBL_INVOICE))
    assert found.syntax == UBL_CREDIT_NOTE and again == invoice


def test_ubl_example_1_matches_its_cii_twin_on_the_key_terms():
    ubl = CORPUS / "en16931" / "examples-ubl" / "ubl-tc434-example1.xml"
    cii = CORPUS / "en16931" / "examples-cii" / "CII_example1.xml"
    _, from_ubl = read_invoice(ubl.read_bytes())
    _, from_cii = read_invoice(cii.read_bytes())
    for term in ("number", "issue_date", "type_code", "currency"):
        assert getattr(from_ubl, term) == getattr(from_cii, term)
    assert from_ubl.totals.payable == from_cii.totals.payable == Decimal("250.33")
    assert len(from_ubl.lines) == len(from_cii.lines)


def test_an_xs_date_is_read_with_or_without_its_time_zone_and_nothing_else():
    """UBL dates are xs:date: « 2017-01-15 », « 2017-01-15Z » or « 2017-01-15+01:00 » pass the
    schema and the official rules, and are read as that day (they were refused as no date);
    what xs:date is not (« 20170115 », a week date, a time) is no date."""
    import datetime

    from chorale.invoicing.validate import validate_bytes

    xml = (CORPUS / "en16931" / "examples-ubl" / "ubl-tc434-example9.xml").read_text()
    issued = xml.split("<cbc:IssueDate>", 1)[1].split("<", 1)[0]

    def dated(written: str) -> bytes:
        return xml.replace(f"<cbc:IssueDate>{issued}<", f"<cbc:IssueDate>{written}<", 1).encode()

    for written in ("2017-01-15", "2017-01-15Z", "2017-01-15+01:00", "2017-01-15-05:00"):
        _found, invoice = read_invoice(dated(written))
        assert invoice.issue_date == datetime.date(2017, 1, 15) and not invoice.reading_problems
        assert validate_bytes(dated(written)).valid, written
    for written in ("20170115", "2017-W03-1", "2017-01-15T10:00:00", "2017-01-15+1:00"):
        _found, invoice = read_invoice(dated(written))
        assert invoice.issue_date is None, written
        assert [p.code for p in invoice.reading_problems] == ["value_not_a_date"], written
