"""Document types and documents for tests, made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from sapat.documents import services
from sapat.documents.choices import ApproverKind, Level
from sapat.documents.models import Document, DocumentType


def doc_type(institution, code="ДП", level=Level.L2, approver=None, **kwargs) -> DocumentType:
    t = DocumentType(
        institution=institution,
        code=code,
        name_ky=kwargs.pop("name_ky", "Документтештирилген процедура"),
        level=level,
        approver_kind=kwargs.pop("approver_kind", ApproverKind.PERSON),
        approver=approver,
        **kwargs,
    )
    t.full_clean()
    t.save()
    return t


def document(actor, unit, dtype, title="Ички аудит", **kwargs) -> Document:
    return services.document_create(actor=actor, document=Document(doc_type=dtype, unit=unit, title_ky=title, **kwargs))


def docx_upload(text="Ички аудит жол-жобосу", name="procedure.docx") -> SimpleUploadedFile:
    import io

    from docx import Document as Docx

    buffer = io.BytesIO()
    doc = Docx()
    doc.add_paragraph(text)
    doc.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def pdf_upload(text="Ички аудит", name="procedure.pdf") -> SimpleUploadedFile:
    from weasyprint import HTML

    return SimpleUploadedFile(name, HTML(string=f"<p>{text}</p>").write_pdf())
