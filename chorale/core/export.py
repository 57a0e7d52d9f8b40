"""Tables exported as files: CSV (UTF-8 with BOM, `;`, as spreadsheets in France expect) or XLSX."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_response(
    headers: Sequence[str], rows: Iterable[Sequence], fmt: str, filename: str
) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Export")
        sheet.append(list(headers))
        for row in rows:
            sheet.append(["" if v is None else str(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        fmt = "csv"
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
