"""Engagements imported from a CSV or XLSX table: every line or none, each mistake with its
line and column; a forged, huge or empty file refused with a message saying why."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from chorale.core.errors import BusinessError
from chorale.engagements.models import Engagement
from chorale.engagements.services import engagements_import
from chorale.structures.models import Service
from conftest import make_structure, make_user

HEADER = (
    "numero;type;objet;siret_fournisseur;fournisseur;montant_ttc;date_notification;code_service"
)


@pytest.fixture
def buyer(db):
    structure = make_structure(
        make_user("acheteur@example.test"), identifier="21440109300015", is_private=False
    )
    Service.objects.create(structure=structure, code="TECH", label="Services techniques")
    return structure


def run(buyer, text: str, name="ej.csv"):
    return engagements_import(user=None, structure=buyer, name=name, content=text.encode("utf-8"))


def test_a_csv_creates_then_updates(buyer):
    table = "\n".join(
        [
            HEADER,
            "EJ-1;bon de commande;Voirie;98765432400019;ATELIER;1 234,56;2026-10-01;tech",
            "EJ-2;MARCHE;;987654324;ATELIER;500;15/10/2026;",
        ]
    )
    assert run(buyer, table) == {"created": 2, "updated": 0}
    first = Engagement.objects.get(number="EJ-1")
    assert (first.amount, first.kind, first.service.code) == (
        Decimal("1234.56"),
        "BON_DE_COMMANDE",
        "TECH",
    )
    assert Engagement.objects.get(number="EJ-2").notified_on.isoformat() == "2026-10-15"
    assert run(buyer, HEADER + "\nEJ-1;;;98765432400019;ATELIER;2000;2026-10-01;") == {
        "created": 0,
        "updated": 1,
    }
    assert Engagement.objects.get(number="EJ-1").amount == Decimal("2000")


def test_one_wrong_line_imports_nothing_and_says_where(buyer):
    table = "\n".join(
        [
            HEADER,
            "EJ-1;;;98765432400019;ATELIER;100;2026-10-01;",
            "EJ-2;;;12345678900000;X;abc;2026-13-01;NOPE",
            "EJ-1;;;98765432400019;ATELIER;100;2026-10-01;",
        ]
    )
    with pytest.raises(BusinessError) as refused:
        run(buyer, table)
    message = refused.value.message
    assert refused.value.code == "table_invalid"
    assert "Ligne 3, colonne siret_fournisseur" in message
    assert "Ligne 3, colonne montant_ttc" in message
    assert "Ligne 3, colonne date_notification" in message
    assert "Ligne 3, colonne code_service" in message
    assert "Ligne 4, colonne numero" in message  # twice in the file
    assert not Engagement.objects.exists()


def test_missing_columns_are_named(buyer):
    with pytest.raises(BusinessError) as refused:
        run(buyer, "numero;montant_ttc\nEJ-1;100")
    assert refused.value.code == "table_columns"
    assert "date_notification" in refused.value.message


def test_an_xlsx_is_read_with_its_dates_and_numbers(buyer):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Numero", "siret_fournisseur", "fournisseur", "montant_ttc", "date_notification"])
    sheet.append(["EJ-X", "98765432400019", "ATELIER", 750.5, datetime.datetime(2026, 9, 30)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert engagements_import(
        user=None, structure=buyer, name="ej.xlsx", content=buffer.getvalue()
    ) == {"created": 1, "updated": 0}
    engagement = Engagement.objects.get()
    assert (engagement.amount, engagement.notified_on.isoformat()) == (
        Decimal("750.50"),
        "2026-09-30",
    )


def test_forged_huge_and_empty_files_are_refused(buyer):
    cases = {
        "table_unreadable": (b"PK\x03\x04 not really a zip", "ej.xlsx"),
        "table_too_large": (b"x" * (5 * 1024 * 1024 + 1), "ej.csv"),
        "table_empty": (b"\n\n", "ej.csv"),
    }
    for code, (content, name) in cases.items():
        with pytest.raises(BusinessError) as refused:
            engagements_import(user=None, structure=buyer, name=name, content=content)
        assert refused.value.code == code
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(BusinessError) as refused:
        engagements_import(user=None, structure=buyer, name="ej.xlsx", content=bomb.getvalue())
    assert refused.value.code == "table_too_large"
    assert not Engagement.objects.exists()
