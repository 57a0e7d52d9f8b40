"""SIRENE import, on INSEE-format samples shipped in tests/data/sirene and on our own rows."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from chorale.directory.models import SireneEstablishment, SireneUnit
from chorale.directory.selectors import sirene_siret_lookup
from chorale.directory.sirene.columns import ESTABLISHMENT_COLUMNS, UNIT_COLUMNS
from chorale.directory.sirene.importer import import_sirene_file
from chorale.directory.sirene.reader import SireneFileError
from conftest import SIRENE_SAMPLES

DEMO = Path(__file__).resolve().parents[1] / "demo"


@pytest.fixture
def sirene_samples():
    return SIRENE_SAMPLES


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in columns})
    return path


def establishment(siret: str, **fields) -> dict:
    return {
        "siren": siret[:9],
        "nic": siret[9:],
        "siret": siret,
        "statutDiffusionEtablissement": "O",
        "etatAdministratifEtablissement": "A",
        "etablissementSiege": "true",
        **fields,
    }


@pytest.mark.django_db
def test_official_samples_import_with_every_identifier_kept_as_text(sirene_samples):
    call_command(
        "import_sirene",
        str(sirene_samples / "StockEtablissement_sample.zip"),
        str(sirene_samples / "StockUniteLegale_sample.zip"),
        "--no-progress",
        stdout=io.StringIO(),
    )
    assert SireneUnit.objects.count() == 19
    assert SireneEstablishment.objects.count() == 31
    assert SireneUnit.objects.get(siren="130025265").head_office_nic == "00013"
    lycee = sirene_siret_lookup("19810012500014")
    assert lycee.company_name == "LYCEE POLYVALENT JEAN JAURES"
    assert (lycee.postal_code, lycee.city) == ("81400", "BLAYE-LES-MINES")


@pytest.mark.django_db
def test_reimporting_the_same_file_updates_and_never_duplicates(sirene_samples):
    for _ in range(2):
        import_sirene_file(sirene_samples / "StockEtablissement_sample.csv")
    assert SireneEstablishment.objects.count() == 31


@pytest.mark.django_db
def test_a_newer_month_updates_the_rows(tmp_path):
    path = tmp_path / "StockEtablissement_utf8.csv"
    write_csv(
        path,
        ESTABLISHMENT_COLUMNS,
        [establishment("98765432400019", codePostalEtablissement="69002")],
    )
    import_sirene_file(path)
    write_csv(
        path,
        ESTABLISHMENT_COLUMNS,
        [
            establishment(
                "98765432400019",
                codePostalEtablissement="69003",
                etatAdministratifEtablissement="F",
            )
        ],
    )
    import_sirene_file(path)
    row = SireneEstablishment.objects.get()
    assert (row.postal_code, row.is_open) == ("69003", False)


@pytest.mark.django_db
def test_masked_values_are_never_stored_and_are_listed(sirene_samples):
    import_sirene_file(sirene_samples / "StockUniteLegale_sample.csv")
    import_sirene_file(sirene_samples / "StockEtablissement_sample.csv")
    hidden = SireneEstablishment.objects.get(siret="99999001300016")
    assert "[ND]" not in "".join(
        [hidden.address_line1, hidden.address_line2, hidden.postal_code, hidden.sign]
    )
    assert "libelleVoieEtablissement" in hidden.masked_fields
    assert hidden.city == "RENNES"  # the commune stays visible
    unit = SireneUnit.objects.get(siren="999990013")
    assert unit.name == "" and unit.is_partially_diffusible
    lookup = sirene_siret_lookup("99999001300016")
    assert lookup.is_partially_diffusible and lookup.company_name == ""


@pytest.mark.django_db
def test_only_public_keeps_public_law_bodies(sirene_samples):
    call_command(
        "import_sirene",
        str(sirene_samples / "StockEtablissement_sample.csv"),
        str(sirene_samples / "StockUniteLegale_sample.csv"),
        "--only-public",
        "--no-progress",
        stdout=io.StringIO(),
    )
    assert SireneUnit.objects.count() == 9
    assert all(u.legal_category.startswith("7") for u in SireneUnit.objects.all())
    assert not SireneEstablishment.objects.filter(siren="356000000").exists()
    assert SireneEstablishment.objects.filter(siren="217500016").exists()


@pytest.mark.django_db
def test_departement_filter_keeps_one_departement(sirene_samples):
    import_sirene_file(sirene_samples / "StockEtablissement_sample.csv", department="974")
    assert list(SireneEstablishment.objects.values_list("siret", flat=True)) == ["35155639400010"]


@pytest.mark.django_db
def test_only_public_on_establishments_alone_says_what_to_import_first(sirene_samples):
    with pytest.raises(CommandError, match="StockUniteLegale file first"):
        call_command(
            "import_sirene",
            str(sirene_samples / "StockEtablissement_sample.csv"),
            "--only-public",
            "--no-progress",
            stdout=io.StringIO(),
        )


@pytest.mark.django_db
def test_quoted_fields_with_commas_and_crlf_line_ends_are_read(tmp_path):
    path = write_csv(
        tmp_path / "e.csv",
        ESTABLISHMENT_COLUMNS,
        [
            establishment(
                "98765432400019",
                libelleVoieEtablissement='DES "ARTS", ET METIERS',
                codePostalEtablissement="01000",
            )
        ],
    )
    import_sirene_file(path)
    row = SireneEstablishment.objects.get()
    assert row.address_line1 == 'DES "ARTS", ET METIERS'
    assert row.postal_code == "01000"


@pytest.mark.django_db
def test_parquet_edition_is_read_like_the_csv(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [
        {
            "siren": "021990123",
            "denominationUniteLegale": "COMMUNE TEST",
            "categorieJuridiqueUniteLegale": "7210",
            "etatAdministratifUniteLegale": "A",
            "statutDiffusionUniteLegale": "O",
            "nicSiegeUniteLegale": "00010",
        }
    ]
    table = pa.table({name: [row.get(name) for row in rows] for name in UNIT_COLUMNS})
    pq.write_table(table, tmp_path / "StockUniteLegale_utf8.parquet")
    import_sirene_file(tmp_path / "StockUniteLegale_utf8.parquet")
    unit = SireneUnit.objects.get()
    assert (unit.siren, unit.name, unit.head_office_nic) == ("021990123", "COMMUNE TEST", "00010")


@pytest.mark.django_db
def test_unknown_or_missing_columns_are_refused_by_name(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [*UNIT_COLUMNS, "colonneInconnue"], [])
    with pytest.raises(SireneFileError, match="unknown columns colonneInconnue"):
        import_sirene_file(path)
    path = write_csv(tmp_path / "short.csv", UNIT_COLUMNS[:-1], [])
    with pytest.raises(SireneFileError, match="missing columns activitePrincipaleNAF25UniteLegale"):
        import_sirene_file(path)


def test_a_zip_without_exactly_one_csv_is_refused(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "siren\n")
        archive.writestr("b.csv", "siren\n")
    with pytest.raises(SireneFileError, match=r"exactly one \.csv"):
        import_sirene_file(path)


@pytest.mark.django_db
def test_siret_lookup_explains_each_refusal(sirene_samples):
    import_sirene_file(sirene_samples / "StockUniteLegale_sample.csv")
    import_sirene_file(sirene_samples / "StockEtablissement_sample.csv")
    assert "14 chiffres" in sirene_siret_lookup("1234").error
    assert "inconnu" in sirene_siret_lookup("98765432400019").error
    assert "fermé" in sirene_siret_lookup("20005478100014").error
    assert sirene_siret_lookup("35600000000051").found  # La Poste, sum-of-digits rule


@pytest.mark.django_db
def test_demo_register_files_are_in_the_official_format():
    for name in ("StockUniteLegale_demo.csv", "StockEtablissement_demo.csv"):
        import_sirene_file(DEMO / name)
    assert SireneUnit.objects.exists() and SireneEstablishment.objects.exists()


def test_row_builders_read_only_the_declared_columns():
    from chorale.directory.sirene.importer import (
        USED_COLUMNS,
        establishment_values,
        unit_values,
    )

    assert unit_values(dict.fromkeys(USED_COLUMNS, ""))
    assert establishment_values(dict.fromkeys(USED_COLUMNS, ""))


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    import builtins

    from chorale.directory.sirene.reader import SireneFileError, open_sirene_file

    real_import = builtins.__import__

    def without_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyarrow)
    path = tmp_path / "StockEtablissement_utf8.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(SireneFileError, match="reading Parquet needs pyarrow"):
        open_sirene_file(path, 100)
