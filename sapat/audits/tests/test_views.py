import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sapat.audits import services
from sapat.audits.choices import Answer, AuditState, VersionState
from sapat.audits.models import Audit, ProgrammeVersion
from sapat.core.attachments import attachments_of

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def _login(client, user):
    client.force_login(user)
    return client


def _audit_in_conduct(w):
    a = f.audit(w.inst, units=[w.fac_a], processes=[w.process])
    services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["7.5.3", "9.2"])
    services.audit_start(actor=w.quality, audit=a)
    return a


def test_programme_pages_draft_submit_approve_amend(aw, client):
    w = aw
    c = _login(client, w.quality)
    r = c.post(reverse("audit_programme_list"), {"academic_year": w.year.pk})
    assert r.status_code == 302
    version = ProgrammeVersion.objects.get()
    r = c.post(
        reverse("audit_entry_add", args=[version.pk]),
        {"subject": "Факультет А", "units": [w.fac_a.pk], "planned_month": 11, "lead_auditor": w.lead.pk},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = c.post(
        reverse("audit_entry_add", args=[version.pk]),
        {"subject": "Китепкана", "units": [w.fac_a.pk], "planned_month": 12, "lead_auditor": w.untrained.pk},
        follow=True,
    )
    assert "has no auditor training on record." in r.content.decode()
    # an auditor who is not independent: refused with the reason on the form
    r = c.post(
        reverse("audit_entry_add", args=[version.pk]),
        {"subject": "Процесс", "processes": [w.process.pk], "planned_month": 12, "lead_auditor": w.own.pk},
    )
    assert r.status_code == 400 and "owns the process" in r.content.decode()
    c.post(reverse("audit_programme_action", args=[version.pk, "submit"]))
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED
    # the quality department cannot approve; the page shows no button and the POST is 403
    assert c.post(reverse("audit_programme_action", args=[version.pk, "approve"])).status_code == 403
    r = _login(client, w.rector).post(reverse("audit_programme_action", args=[version.pk, "approve"]))
    version.refresh_from_db()
    assert version.state == VersionState.APPROVED
    c = _login(client, w.quality)
    r = c.post(reverse("audit_programme_amend", args=[version.programme_id]), {"reason": "consumer"})
    v2 = ProgrammeVersion.objects.get(number=2)
    assert r.url == v2.get_absolute_url()
    page = c.get(v2.get_absolute_url()).content.decode()
    assert "Information received from a consumer" in page and "Факультет А" in page
    assert 'data-testid="versions"' in page


def test_checklist_answer_with_htmx_and_evidence(aw, client):
    w = aw
    a = _audit_in_conduct(w)
    item = a.checklist.first()
    c = _login(client, w.head_b)
    r = c.post(reverse("checklist_item_answer", args=[item.pk]), {"answer": "nonconforms"}, HTTP_HX_REQUEST="true")
    assert "Say what does not conform." in r.content.decode()
    item.refresh_from_db()
    assert item.answer == Answer.OPEN
    r = c.post(
        reverse("checklist_item_answer", args=[item.pk]),
        {"answer": "nonconforms", "notes": "Журнал жок"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "Does not conform" in r.content.decode()
    pdf = SimpleUploadedFile("evidence.pdf", _tiny_pdf(), content_type="application/pdf")
    r = c.post(
        reverse("attachment_upload", args=[_ct(item), item.pk]),
        {"file": pdf, "next": reverse("checklist_item_detail", args=[item.pk])},
    )
    assert r.status_code == 302 and attachments_of(item).count() == 1
    page = c.get(reverse("audit_checklist", args=[a.pk])).content.decode()
    assert "Evidence (1)" in page
    # someone outside the team cannot answer
    r = _login(client, w.quality).post(reverse("checklist_item_answer", args=[item.pk]), {"answer": "conforms"})
    assert r.status_code == 403


def test_report_pages_and_downloads(aw, client):
    w = aw
    a = _audit_in_conduct(w)
    for item in a.checklist.all():
        services.item_answer(actor=w.head_b, item=item, answer=Answer.NONCONFORMS, notes="Журнал жок")
    c = _login(client, w.head_b)
    c.post(reverse("audit_action", args=[a.pk, "finish"]))
    a.refresh_from_db()
    assert a.state == AuditState.REPORT
    r = c.post(reverse("audit_report", args=[a.pk]), {"strengths": "Күчтүү жактар", "conclusion": "СМС натыйжалуу"})
    assert r.status_code == 302
    c.post(reverse("audit_action", args=[a.pk, "lead_approve"]))
    _login(client, w.quality).post(reverse("audit_action", args=[a.pk, "approve"]))
    a.refresh_from_db()
    assert a.state == AuditState.APPROVED
    page = client.get(reverse("audit_report", args=[a.pk])).content.decode()
    assert "Журнал жок" in page and "Distribute the report" in page
    r = client.get(reverse("audit_report_download", args=[a.pk, "docx"]) + "?lang=ru")
    assert r.status_code == 200 and r["Content-Disposition"].endswith(".docx")
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert a.code in text and "СМС натыйжалуу" in text
    assert docx.Document(io.BytesIO(r.content)).styles["Normal"].font.name == "Times New Roman"


def test_pages_are_closed_to_staff_and_open_to_the_team(aw, client):
    w = aw
    a = _audit_in_conduct(w)
    c = _login(client, w.staff_a)
    assert c.get(reverse("audit_list")).status_code == 403
    assert c.get(reverse("audit_detail", args=[a.pk])).status_code == 404
    c = _login(client, w.head_a)  # unit head: VIEW_AUDITS
    assert c.get(reverse("audit_detail", args=[a.pk])).status_code == 200
    assert c.get(reverse("audit_add")).status_code == 403
    assert c.get(reverse("auditor_list")).status_code == 200
    assert c.post(reverse("audit_action", args=[a.pk, "finish"])).status_code == 403


def test_audit_form_refuses_contradicting_dates(aw, client):
    w = aw
    c = _login(client, w.quality)
    r = c.post(
        reverse("audit_add"),
        {
            "title": "Аудит",
            "units": [w.fac_a.pk],
            "start_date": "2025-11-10",
            "end_date": "2025-11-08",
            "opening_meeting_on": "2025-11-12",
        },
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "The last day of the audit is before its first day." in body
    assert "The opening meeting is held on the first day of the audit or before it." in body
    assert not Audit.objects.exists()


def test_every_page_renders(aw, client):
    w = aw
    a = _audit_in_conduct(w)
    c = _login(client, w.quality)
    for url in (
        reverse("audit_list"),
        reverse("audit_add"),
        reverse("audit_detail", args=[a.pk]),
        reverse("audit_checklist", args=[a.pk]),
        reverse("checklist_item_detail", args=[a.checklist.first().pk]),
        reverse("audit_report", args=[a.pk]),
        reverse("finding_add", args=[a.pk]),
        reverse("audit_programme_list"),
        reverse("auditor_list"),
        reverse("auditor_add"),
        reverse("auditor_detail", args=[w.lead.pk]),
        reverse("finding_category_list"),
        reverse("finding_category_add"),
    ):
        assert c.get(url).status_code == 200, url


def _ct(record):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(record).pk


def _tiny_pdf() -> bytes:
    from sapat.lib.pdf import html_to_pdf

    return html_to_pdf("<p>Далил</p>")


def test_training_certificate_is_an_attachment(aw, client):
    w = aw
    training = w.lead.trainings.get()
    c = _login(client, w.quality)
    pdf = SimpleUploadedFile("cert.pdf", _tiny_pdf(), content_type="application/pdf")
    r = c.post(reverse("attachment_upload", args=[_ct(training), training.pk]), {"file": pdf})
    assert r.status_code == 302 and attachments_of(training).count() == 1
    r = _login(client, w.head_a).post(
        reverse("attachment_upload", args=[_ct(training), training.pk]),
        {"file": SimpleUploadedFile("c.pdf", _tiny_pdf(), content_type="application/pdf")},
    )
    assert r.status_code == 403
