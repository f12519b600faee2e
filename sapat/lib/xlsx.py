"""Tables written to an XLSX workbook: a bold header row that stays in view, an autofilter,
column widths, one sheet per table.

    data = to_xlsx(Sheet(_("Register"), headers, rows))
    return xlsx_response(data, "register-2026-11-21.xlsx")
"""

import datetime
import decimal
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60  # characters; longer text wraps
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[float | None] | None = None  # in characters; None: fitted to the content


def _value(value):
    """A cell value openpyxl can store: lazy strings made plain, aware datetimes in local
    time (Excel has no time zones)."""
    if value is None or isinstance(value, (int, float, decimal.Decimal, datetime.date, datetime.time)):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value
    return str(value)


def _sheet_title(title: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _write(ws, sheet: Sheet) -> None:
    headers = [str(h) for h in sheet.headers]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    longest = [len(h) for h in headers]
    for row in sheet.rows:
        values = [_value(v) for v in row]
        ws.append(values)
        for i, (cell, value) in enumerate(zip(ws[ws.max_row], values, strict=False)):
            if isinstance(value, str):
                # Text is text: a title starting with "=" must never become a formula.
                cell.data_type = "s"
                if len(value) > MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            if i < len(longest):
                shown = len(value) if isinstance(value, str) else len(str(value)) if value is not None else 0
                longest[i] = max(longest[i], shown)
    widths = list(sheet.widths or [])
    for i, fitted in enumerate(longest):
        width = widths[i] if i < len(widths) and widths[i] else min(max(fitted, 6) + 2, MAX_WIDTH)
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 1)}"


def to_xlsx(*sheets: Sheet) -> bytes:
    """The sheets, in order, as the bytes of an XLSX workbook."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for sheet in sheets:
        _write(book.create_sheet(_sheet_title(sheet.title, taken)), sheet)
    if not sheets:
        book.create_sheet("Sheet")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_xlsx(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet", widths=None) -> bytes:
    """One table on one sheet."""
    return to_xlsx(Sheet(title, headers, rows, widths))


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """Send workbook bytes as a download named `filename`."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
