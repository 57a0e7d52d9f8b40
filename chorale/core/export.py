"""Tables exported as files, from typed cells (text, Decimal amounts, dates):

- CSV for a French spreadsheet (the default): UTF-8 with BOM, `;`, decimal comma, dates as
  dd/mm/yyyy;
- raw CSV (`?forme=brute`), for programs: RFC 4180 commas, decimal point, ISO 8601 dates,
  UTF-8 without BOM;
- XLSX: numbers and dates stored as such, amounts shown « # ##0,00 », dates « jj/mm/aaaa »."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from .files import download_response

# A cell starting with one of these is read as a formula by spreadsheets (CSV/formula
# injection, OWASP): such a text is written with a leading apostrophe, as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell value a spreadsheet shows as typed and never evaluates (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _french(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else spreadsheet_safe(str(value))


def _raw(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else spreadsheet_safe(str(value))


def _csv(headers: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter="," if raw else ";", lineterminator="\r\n")
    writer.writerow([str(h) for h in headers])
    cell = _raw if raw else _french
    writer.writerows([cell(v) for v in row] for row in rows)
    return text.getvalue().encode("utf-8") if raw else ("\ufeff" + text.getvalue()).encode()


def _xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Export")
    bold = Font(bold=True)

    def titled(title: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        return cell

    def typed(value: Any) -> Any:
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "#,##0.00"
            return cell
        if isinstance(value, datetime.datetime):
            cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
            cell.number_format = "DD/MM/YYYY HH:MM"
            return cell
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD/MM/YYYY"
            return cell
        return "" if value is None else spreadsheet_safe(str(value))

    sheet.append([titled(str(h)) for h in headers])
    for row in rows:
        sheet.append([typed(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    filename: str,
    *,
    raw: bool = False,
) -> HttpResponse:
    if fmt == "xlsx":
        content = _xlsx(headers, rows)
    else:
        fmt = "csv"
        content = _csv(headers, rows, raw)
    return download_response(content, FORMATS[fmt], f"{filename}.{fmt}")
