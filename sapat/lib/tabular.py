"""Reading an uploaded table (XLSX or CSV) into rows, and writing an XLSX import template.
The format is told by the file's content, not its name."""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 20_000
ZIP_MAGIC = b"PK\x03\x04"
# Other formats people upload by mistake: PDF, old Office, images.
FOREIGN_MAGIC = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


class TableError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the user sees it in the file, cell values)


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
    return value


def _read_xlsx(data: bytes) -> list[list]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("The file is not a readable XLSX workbook.")) from exc
    sheet = book.worksheets[0]
    return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("The CSV file is not in UTF-8 or Windows-1251 encoding."))


def _read_csv(data: bytes) -> list[list]:
    text = _decode(data)
    if "\x00" in text:
        raise TableError(_("The file is neither XLSX nor CSV."))
    # The header row tells the delimiter: Excel writes ";" where the decimal mark is a comma.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    try:
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise TableError(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc


def read_table(uploaded) -> Table:
    data = uploaded.read()
    if not data:
        raise TableError(_("The file is empty."))
    if data.startswith(FOREIGN_MAGIC):
        raise TableError(_("The file is neither XLSX nor CSV."))
    raw = _read_xlsx(data) if data.startswith(ZIP_MAGIC) else _read_csv(data)
    # Trailing empty cells and rows carry nothing.
    rows = [(n, row) for n, row in enumerate(raw, start=1) if any(v not in (None, "") for v in row)]
    if not rows:
        raise TableError(_("The file is empty."))
    _header_row, headers = rows[0]
    body = rows[1:]
    if not body:
        raise TableError(_("The file has a header row but no data rows."))
    if len(body) > MAX_ROWS:
        raise TableError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
    return Table(headers=[str(h or "").strip() for h in headers], rows=body)


def template_workbook(
    sheet_title: str,
    headers: list[str],
    example: list,
    notes: list[list[str]],
    notes_title: str,
    notes_headers: list[str],
) -> bytes:
    """An XLSX with the header row (and one example row) to fill, and a sheet explaining
    each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(headers)
    sheet.append(example)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(14, min(40, len(str(column[0].value)) + 4))
    help_sheet = book.create_sheet(notes_title[:31])
    help_sheet.append(notes_headers)
    for cell in help_sheet[1]:
        cell.font = bold
    for row in notes:
        help_sheet.append(row)
    for letter, width in zip("ABCD", (28, 12, 60, 60), strict=False):
        help_sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
