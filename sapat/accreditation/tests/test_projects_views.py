"""Pages of self-evaluation projects: who sees what, forms, bad input, downloads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sapat.accreditation import services_projects as svc
from sapat.accreditation.models_projects import AssessmentState, ElementStatus, Level
from sapat.org.choices import Role
from sapat.org.tests import factories

from .projects_setup import framework, running_project

pytestmark = pytest.mark.usefixtures("english")


def _login(client, user):
    client.force_login(user)
    return client


def test_project_pages_for_the_quality_department(client, world):
    p, member, compiler = running_project(world)
    _login(client, world.quality)
    assert client.get(reverse("se_project_list")).status_code == 200
    page = client.get(p.get_absolute_url())
    assert page.status_code == 200 and "women" in page.content.decode().lower()
    report = p.reports.get()
    assert client.get(report.get_absolute_url()).status_code == 200
    assessment = report.assessments.first()
    assert client.get(assessment.get_absolute_url()).status_code == 200


def test_new_project_form_refuses_contradicting_dates(client, world):
    fw = framework()
    _login(client, world.quality)
    today = timezone.localdate()
    data = {
        "title": "SE",
        "year": today.year,
        "institutional": "on",
        "start_date": today.isoformat(),
        "end_date": (today - datetime.timedelta(days=3)).isoformat(),
        "council_report_date": today.isoformat(),
        "period_from": today.year - 4,
        "period_to": today.year,
        "institutional_framework": fw.pk,
    }
    response = client.post(reverse("se_project_add"), data)
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    data["end_date"] = today.isoformat()
    response = client.post(reverse("se_project_add"), data)
    assert response.status_code == 302
    assert world.inst.self_evaluations.get().reports.get().assessments.count() == 4


def test_outsiders_see_nothing(client, world):
    p, member, compiler = running_project(world)
    for user in (world.head_b, world.analyst):
        _login(client, user)
        assert client.get(p.get_absolute_url()).status_code == 404
        assert client.get(p.reports.get().get_absolute_url()).status_code == 404
    _login(client, world.staff_a)
    assert client.get(reverse("se_project_add")).status_code == 403


def test_member_rates_with_evidence_and_compiler_accepts(client, world):
    p, member, compiler = running_project(world)
    assessment = p.reports.get().assessments.first()
    _login(client, world.staff_a)
    data = {"narrative": "Mission in the Charter", "level": Level.COMPLIES}
    for element in assessment.criterion.elements.all():
        data[f"element_{element.pk}"] = ElementStatus.MET
    assert client.post(assessment.get_absolute_url(), data).status_code == 302
    client.post(
        reverse("se_evidence_add", args=[assessment.pk]), {"kind": "web", "url": "https://example.kg", "page": "2"}
    )
    assert assessment.evidence.count() == 1
    client.post(reverse("se_assessment_step", args=[assessment.pk, "submit"]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    # the member cannot accept
    client.post(reverse("se_assessment_step", args=[assessment.pk, "accept"]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    _login(client, world.head_a)
    client.post(reverse("se_assessment_step", args=[assessment.pk, "accept"]))
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.ACCEPTED
    response = client.get(reverse("se_report_download", args=[p.reports.get().pk, "docx"]) + "?lang=ky")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_expert_sees_only_the_submitted_report_until_expiry(client, world):
    p, member, compiler = running_project(world)
    report = p.reports.get()
    expert = factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=timezone.localdate() + datetime.timedelta(days=5)
    )
    svc.expert_grant(actor=world.quality, project=p, user=expert, valid_until=timezone.localdate())
    _login(client, expert)
    assert client.get(report.get_absolute_url()).status_code == 404
    for assessment in report.assessments.all():
        checks = {e.pk: ElementStatus.MET for e in assessment.criterion.elements.all()}
        svc.assessment_save(actor=None, assessment=assessment, checks=checks, narrative="x", level=Level.COMPLIES)
        svc.evidence_add(actor=None, assessment=assessment, kind="other", title="Charter")
        svc.assessment_submit(actor=None, assessment=assessment)
        svc.assessment_accept(actor=None, assessment=assessment)
    svc.report_write(actor=None, report=report, findings="F", recommendation="R")
    svc.report_submit(actor=None, report=report)
    assert client.get(p.get_absolute_url()).status_code == 200
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(report.assessments.first().get_absolute_url()).status_code == 200
    assert client.get(reverse("se_report_download", args=[report.pk, "pdf"])).status_code == 200
    # read-only: no step, no evidence, nothing of the organisation
    assessment = report.assessments.first()
    client.post(reverse("se_evidence_add", args=[assessment.pk]), {"kind": "web", "url": "https://x.kg"})
    assert assessment.evidence.count() == 1
    assert client.get(reverse("accreditation_register")).status_code in (403, 404)
    access_row = p.expert_accesses.get()
    access_row.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    access_row.save()
    assert client.get(report.get_absolute_url()).status_code == 404


def test_project_list_query_count(client, world, django_assert_max_num_queries):
    fw = framework()
    for _i in range(3):
        running_project(world, fw)
    _login(client, world.quality)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("se_project_list"))
    assert response.status_code == 200


def test_post_accreditation_plan_pages_and_progress_pdf(client, world):
    p, member, compiler = running_project(world)
    report = p.reports.get()
    for assessment in report.assessments.all():
        checks = {e.pk: ElementStatus.MET for e in assessment.criterion.elements.all()}
        svc.assessment_save(actor=None, assessment=assessment, checks=checks, narrative="x", level=Level.COMPLIES)
        svc.evidence_add(actor=None, assessment=assessment, kind="other", title="Charter")
        svc.assessment_submit(actor=None, assessment=assessment)
        svc.assessment_accept(actor=None, assessment=assessment)
    svc.report_write(actor=None, report=report, findings="F", recommendation="R")
    svc.report_submit(actor=None, report=report)
    _login(client, world.quality)
    client.post(reverse("se_remark_add", args=[p.pk]), {"kind": "remark", "text": "Update the website."})
    remark = p.remarks.get()
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    data = {
        "description": "Appoint an editor",
        "deadline": deadline,
        "unit": world.dep_a.pk,
        "owner": world.staff_a.person.pk,
    }
    client.post(reverse("se_measure_add", args=[p.pk, remark.pk]), data)
    assert remark.measures.get().action.description == "Appoint an editor"
    response = client.get(reverse("se_progress_report", args=[p.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response = client.get(reverse("se_progress_report", args=[p.pk]), {"period": "2025"})
    assert "2025.pdf" in response["Content-Disposition"]
    _login(client, world.staff_a)  # a member, not the quality department
    assert client.get(reverse("se_progress_report", args=[p.pk])).status_code == 403
