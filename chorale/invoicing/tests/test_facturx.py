"""Factur-X writing: a readable PDF/A-3b whose embedded factur-x.xml reads back to the model."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from chorale.invoicing.formats import read_invoice
from chorale.invoicing.formats.facturx import write_facturx
from chorale.invoicing.validation import official
from conftest import require_pango

from .factories import sample_invoice


@pytest.fixture(autouse=True)
def pango():
    require_pango()


def test_the_pdf_carries_the_invoice_that_reads_back_equal():
    invoice = sample_invoice()
    pdf = write_facturx(invoice)
    found, again = read_invoice(pdf)
    assert (found.container, found.syntax, found.profile) == ("PDF", "CII", "EN16931")
    assert found.embedded_name == "factur-x.xml"
    assert again == invoice


def test_pdf_a3_structure_attachment_relationship_and_xmp():
    pdf = write_facturx(sample_invoice())
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    associated = [spec.get_object() for spec in catalog["/AF"]]
    assert {str(spec["/F"]) for spec in associated} == {"factur-x.xml"}
    assert all(spec["/AFRelationship"] == "/Data" for spec in associated)
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[^0-9]*3", xmp)
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
    assert "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" in xmp
    text = reader.pages[0].extract_text()
    assert "Facture n° F-2026-001" in text and "Montant à payer" in text


def test_the_pdf_reads_the_french_way_with_codes_in_words():
    invoice = sample_invoice()
    invoice.lines[0].net_price = Decimal("1428")
    invoice.lines[0].net_amount = Decimal("2856")
    text = PdfReader(io.BytesIO(write_facturx(invoice))).pages[0].extract_text()
    assert "2 856,00 €" in text.replace("\xa0", " ") and "1 428,00 €" in text.replace("\xa0", " ")
    assert "unité" in text and "Taux normal" in text and "C62" not in text


def test_the_official_factur_x_rules_accept_the_embedded_invoice():
    found, _ = read_invoice(write_facturx(sample_invoice()))
    fatal = [
        f for f in official.run(found.xml, found.syntax, found.profile) if f.severity == "fatal"
    ]
    assert fatal == []
