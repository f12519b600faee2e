"""The annual process analysis: the workflow draft → submitted → (returned → submitted) →
accepted, who may write, review and read it, the frozen text and figures after submission,
the reminder, the pages and the cost of the overview."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.org.choices import Role
from sapat.org.models import AcademicYear
from sapat.org.tests import factories as org_factories
from sapat.processes import selectors_analysis as sel
from sapat.processes import services_analysis as svc
from sapat.processes import services_indicators
from sapat.processes.models import (
    AnalysisState,
    Indicator,
    IndicatorTarget,
    ObjectivesVerdict,
    ProcessAnalysis,
    ProcessEffectiveness,
)
from sapat.processes.services import ownership_end

from . import factories

pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()
# The analysed year has surely ended; the one after it has begun (or is the current one).
YEAR = TODAY.year - 2


def academic_year(inst, start):
    return AcademicYear.objects.create(
        institution=inst,
        start_year=start,
        start_date=datetime.date(start, 9, 1),
        end_date=datetime.date(start + 1, 6, 30),
    )


COMPLETE = {
    "objectives_verdict": ObjectivesVerdict.PARTLY,
    "objectives_comment": "Кабыл алуу планы 96 %га аткарылды; окуудан чыгуу 6,2 % (максат 5 %).",
    "measures_done_percent": 85,
    "measures_comment": "Иш пландагы 20 иш-чаранын 17си аткарылды.",
    "effectiveness": ProcessEffectiveness.PARTLY,
    "improvements": "Окуудан чыгып кетүүнүн себептерин талдоо; кураторлордун ишин күчөтүү.",
}


@pytest.fixture
def stage(world):
    """Process 2.3 owned by staff_a's person, with an indicator measured five years; process
    3.5 owned by head_b's person; academic years up to the next one."""

    class Stage:
        pass

    s = Stage()
    s.years = {y: academic_year(world.inst, y) for y in range(YEAR - 4, YEAR + 3)}
    s.year = s.years[YEAR]
    s.process = factories.process(world.inst, "2.3")
    s.owner = world.staff_a
    s.ownership = factories.owner(s.process, world.staff_a.person, "Окуу иштери боюнча проректор")
    s.other = factories.process(world.inst, "3.5")
    factories.owner(s.other, world.head_b.person, "Китепкананын башчысы")
    s.indicator = services_indicators.indicator_save(
        actor=None,
        indicator=Indicator(
            institution=world.inst,
            code="К-03",
            name_ky="Окуудан чыгып кеткендердин үлүшү",
            name_en="Dropout rate",
            unit_of_measure="%",
            direction="lower",
            process=s.process,
        ),
    )
    for y, value in zip(range(YEAR - 4, YEAR + 1), ["7.5", "6.8", "5.9", "5.4", "6.2"], strict=True):
        services_indicators.target_save(
            actor=None,
            target=IndicatorTarget(indicator=s.indicator, year=y, target=Decimal(5), warning=Decimal(8)),
        )
        services_indicators.value_enter(
            actor=None, indicator=s.indicator, year=y, unit=world.root, value=Decimal(value)
        )
    return s


def draft(stage, actor=None, **fields):
    analysis = ProcessAnalysis(process=stage.process, academic_year=stage.year, **fields)
    return svc.analysis_save(actor=actor or stage.owner, analysis=analysis)


def submitted(stage, actor=None):
    return svc.analysis_submit(actor=actor or stage.owner, analysis=draft(stage, **COMPLETE))


def fresh(analysis):
    return ProcessAnalysis.objects.get(pk=analysis.pk)


# --- the workflow -----------------------------------------------------------------------------


def test_owner_starts_a_draft_and_it_is_audited(stage):
    analysis = draft(stage, objectives_comment="Башталды")
    assert analysis.state == AnalysisState.DRAFT
    entry = AuditEntry.objects.get(object_id=str(analysis.pk), content_type__model="processanalysis")
    assert entry.action == "create" and entry.actor == stage.owner


def test_one_analysis_per_process_and_year(stage):
    draft(stage)
    with pytest.raises(ValidationError, match="already has an analysis"):
        draft(stage)
    assert ProcessAnalysis.objects.count() == 1


def test_a_year_that_has_not_begun_is_refused(stage, world):
    future = academic_year(world.inst, TODAY.year + 1)
    with pytest.raises(ValidationError, match="not begun"):
        svc.analysis_save(actor=stage.owner, analysis=ProcessAnalysis(process=stage.process, academic_year=future))


def test_a_year_of_another_institution_is_refused(stage, world):
    foreign = academic_year(world.other_inst, YEAR)
    with pytest.raises(ValidationError, match="another institution"):
        svc.analysis_save(actor=stage.owner, analysis=ProcessAnalysis(process=stage.process, academic_year=foreign))


def test_an_incomplete_analysis_cannot_be_submitted(stage):
    analysis = draft(stage, objectives_comment="Жарым-жартылай")
    with pytest.raises(ValidationError) as error:
        svc.analysis_submit(actor=stage.owner, analysis=analysis)
    assert set(error.value.message_dict) == {
        "objectives_verdict",
        "measures_done_percent",
        "measures_comment",
        "effectiveness",
        "improvements",
    }
    assert fresh(analysis).state == AnalysisState.DRAFT


def test_submission_stores_the_year_figures(stage):
    analysis = submitted(stage)
    assert analysis.state == AnalysisState.SUBMITTED
    assert analysis.submitted_by == stage.owner and analysis.submitted_at is not None
    (row,) = fresh(analysis).figures
    assert row["code"] == "К-03"
    assert row["name"]["ky"] == "Окуудан чыгып кеткендердин үлүшү" and row["name"]["en"] == "Dropout rate"
    assert Decimal(row["value"]) == Decimal("6.2") and Decimal(row["target"]) == 5
    assert row["status"] == "at_risk"
    assert [y for y, _v in row["trend"]] == list(range(YEAR - 4, YEAR + 1))
    assert Decimal(row["trend"][0][1]) == Decimal("7.5")


def test_submitted_text_is_frozen(stage):
    analysis = submitted(stage)
    analysis.improvements = "Башка текст"
    with pytest.raises(ValidationError, match="cannot be changed"):
        svc.analysis_save(actor=stage.owner, analysis=analysis)
    with pytest.raises(ValidationError, match="cannot be changed"):
        svc.analysis_save(actor=None, analysis=analysis)
    assert fresh(analysis).improvements == COMPLETE["improvements"]
    with pytest.raises(ValidationError, match="already submitted"):
        svc.analysis_submit(actor=stage.owner, analysis=analysis)


def test_a_later_correction_of_a_value_does_not_rewrite_the_submitted_figures(stage, world):
    analysis = submitted(stage)
    services_indicators.value_enter(
        actor=None, indicator=stage.indicator, year=YEAR, unit=world.root, value=Decimal("4.1"), comment="оңдолду"
    )
    live = sel.live_figures(stage.process, YEAR)
    assert live[0].value == Decimal("4.1") and live[0].status == "on_target"
    figures, frozen = sel.figures_of(fresh(analysis), stage.process, YEAR)
    assert frozen and figures[0].value == Decimal("6.2") and figures[0].status == "at_risk"


def test_a_draft_shows_the_figures_as_they_stand(stage):
    figures, frozen = sel.figures_of(draft(stage), stage.process, YEAR)
    assert not frozen and figures[0].value == Decimal("6.2") and figures[0].target == 5


def test_the_analysed_years_target_and_status_hold_when_a_later_year_is_measured(stage):
    services_indicators.target_save(
        actor=None, target=IndicatorTarget(indicator=stage.indicator, year=YEAR + 1, target=Decimal(3))
    )
    services_indicators.value_enter(
        actor=None,
        indicator=stage.indicator,
        year=YEAR + 1,
        unit=stage.indicator.institution.units.get(parent=None),
        value=Decimal("2.5"),
    )
    figure = sel.live_figures(stage.process, YEAR)[0]
    assert (figure.value, figure.target, figure.status) == (Decimal("6.2"), 5, "at_risk")


def test_return_needs_a_comment_and_mails_the_owners(stage, world, mailoutbox, django_capture_on_commit_callbacks):
    analysis = submitted(stage)
    stage.owner.person.email = "owner@example.org"
    stage.owner.person.save()
    stage.owner.language = "ru"
    stage.owner.save()
    with pytest.raises(ValidationError, match="reworked"):
        svc.analysis_return(actor=world.quality, analysis=analysis, comment="  ")
    assert fresh(analysis).state == AnalysisState.SUBMITTED
    with pytest.raises(PermissionDenied):
        svc.analysis_return(actor=stage.owner, analysis=analysis, comment="Өзүм")
    with pytest.raises(PermissionDenied):
        svc.analysis_accept(actor=stage.owner, analysis=analysis)
    with pytest.raises(ValidationError, match="Only a submitted"):
        svc.analysis_accept(actor=world.quality, analysis=_other_draft(stage))
    with pytest.raises(PermissionDenied):
        svc.analysis_return(actor=world.head_a, analysis=analysis, comment="Жок")
    with pytest.raises(PermissionDenied):
        svc.analysis_return(actor=world.rector, analysis=analysis, comment="Жок")
    with django_capture_on_commit_callbacks(execute=True):
        svc.analysis_return(actor=world.quality, analysis=analysis, comment="Иш-чаралардын тизмесин тиркеңиз.")
    analysis = fresh(analysis)
    assert analysis.state == AnalysisState.RETURNED and analysis.return_comment == "Иш-чаралардын тизмесин тиркеңиз."
    (mail,) = mailoutbox
    assert mail.to == ["owner@example.org"] and "Иш-чаралардын тизмесин тиркеңиз." in mail.body
    assert "2.3" in mail.subject


def _other_draft(stage):
    year = stage.years[YEAR - 1]
    return svc.analysis_save(actor=stage.owner, analysis=ProcessAnalysis(process=stage.process, academic_year=year))


def test_returned_analysis_is_reworked_resubmitted_and_accepted(stage, world):
    analysis = submitted(stage)
    svc.analysis_return(actor=world.quality, analysis=analysis, comment="Толуктаңыз.")
    analysis = fresh(analysis)
    analysis.measures_comment = "20 иш-чаранын 17си аткарылды; 3ү кийинки жылга которулду."
    svc.analysis_save(actor=stage.owner, analysis=analysis)
    services_indicators.value_enter(actor=None, indicator=stage.indicator, year=YEAR, unit=world.root, value=5)
    svc.analysis_submit(actor=stage.owner, analysis=analysis)
    analysis = fresh(analysis)
    assert analysis.state == AnalysisState.SUBMITTED
    assert Decimal(analysis.figures[0]["value"]) == 5  # taken again at the new submission
    with pytest.raises(ValidationError, match="Only a submitted"):
        svc.analysis_return(actor=world.quality, analysis=fresh(_accept(analysis, world)), comment="Кеч")
    assert fresh(analysis).state == AnalysisState.ACCEPTED
    assert fresh(analysis).decided_by == world.quality
    with pytest.raises(ValidationError, match="cannot be changed"):
        svc.analysis_save(actor=world.quality, analysis=fresh(analysis))
    log = AuditEntry.objects.filter(object_id=str(analysis.pk), content_type__model="processanalysis")
    states = [e.changes.get("state", [None, None])[1] for e in log.order_by("id")]
    assert [s for s in states if s] == ["draft", "submitted", "returned", "submitted", "accepted"]


def _accept(analysis, world):
    return svc.analysis_accept(actor=world.quality, analysis=analysis)


# --- who may write, review and read -----------------------------------------------------------


@pytest.mark.parametrize(
    "who, may",
    [
        ("owner", True),
        ("quality", True),
        ("admin", True),
        ("rector", False),
        ("head_a", False),
        ("quality_a", False),
        ("head_b", False),  # owns another process, not this one
        ("analyst", False),
    ],
)
def test_who_may_write_the_analysis(stage, world, who, may):
    user = stage.owner if who == "owner" else getattr(world, who)
    assert sel.can_write(user, stage.process) is may
    if may:
        assert draft(stage, actor=user).state == AnalysisState.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            draft(stage, actor=user)
        assert not ProcessAnalysis.objects.exists()


def test_a_former_owner_may_no_longer_write(stage, world):
    analysis = draft(stage, **COMPLETE)
    ownership_end(actor=None, ownership=stage.ownership, end_date=TODAY)
    with pytest.raises(PermissionDenied):
        svc.analysis_submit(actor=stage.owner, analysis=analysis)
    assert fresh(analysis).state == AnalysisState.DRAFT


def test_quality_of_another_institution_may_not_write(stage, world):
    outsider = org_factories.user_with_role(Role.QUALITY_DEPARTMENT, world.other_root)
    with pytest.raises(PermissionDenied):
        draft(stage, actor=outsider)


def test_a_draft_is_read_by_its_writers_only_a_submitted_one_by_all(stage, world):
    analysis = draft(stage, **COMPLETE)
    assert sel.can_read(stage.owner, analysis) and sel.can_read(world.quality, analysis)
    assert not sel.can_read(world.head_a, analysis) and not sel.can_read(world.rector, analysis)
    analysis = svc.analysis_submit(actor=stage.owner, analysis=analysis)
    assert sel.can_read(world.head_a, analysis) and sel.can_read(world.rector, analysis)


def test_evidence_files_follow_the_analysis(stage, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sapat.core import attachments

    settings.MEDIA_ROOT = tmp_path
    analysis = draft(stage, **COMPLETE)
    assert attachments.can_attach(stage.owner, analysis) and attachments.can_attach(world.quality, analysis)
    assert not attachments.can_attach(world.head_a, analysis)
    assert not attachments.can_view(world.head_a, analysis)  # a draft, like its text
    attachments.attachment_add(
        actor=stage.owner, record=analysis, upload=SimpleUploadedFile("act.pdf", b"%PDF-1.4 inspection act")
    )
    analysis = svc.analysis_submit(actor=stage.owner, analysis=analysis)
    assert attachments.can_view(world.head_a, analysis)
    assert not attachments.can_attach(stage.owner, analysis)  # frozen with the text
    assert not attachments.can_view(org_factories.user_with_role(Role.STAFF, world.other_root), analysis)


# --- the overview and the reminder ------------------------------------------------------------


def test_overview_lists_every_process_with_its_status(stage, world):
    submitted(stage)
    third = factories.process(world.inst, "1.1")
    rows = sel.overview(world.quality, world.inst, stage.year)
    assert [(r.process.code, r.status) for r in rows] == [
        ("1.1", "not_started"),
        ("2.3", "submitted"),
        ("3.5", "not_started"),
    ]
    assert rows[0].process == third
    assert dict(sel.counts(rows)) == {"not_started": 2, "draft": 0, "returned": 0, "submitted": 1, "accepted": 0}


def test_remind_mails_owners_who_have_not_submitted(stage, world, mailoutbox, django_capture_on_commit_callbacks):
    for user, language in ((world.head_b, "ru"), (stage.owner, "en")):
        user.person.email = f"{user.username}@example.org"
        user.person.save()
        user.language = language
        user.save()
    second = factories.process(world.inst, "3.6")
    factories.owner(second, world.head_b.person, "Китепкананын башчысы")
    submitted(stage)  # staff_a's process is done: no mail for it
    with django_capture_on_commit_callbacks(execute=True):
        sent = svc.analysis_remind(
            actor=world.quality,
            institution=world.inst,
            academic_year=stage.year,
            deadline=TODAY + datetime.timedelta(7),
        )
    assert sent == 1
    (mail,) = mailoutbox
    assert mail.to == ["head_b@example.org"]
    assert "3.5" in mail.body and "3.6" in mail.body and "2.3" not in mail.body
    assert (TODAY + datetime.timedelta(7)).strftime("%d.%m.%Y") in mail.body
    assert AuditEntry.objects.filter(content_type__model="academicyear", note__contains="reminder").exists()


def test_remind_guards(stage, world, mailoutbox):
    with pytest.raises(PermissionDenied):
        svc.analysis_remind(actor=stage.owner, institution=world.inst, academic_year=stage.year)
    with pytest.raises(ValidationError, match="past"):
        svc.analysis_remind(
            actor=world.quality,
            institution=world.inst,
            academic_year=stage.year,
            deadline=TODAY - datetime.timedelta(1),
        )
    with pytest.raises(ValidationError, match="another institution"):
        svc.analysis_remind(actor=world.quality, institution=world.other_inst, academic_year=stage.year)
    assert not mailoutbox


def test_remind_command(stage, world, mailoutbox, capsys, django_capture_on_commit_callbacks):
    world.head_b.person.email = "b@example.org"
    world.head_b.person.save()
    stage.owner.person.email = "a@example.org"
    stage.owner.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("process_analysis_remind", institution="batsu", year=YEAR)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert "2 reminder(s) sent" in capsys.readouterr().out


# --- pages ------------------------------------------------------------------------------------


def test_overview_page(client, stage, world):
    submitted(stage)
    client.force_login(world.quality)
    response = client.get(reverse("analysis_overview"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Submitted" in page and "Not started" in page and "Remind the owners" in page
    response = client.get(reverse("analysis_overview"), {"year": YEAR, "missing": "1"})
    assert "3.5" in response.content.decode() and 'data-process="2.3"' not in response.content.decode()
    # A year that is not there falls back to the default one; other users see no reminder button.
    client.force_login(world.head_a)
    response = client.get(reverse("analysis_overview"), {"year": "abc"})
    assert response.status_code == 200 and "Remind the owners" not in response.content.decode()


def test_overview_costs_the_same_for_3_or_30_processes(client, stage, world):
    client.force_login(world.quality)
    url = reverse("analysis_overview") + f"?year={YEAR}"

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(30):
        process = factories.process(world.inst, f"{i % 4 + 1}.{i + 20}")
        person = org_factories.person(world.fac_a, f"Ээси{i:03d}")
        factories.owner(process, person, f"Башчы {i}", unit=world.fac_a)
        if i % 3:
            svc.analysis_save(actor=None, analysis=ProcessAnalysis(process=process, academic_year=stage.year))
    assert count() == small


def test_detail_page_hides_a_draft_from_readers(client, stage, world):
    draft(stage, objectives_comment="Жашыруун долбоор")
    url = reverse("analysis_detail", args=[stage.process.pk, YEAR])
    client.force_login(world.head_a)
    response = client.get(url)
    assert response.status_code == 200 and "Жашыруун долбоор" not in response.content.decode()
    assert client.get(reverse("analysis_pdf", args=[stage.process.pk, YEAR])).status_code == 404
    client.force_login(stage.owner)
    assert "Жашыруун долбоор" in client.get(url).content.decode()
    assert client.get(reverse("analysis_detail", args=[stage.process.pk, 1999])).status_code == 404


def test_edit_page_is_prefilled_and_guarded(client, stage, world):
    url = reverse("analysis_edit", args=[stage.process.pk, YEAR])
    client.force_login(world.head_a)
    assert client.get(url).status_code == 403
    assert client.post(url, COMPLETE).status_code == 403
    client.force_login(stage.owner)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "К-03 Dropout rate: 6.2 % (target 5) — At risk" in page  # the pre-filled opening
    assert "7.5" in page  # the trend


def test_edit_page_refuses_bad_input_and_changes_nothing(client, stage):
    client.force_login(stage.owner)
    url = reverse("analysis_edit", args=[stage.process.pk, YEAR])
    response = client.post(url, {**COMPLETE, "measures_done_percent": "150"})
    assert response.status_code == 400 and "less than or equal to 100" in response.content.decode()
    response = client.post(url, {"objectives_comment": "Аз гана", "submit": "1"})
    assert response.status_code == 400 and "Fill this in before submitting." in response.content.decode()
    assert not ProcessAnalysis.objects.exists()  # the draft of a failed submission is not kept either
    response = client.post(url, {"objectives_comment": "Аз гана", "save": "1"})
    assert response.status_code == 302
    assert ProcessAnalysis.objects.get().state == AnalysisState.DRAFT
    response = client.post(url, {**COMPLETE, "submit": "1"})
    assert response.status_code == 302
    assert ProcessAnalysis.objects.get().state == AnalysisState.SUBMITTED
    response = client.get(url)
    assert response.status_code == 302  # frozen: back to the analysis with a message
    response = client.post(url, COMPLETE, follow=True)
    assert "cannot be changed" in response.content.decode()


def test_review_pages(client, stage, world):
    analysis = submitted(stage)
    base = [stage.process.pk, YEAR]
    client.force_login(stage.owner)
    assert client.post(reverse("analysis_accept", args=base)).status_code == 403
    assert client.get(reverse("analysis_accept", args=base)).status_code == 405
    client.force_login(world.quality)
    response = client.post(reverse("analysis_return", args=base), {"comment": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert fresh(analysis).state == AnalysisState.SUBMITTED
    response = client.post(reverse("analysis_return", args=base), {"comment": "Толуктаңыз"}, follow=True)
    assert "returned to its owners" in response.content.decode()
    response = client.post(reverse("analysis_accept", args=base), follow=True)
    assert "Only a submitted analysis can be accepted." in response.content.decode()
    client.force_login(stage.owner)
    response = client.post(reverse("analysis_submit", args=base), follow=True)
    assert "The analysis is submitted." in response.content.decode()
    client.force_login(world.quality)
    client.post(reverse("analysis_accept", args=base))
    assert fresh(analysis).state == AnalysisState.ACCEPTED


def test_pdf_process_page_and_history(client, stage, world):
    analysis = submitted(stage)
    client.force_login(world.rector)
    response = client.get(reverse("analysis_pdf", args=[stage.process.pk, YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = client.get(reverse("process_detail", args=[stage.process.pk])).content.decode()
    assert reverse("analysis_detail", args=[stage.process.pk, YEAR]) in page
    detail = client.get(reverse("analysis_detail", args=[stage.process.pk, YEAR])).content.decode()
    history = reverse("record_history", args=["processes", "processanalysis", analysis.pk])
    assert history in detail
    assert "submitted" in client.get(history).content.decode()


def test_remind_page(client, stage, world, mailoutbox, django_capture_on_commit_callbacks):
    world.head_b.person.email = "b@example.org"
    world.head_b.person.save()
    client.force_login(world.head_a)
    assert client.post(reverse("analysis_remind"), {"year": YEAR}).status_code == 403
    client.force_login(world.quality)
    past = (TODAY - datetime.timedelta(3)).isoformat()
    response = client.post(reverse("analysis_remind"), {"year": YEAR, "deadline": past}, follow=True)
    assert "cannot be in the past" in response.content.decode() and not mailoutbox
    response = client.post(reverse("analysis_remind"), {"year": YEAR, "deadline": "31.31.2020"}, follow=True)
    assert "Enter a valid date." in response.content.decode() and not mailoutbox
    response = client.post(reverse("analysis_remind"), {"year": "1990"}, follow=True)
    assert "Choose an academic year that has begun." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("analysis_remind"), {"year": YEAR}, follow=True)
    assert "Reminders sent: 1." in response.content.decode() and len(mailoutbox) == 1


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_analysis_page_renders_in_every_language(client, stage, world, language):
    submitted(stage)
    world.quality.language = language
    world.quality.save(update_fields=["language"])
    client.force_login(world.quality)
    for url in (
        reverse("analysis_overview"),
        reverse("analysis_detail", args=[stage.process.pk, YEAR]),
        reverse("analysis_detail", args=[stage.other.pk, YEAR]),
        reverse("analysis_edit", args=[stage.other.pk, YEAR]),
        reverse("analysis_pdf", args=[stage.process.pk, YEAR]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language, url
