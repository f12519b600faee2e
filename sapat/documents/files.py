"""Uploaded document files: the format is told by the content, never by the name; the
size is limited; the text inside is extracted for search."""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

# What the name says, and what the content must then be.
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "odt": "odt"}
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
MAX_TEXT = 2_000_000  # characters of extracted text kept for search


@dataclass
class CheckedFile:
    file_format: str
    size: int
    sha256: str
    text: str
    content: ContentFile


def sniff(data: bytes) -> str | None:
    """The real format of the bytes, or None when it is not one we accept."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == MIME["odt"].encode():
                return "odt"
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def check_upload(upload) -> CheckedFile:
    """Refuse, with a message for the user, a file that is too big or is not what its name
    says; otherwise return its format, digest and text."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    data = upload.read()
    claimed = EXTENSIONS.get(upload.name.rsplit(".", 1)[-1].lower()) if "." in upload.name else None
    if claimed is None:
        raise ValidationError(_("Only PDF, DOCX, XLSX and ODT files are accepted."))
    actual = sniff(data)
    if actual != claimed:
        raise ValidationError(
            _("The file is named .%(claimed)s but its content is not a %(upper)s file.")
            % {"claimed": claimed, "upper": claimed.upper()}
        )
    return CheckedFile(
        file_format=actual,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=extract_text(actual, data)[:MAX_TEXT],
        content=ContentFile(data),
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
