"""Tables exported as files: CSV (UTF-8 with BOM, `;`, as spreadsheets in France expect) or XLSX."""

import csv
import io
from collections.abc import Iterable, Sequence
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


def table_response(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, filename: str
) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Export")
        sheet.append(list(headers))
        for row in rows:
            sheet.append(["" if v is None else spreadsheet_safe(str(v)) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        fmt = "csv"
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
    return download_response(content, FORMATS[fmt], f"{filename}.{fmt}")
