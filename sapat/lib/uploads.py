"""Uploaded files, whatever they are for: the format is told by the content, never by the
name or the browser's claim; the size is limited by `SAPAT_UPLOAD_MAX_MB`."""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "jpg": "image/jpeg",
    "png": "image/png",
}
OFFICE_FORMATS = ("pdf", "docx", "xlsx", "odt")
# Evidence is often a photo or a scan of a paper sheet.
EVIDENCE_FORMATS = (*OFFICE_FORMATS, "jpg", "png")
EXTENSION_ALIASES = {"jpeg": "jpg"}


@dataclass
class CheckedUpload:
    file_format: str
    name: str
    size: int
    sha256: str
    data: bytes

    @property
    def content(self) -> ContentFile:
        return ContentFile(self.data)


def sniff(data: bytes) -> str | None:
    """The real format of the bytes, or None when it is none we know."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
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


def _formats_label(allowed) -> str:
    return ", ".join(f.upper() for f in allowed)


def check_upload(upload, allowed=OFFICE_FORMATS) -> CheckedUpload:
    """Refuse, with a message in the user's language, a file that is empty, too big, of a
    format not `allowed`, or not what its name says."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    claimed = EXTENSION_ALIASES.get(extension, extension)
    if claimed not in allowed:
        raise ValidationError(_("Only these files are accepted: %(formats)s.") % {"formats": _formats_label(allowed)})
    data = upload.read()
    if sniff(data) != claimed:
        raise ValidationError(
            _("The file is named .%(claimed)s but its content is not a %(upper)s file.")
            % {"claimed": extension, "upper": claimed.upper()}
        )
    return CheckedUpload(
        file_format=claimed,
        name=upload.name.replace("/", "_").replace("\\", "_")[-200:],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def download_response(field_file, *, filename, file_format) -> FileResponse:
    """A stored file, always as a download: never shown in the browser, whatever it holds."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=MIME.get(file_format, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
