import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from sapat.audits import services
from sapat.audits.choices import AuditState

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _audit(w):
    a = f.audit(w.inst, units=[w.fac_a], processes=[w.process])
    services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["9.2"])
    return a


def test_audit_list_detail_and_workflow(aw):
    w = aw
    a = _audit(w)
    r = _api(w.head_a).get("/api/audits/")
    assert r.status_code == 200 and [x["code"] for x in r.json()["results"]] == [a.code]
    assert _api(w.staff_a).get("/api/audits/").json()["results"] == []
    assert _api(w.staff_a).get(f"/api/audits/{a.pk}/").status_code == 404
    r = _api(w.head_b).post(f"/api/audits/{a.pk}/start/")
    assert r.status_code == 200 and r.json()["state"] == AuditState.CONDUCT
    item = a.checklist.get()
    r = _api(w.quality).post(f"/api/checklist-items/{item.pk}/answer/", {"answer": "conforms"})
    assert r.status_code == 403
    r = _api(w.head_b).post(f"/api/checklist-items/{item.pk}/answer/", {"answer": "nonconforms"})
    assert r.status_code == 400 and r.json()["notes"] == ["Say what does not conform."]
    r = _api(w.head_b).post(f"/api/checklist-items/{item.pk}/answer/", {"answer": "nonconforms", "notes": "Жок"})
    assert r.status_code == 200
    r = _api(w.head_b).post(f"/api/audits/{a.pk}/finish/")
    assert r.json()["state"] == AuditState.REPORT
    r = _api(w.head_b).post(f"/api/audits/{a.pk}/lead-approve/")
    assert r.status_code == 400 and "conclusion" in r.json()
    detail = _api(w.quality).get(f"/api/audits/{a.pk}/").json()
    assert detail["findings"][0]["category"] == "major" and detail["findings"][0]["is_nonconformity"]
    assert detail["checklist"][0]["answer"] == "nonconforms"
    r = _api(w.quality).get("/api/audit-findings/?nonconformity=true")
    assert [x["audit_code"] for x in r.json()["results"]] == [a.code]
    assert _api(w.quality).get("/api/audit-findings/?nonconformity=false").json()["results"] == []
    assert _api(w.head_a).post(f"/api/audits/{a.pk}/approve/").status_code == 403


def test_programmes_api(aw):
    w = aw
    programme = services.programme_create(actor=w.quality, institution=w.inst, academic_year=w.year)
    f.entry(programme.versions.get(), units=[w.fac_a], lead=w.lead)
    r = _api(w.rector).get("/api/audit-programmes/")
    row = r.json()["results"][0]
    assert row["versions"][0]["state"] == "draft" and row["versions"][0]["entries"][0]["subject"] == "Факультет А"
    assert _api(w.staff_a).get("/api/audit-programmes/").json()["results"] == []
    assert _api(w.rector).get("/api/audits/?state=nonsense").status_code == 400


@pytest.mark.django_db
def test_openapi_schema_is_valid(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/audits/{id}/lead-approve/", "/api/checklist-items/{id}/answer/", "/api/audit-findings/"):
        assert f"{path}:" in schema
