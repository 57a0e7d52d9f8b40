"""The rows of an uploaded table, CSV or XLSX, as text by column name: what the engagements
import reads. A forged or huge file is refused with a message saying why, never half-read."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext

from chorale.core.errors import BusinessError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is a ZIP: what its parts may unpack to at most (a « zip bomb » is refused).
MAX_UNPACKED = 50 * 1024 * 1024


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's « CSV (séparateur: ;) »
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [c.strip() for c in row]


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile as error:
        raise BusinessError(
            gettext("Le fichier n'est pas un classeur XLSX lisible."), "table_unreadable"
        ) from error
    if unpacked > MAX_UNPACKED:
        raise BusinessError(
            gettext("Le classeur décompressé dépasse 50 Mo : découpez-le."), "table_too_large"
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a forged workbook
        raise BusinessError(
            gettext("Le fichier n'est pas un classeur XLSX lisible."), "table_unreadable"
        ) from error
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(c) for c in row]
    finally:
        book.close()


def table_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows under the header line, keyed by the header's names (lower case, trimmed);
    blank lines skipped. Each row keeps its line number under "_line"."""
    if len(content) > MAX_BYTES:
        raise BusinessError(gettext("Le fichier dépasse 5 Mo."), "table_too_large")
    is_xlsx = name.lower().endswith(".xlsx") or content[:2] == b"PK"
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    header: list[str] | None = None
    found: list[dict[str, str]] = []
    for line, row in enumerate(rows, start=1):
        if not any(row):
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            continue
        if len(found) >= MAX_ROWS:
            raise BusinessError(
                gettext("Le fichier compte plus de %(max)s lignes : découpez-le.")
                % {"max": MAX_ROWS},
                "table_too_large",
            )
        values = dict(zip(header, row, strict=False))
        values["_line"] = str(line)
        found.append(values)
    if header is None:
        raise BusinessError(gettext("Le fichier est vide."), "table_empty")
    return found
