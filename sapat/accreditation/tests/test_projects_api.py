import pytest
from rest_framework.test import APIClient

from sapat.accreditation import services_projects as svc
from sapat.accreditation.models_projects import AssessmentState, ElementStatus, Level

from .projects_setup import running_project

pytestmark = pytest.mark.usefixtures("english")


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_projects_and_assessments_read_and_review(world):
    p, member, compiler = running_project(world)
    report = p.reports.get()
    data = _client(world.staff_a).get("/api/self-evaluations/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["id"] for row in rows] == [p.pk]
    assert _client(world.head_b).get(f"/api/self-evaluations/{p.pk}/").status_code == 404
    listed = _client(world.staff_a).get(f"/api/criterion-assessments/?report={report.pk}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert len(rows) == 4
    assessment = report.assessments.first()
    # submitting an unrated criterion is refused with the reasons
    response = _client(world.staff_a).post(f"/api/criterion-assessments/{assessment.pk}/submit/")
    assert response.status_code == 400
    checks = {e.pk: ElementStatus.MET for e in assessment.criterion.elements.all()}
    svc.assessment_save(actor=world.staff_a, assessment=assessment, checks=checks, narrative="x", level=Level.COMPLIES)
    svc.evidence_add(actor=world.staff_a, assessment=assessment, kind="web", url="https://example.kg")
    assert _client(world.staff_a).post(f"/api/criterion-assessments/{assessment.pk}/submit/").status_code == 200
    assert _client(world.staff_a).post(f"/api/criterion-assessments/{assessment.pk}/accept/").status_code == 403
    response = _client(world.head_a).post(f"/api/criterion-assessments/{assessment.pk}/accept/")
    assert response.status_code == 200 and response.json()["state"] == AssessmentState.ACCEPTED
