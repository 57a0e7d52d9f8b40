"""Stream INSEE's stock files (CSV, zipped CSV, Parquet) as batches of text-only rows.

Columns are mapped by name, every value is read as text (identifiers keep their leading
zeros), and a header with an unknown or missing column is refused, naming it.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .columns import ESTABLISHMENT_COLUMNS, UNIT_COLUMNS

UNITS = "units"
ESTABLISHMENTS = "establishments"
COLUMNS = {UNITS: UNIT_COLUMNS, ESTABLISHMENTS: ESTABLISHMENT_COLUMNS}
ZERO_PADDED = {"siren": 9, "siret": 14, "nic": 5, "nicSiegeUniteLegale": 5}

Row = dict[str, str]


class SireneFileError(Exception):
    """The file is not a SIRENE stock file we can read; the message says why."""


@dataclass
class SireneFile:
    path: Path
    kind: str
    batches: Iterator[list[Row]]


def _kind_of(header: list[str], path: Path) -> str:
    names = set(header)
    kind = ESTABLISHMENTS if "siret" in names else UNITS if "siren" in names else None
    if kind is None:
        raise SireneFileError(f"{path.name}: no siren or siret column, not a SIRENE stock file")
    unknown = [name for name in header if name not in COLUMNS[kind]]
    missing = [name for name in COLUMNS[kind] if name not in names]
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(f"unknown columns {', '.join(unknown)}")
        if missing:
            problems.append(f"missing columns {', '.join(missing)}")
        raise SireneFileError(f"{path.name}: {'; '.join(problems)}")
    return kind


def _csv_batches(text: io.TextIOBase, path: Path, batch_size: int) -> SireneFile:
    reader = csv.reader(text)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        raise SireneFileError(f"{path.name}: empty file") from None
    kind = _kind_of(header, path)
    width = len(header)

    def batches() -> Iterator[list[Row]]:
        batch: list[Row] = []
        for line_number, values in enumerate(reader, start=2):
            if not values:
                continue
            if len(values) != width:
                raise SireneFileError(
                    f"{path.name}, line {line_number}: {len(values)} fields, expected {width}"
                )
            batch.append(dict(zip(header, values, strict=True)))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch
        text.close()

    return SireneFile(path, kind, batches())


def _text(value, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, int) and column in ZERO_PADDED:
        return str(value).zfill(ZERO_PADDED[column])
    return str(value)


def _parquet_batches(path: Path, batch_size: int, columns: set[str] | None) -> SireneFile:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:  # an optional part: `pip install "chorale[parquet]"`
        raise SireneFileError(
            f"{path.name}: reading Parquet needs pyarrow (pip install pyarrow, or the project's "
            "'parquet' extra); the CSV and zipped CSV stock files need nothing more"
        ) from error

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:
        raise SireneFileError(f"{path.name}: unreadable Parquet file ({error})") from error
    kind = _kind_of(parquet.schema_arrow.names, path)
    # A columnar file: read only the columns the importer uses.
    header = [n for n in parquet.schema_arrow.names if columns is None or n in columns]

    def batches() -> Iterator[list[Row]]:
        for record_batch in parquet.iter_batches(batch_size=batch_size, columns=header):
            columns = []
            for name in header:
                column = record_batch.column(name)
                values = column.to_pylist()
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                    columns.append([v or "" for v in values])
                else:
                    columns.append([_text(v, name) for v in values])
            yield [dict(zip(header, row, strict=True)) for row in zip(*columns, strict=True)]

    return SireneFile(path, kind, batches())


def open_sirene_file(
    path: Path | str, batch_size: int = 5000, columns: set[str] | None = None
) -> SireneFile:
    """Open a stock file by its content: CSV, a zip holding one CSV, or Parquet.

    `columns` are the ones the caller reads; a Parquet file then skips the others (CSV rows
    always carry every column: splitting a line costs the same either way).
    """
    path = Path(path)
    if not path.is_file():
        raise SireneFileError(f"{path}: no such file")
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic == b"PAR1":
        return _parquet_batches(path, batch_size, columns)
    if magic.startswith(b"PK"):
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
        if len(members) != 1:
            raise SireneFileError(f"{path.name}: the zip must hold exactly one .csv file")
        raw = archive.open(members[0])
        return _csv_batches(io.TextIOWrapper(raw, encoding="utf-8", newline=""), path, batch_size)
    return _csv_batches(path.open(encoding="utf-8", newline=""), path, batch_size)
