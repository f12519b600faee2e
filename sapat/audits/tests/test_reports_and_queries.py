"""The report's content in PDF and DOCX; list pages cost the same for few or many audits;
the daily command's reminders; permissions role by role."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from sapat.audits import reports, services
from sapat.audits.choices import Answer
from sapat.org import access
from sapat.org.access import Perm

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def _reported(w):
    a = f.audit(w.inst, units=[w.fac_a], processes=[w.process], scope="Окуу процесси")
    services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["7.5.3", "9.2"])
    services.audit_start(actor=w.quality, audit=a)
    first, second = a.checklist.all()
    services.item_answer(
        actor=w.head_b, item=first, answer=Answer.NONCONFORMS, notes="Документтер каттоодон өткөн эмес"
    )
    services.item_answer(actor=w.head_b, item=second, answer=Answer.CONFORMS)
    services.audit_finish_conduct(actor=w.head_b, audit=a)
    services.report_save(actor=w.head_b, audit=a, strengths="Ачык жетекчилик", conclusion="СМС негизинен натыйжалуу")
    services.report_lead_approve(actor=w.head_b, audit=a)
    services.report_approve(actor=w.quality, audit=a)
    a.refresh_from_db()
    return a


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks inside table cells undone."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_report_pdf_and_docx_carry_the_findings(aw):
    a = _reported(aw)
    pdf = reports.report_pdf(a, "en")
    text = _text(pdf)
    for expected in (
        a.code,
        "Internal audit report",
        "Документтер каттоодон өткөн эмес",
        "СМС негизинен натыйжалуу",
        "Ачык жетекчилик",
        "Major nonconformity",
        "conform: 1",
    ):
        assert expected in text, expected
    import docx

    document = docx.Document(io.BytesIO(reports.report_docx(a, "en")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Internal audit report" in text and "СМС негизинен натыйжалуу" in text
    assert "Документтер каттоодон өткөн эмес" in cells and "Major nonconformity" in cells
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_report_language_is_the_one_asked_for(aw):
    a = _reported(aw)
    # The category's own names follow the language even before the catalogues are merged.
    text = _text(reports.report_pdf(a, "ru"))
    assert "Значительное несоответствие" in text
    text = _text(reports.report_pdf(a, "ky"))
    assert "Олуттуу туура келбөөчүлүк" in text
    assert reports.report_language("xx") == "en" and reports.report_language("ru") == "ru"


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(w, n, start_day):
    for i in range(n):
        a = f.audit(
            w.inst,
            units=[w.fac_a, w.dep_a],
            processes=[w.process],
            start=datetime.date(2025, 10, 1) + datetime.timedelta(days=start_day + i),
        )
        services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
        services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["4.1", "9.2", "10.2"])


@pytest.mark.parametrize("name", ["audit_list", "auditor_list"])
def test_list_pages_cost_the_same_for_2_or_12(client, aw, name):
    w = aw
    client.force_login(w.quality)
    _grow(w, 2, 0)
    small = _count(client, reverse(name))
    _grow(w, 10, 10)
    for _i in range(5):
        f.auditor(w.fac_b)
    assert _count(client, reverse(name)) == small


def test_checklist_and_programme_pages_cost_the_same(client, aw):
    w = aw
    client.force_login(w.quality)
    a = f.audit(w.inst, units=[w.fac_a])
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["4.1"])
    programme = services.programme_create(actor=w.quality, institution=w.inst, academic_year=w.year)
    version = programme.versions.get()
    f.entry(version, units=[w.fac_a], processes=[w.process], lead=w.lead, team=[w.member])
    small = (_count(client, reverse("audit_checklist", args=[a.pk])), _count(client, version.get_absolute_url()))
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["4.2", "4.3", "5.1", "6.1", "7.5.3"])
    for month in (1, 2, 3, 4):
        f.entry(version, subject=f"Бөлүм {month}", units=[w.fac_a], lead=w.lead, team=[w.member], planned_month=month)
    assert (
        _count(client, reverse("audit_checklist", args=[a.pk])),
        _count(client, version.get_absolute_url()),
    ) == small


def test_daily_command_reminds_the_team(aw, mailoutbox, settings, django_capture_on_commit_callbacks):
    w = aw
    settings.AUDITS_TEAM_REMINDER_DAYS = 3
    a = f.audit(w.inst, units=[w.fac_a], start=datetime.date.today() + datetime.timedelta(days=3))
    w.member.person.email = "member@example.org"
    w.member.person.save()
    services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
    mailoutbox.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audits_daily", stdout=out)
    assert "Audit team reminders: 1" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["member@example.org"]]


ROLE_RIGHTS = {
    # user: (sees audits, manages audits, approves the programme)
    "admin": (True, True, True),
    "quality": (True, True, False),
    "rector": (True, False, True),
    "head_a": (True, False, False),
    "quality_a": (True, False, False),
    "staff_a": (False, False, False),
    "analyst": (False, False, False),
}


@pytest.mark.parametrize("who", ROLE_RIGHTS)
def test_permissions_per_role(world, who):
    user = getattr(world, who)
    sees, manages, approves = ROLE_RIGHTS[who]
    assert services.can_view(user, world.inst.pk) is sees
    assert services.can_manage(user, world.inst.pk) is manages
    assert services.can_approve_programme(user, world.inst.pk) is approves
    # nobody of this institution reaches another one's audits
    assert services.can_manage(user, world.other_inst.pk) is (
        who == "admin" and access.can(user, Perm.MANAGE_AUDITS, world.other_root)
    )
