"""Import SIRENE stock files into the local register: streamed, idempotent, filterable.

Rows are upserted on their identifier, so re-running the same or a newer month updates them and
never duplicates them. A `[ND]` value (partial diffusion) is never stored: the field stays empty
and its column is listed in `masked_fields`, so nothing hidden is ever pre-filled.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from ..models import SireneEstablishment, SireneUnit
from .address import street_line
from .columns import MASKED
from .reader import ESTABLISHMENTS, UNITS, Row, SireneFileError, open_sirene_file

NATURAL_PERSON = "1000"


@dataclass
class ImportResult:
    kind: str
    read: int = 0
    written: int = 0
    skipped: int = 0


def _clean(row: Row, masked: list[str], column: str) -> str:
    value = row[column].strip()
    if value == MASKED:
        masked.append(column)
        return ""
    return value


def unit_values(row: Row) -> tuple:
    masked: list[str] = []

    def get(column):
        return _clean(row, masked, column)

    name = get("denominationUniteLegale")
    if not name and get("categorieJuridiqueUniteLegale") == NATURAL_PERSON:
        first = get("prenomUsuelUniteLegale") or get("prenom1UniteLegale")
        last = get("nomUsageUniteLegale") or get("nomUniteLegale")
        name = " ".join(part for part in (first, last) if part)
    name = name or get("denominationUsuelle1UniteLegale")
    return (
        row["siren"].strip(),
        name[:250],
        get("sigleUniteLegale")[:60],
        get("categorieJuridiqueUniteLegale")[:4],
        get("etatAdministratifUniteLegale") != "C",
        row["statutDiffusionUniteLegale"].strip() == "P",
        get("nicSiegeUniteLegale")[:5],
        get("dateDernierTraitementUniteLegale")[:32],
    )


def establishment_values(row: Row) -> tuple:
    masked: list[str] = []

    def get(column):
        return _clean(row, masked, column)

    line1 = street_line(
        get("numeroVoieEtablissement"),
        get("dernierNumeroVoieEtablissement"),
        get("indiceRepetitionEtablissement"),
        get("typeVoieEtablissement"),
        get("libelleVoieEtablissement"),
    )
    line2 = " ".join(
        p
        for p in (get("complementAdresseEtablissement"), get("distributionSpecialeEtablissement"))
        if p
    )
    if get("codeCedexEtablissement"):
        postal_code, city = get("codeCedexEtablissement"), get("libelleCedexEtablissement")
    else:
        postal_code, city = get("codePostalEtablissement"), get("libelleCommuneEtablissement")
    country = get("libellePaysEtrangerEtablissement")
    if country:
        city = get("libelleCommuneEtrangerEtablissement") or city
    commune = get("codeCommuneEtablissement")
    department = commune[:3] if commune.startswith("97") else commune[:2]
    sign = get("enseigne1Etablissement") or get("denominationUsuelleEtablissement")
    return (
        row["siret"].strip(),
        row["siren"].strip(),
        get("etablissementSiege") == "true",
        get("etatAdministratifEtablissement") != "F",
        row["statutDiffusionEtablissement"].strip() == "P",
        line1[:250],
        line2[:250],
        postal_code[:10],
        city[:100],
        country[:100],
        department,
        sign[:250],
        ",".join(sorted(set(masked))),
        get("dateDernierTraitementEtablissement")[:32],
    )


UNIT_FIELDS = [
    "siren", "name", "acronym", "legal_category", "is_active", "is_partially_diffusible",
    "head_office_nic", "last_processed",
]  # fmt: skip
ESTABLISHMENT_FIELDS = [
    "siret", "siren", "is_head_office", "is_open", "is_partially_diffusible", "address_line1",
    "address_line2", "postal_code", "city", "country", "department", "sign", "masked_fields",
    "last_processed",
]  # fmt: skip
USED_COLUMNS = {
    # What unit_values and establishment_values read (a Parquet import reads no other column).
    "siren", "siret", "statutDiffusionUniteLegale", "denominationUniteLegale",
    "categorieJuridiqueUniteLegale", "prenomUsuelUniteLegale", "prenom1UniteLegale",
    "nomUsageUniteLegale", "nomUniteLegale", "denominationUsuelle1UniteLegale",
    "sigleUniteLegale", "etatAdministratifUniteLegale", "nicSiegeUniteLegale",
    "dateDernierTraitementUniteLegale", "numeroVoieEtablissement",
    "dernierNumeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "complementAdresseEtablissement",
    "distributionSpecialeEtablissement", "codeCedexEtablissement", "libelleCedexEtablissement",
    "codePostalEtablissement", "libelleCommuneEtablissement",
    "libellePaysEtrangerEtablissement", "libelleCommuneEtrangerEtablissement",
    "codeCommuneEtablissement", "enseigne1Etablissement", "denominationUsuelleEtablissement",
    "etablissementSiege", "etatAdministratifEtablissement", "statutDiffusionEtablissement",
    "dateDernierTraitementEtablissement",
}  # fmt: skip
TARGETS = {
    UNITS: (SireneUnit, UNIT_FIELDS, unit_values),
    ESTABLISHMENTS: (SireneEstablishment, ESTABLISHMENT_FIELDS, establishment_values),
}


MAX_PARAMETERS = 30_000  # under SQLite's 32 766 and PostgreSQL's 65 535 bind parameters


def _upsert_sql(model, fields: list[str], rows: int) -> str:
    """One multi-row INSERT … ON CONFLICT DO UPDATE (SQLite and PostgreSQL alike)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = model._meta.pk.column
    columns = ", ".join(quote(f) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    updates = ", ".join(f"{quote(f)} = excluded.{quote(f)}" for f in fields if f != key)
    return (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)} "  # noqa: S608 — names from the model, values bound
        f"ON CONFLICT ({quote(key)}) DO UPDATE SET {updates}"
    )


def _keep(kind: str, only_public: bool, department: str | None) -> Callable[[tuple], bool]:
    """The filter on built rows: public bodies only (7xxx), one département."""
    if kind == UNITS:
        return (lambda v: v[3].startswith("7")) if only_public else (lambda v: True)
    public_sirens: set[str] | None = None
    if only_public:
        public_sirens = set(
            SireneUnit.objects.filter(legal_category__startswith="7").values_list(
                "siren", flat=True
            )
        )
        if not public_sirens:
            raise SireneFileError(
                "--only-public on establishments needs the legal units: import the "
                "StockUniteLegale file first"
            )

    def keep(values: tuple) -> bool:
        if public_sirens is not None and values[1] not in public_sirens:
            return False
        return department is None or values[10] == department

    return keep


def import_sirene_file(
    path: Path | str,
    *,
    only_public: bool = False,
    department: str | None = None,
    batch_size: int = 5000,
    on_batch: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one stock file (units or establishments, recognised by their header)."""
    source = open_sirene_file(path, batch_size, USED_COLUMNS)
    model, fields, build = TARGETS[source.kind]
    keep = _keep(source.kind, only_public, department)
    result = ImportResult(source.kind)
    for batch in source.batches:
        # Keyed by identifier: a row repeated in one file is written once, its last version.
        values = {v[0]: v for v in map(build, batch) if keep(v)}
        _write(model, fields, list(values.values()))
        result.read += len(batch)
        result.written += len(values)
        result.skipped += len(batch) - len(values)
        if on_batch:
            on_batch(len(batch))
    return result


def upsert_rows(kind: str, rows: list[Row]) -> None:
    """Store rows shaped like the stock files' (used by the live look-up)."""
    model, fields, build = TARGETS[kind]
    _write(model, fields, [build(row) for row in rows])


def _write(model, fields: list[str], values: list[tuple]) -> None:
    per_statement = MAX_PARAMETERS // len(fields)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(values), per_statement):
            chunk = values[start : start + per_statement]
            cursor.execute(
                _upsert_sql(model, fields, len(chunk)), [v for row in chunk for v in row]
            )
