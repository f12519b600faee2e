"""Uploaded document files: the format is told by the content, never by the name; the
size is limited; the text inside is extracted for search."""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.core.files.base import ContentFile

from sapat.lib import uploads

MIME = uploads.MIME
MAX_TEXT = 2_000_000  # characters of extracted text kept for search


@dataclass
class CheckedFile:
    file_format: str
    size: int
    sha256: str
    text: str
    content: ContentFile


def check_upload(upload) -> CheckedFile:
    """Refuse, with a message for the user, a file that is too big or is not what its name
    says; otherwise return its format, digest and text."""
    checked = uploads.check_upload(upload, uploads.OFFICE_FORMATS)
    return CheckedFile(
        file_format=checked.file_format,
        size=checked.size,
        sha256=checked.sha256,
        text=extract_text(checked.file_format, checked.data)[:MAX_TEXT],
        content=checked.content,
    )


def extract_text(file_format: str, data: bytes) -> str:
    """The words in the file, for search. A file whose text cannot be read is still kept;
    it is just not found by its content."""
    try:
        return _EXTRACTORS[file_format](data)
    except Exception:  # damaged inside but with a valid envelope: keep the file, skip its text
        return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _odt_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    text = "\n".join("".join(node.itertext()) for node in root.iter() if node.tag.endswith(("}p", "}h")))
    return re.sub(r"[ \t]+", " ", text)


_EXTRACTORS = {"pdf": _pdf_text, "docx": _docx_text, "xlsx": _xlsx_text, "odt": _odt_text}
