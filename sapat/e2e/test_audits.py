import pytest
from playwright.sync_api import expect

from sapat.audits import services
from sapat.audits.choices import AuditState
from sapat.audits.models import Audit
from sapat.audits.tests import factories as f
from sapat.e2e.helpers import sign_in, tr
from sapat.improvement.models import NcSource, Nonconformity

pytestmark = pytest.mark.e2e


def test_an_auditor_fills_the_checklist_and_the_report_shows_the_finding(page, live_server, e2e_world):
    """The lead auditor (head of faculty B) audits faculty A: one question conforms, the other
    does not, with a note; finishing the conduct turns it into a finding on the report."""
    w = e2e_world
    lead = f.auditor(w.fac_b, person=w.head_b.person)
    audit = f.audit(w.inst, units=[w.fac_a], title="Факультет А: окуу процесси")
    services.audit_set_team(actor=w.quality, audit=audit, lead=lead, team=[])
    services.checklist_from_clauses(actor=w.quality, audit=audit, clauses=["7.5.3", "9.2"])
    services.audit_start(actor=w.quality, audit=audit)
    first, second = audit.checklist.all()

    sign_in(page, live_server, w.head_b)
    page.goto(f"/audits/{audit.pk}/checklist/")
    row = page.locator(f"#q{first.pk}")
    row.locator("input[value=conforms]").check()
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#q{first.pk} .badge.text-bg-success")).to_be_visible()

    row = page.locator(f"#q{second.pk}")
    row.locator("input[value=nonconforms]").check()
    row.locator("button[type=submit]").click()  # without a note: refused in place
    expect(page.locator(f"#q{second.pk} [role=alert]")).to_contain_text(tr("ky", "Say what does not conform."))
    row = page.locator(f"#q{second.pk}")
    row.locator("input[value=nonconforms]").check()
    row.locator("textarea[name=notes]").fill("Ички аудиттин протоколдору сакталбайт")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#q{second.pk} .badge.text-bg-danger")).to_be_visible()

    with page.expect_navigation():
        page.locator(f"form[action='/audits/{audit.pk}/do/finish/'] button").click()
    assert Audit.objects.get(pk=audit.pk).state == AuditState.REPORT
    findings = page.locator("[data-testid=findings]")
    expect(findings).to_contain_text("Ички аудиттин протоколдору сакталбайт")
    expect(findings).to_contain_text("Олуттуу туура келбөөчүлүк")

    # The lead auditor raises a nonconformity from the finding: prefilled, only the type to choose.
    with page.expect_navigation():
        findings.locator("[data-testid=raise-nc]").click()
    form = page.locator("main form[method=post]")
    expect(form.locator("textarea[name=description]")).to_have_value("Ички аудиттин протоколдору сакталбайт")
    expect(form.locator("select[name=severity]")).to_have_value("major")
    form.locator("select[name=nc_type]").select_option(index=1)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    nc = Nonconformity.objects.get(audit_finding__audit=audit)
    assert nc.source == NcSource.INTERNAL_AUDIT and nc.unit == w.fac_a
    expect(page.locator("[data-testid=from-finding]")).to_contain_text(audit.code)
    page.goto("/improvement/nonconformities/")
    row = page.locator("tr", has_text=nc.code)
    expect(row).to_contain_text(tr("ky", "Internal audit"))
    page.goto(f"/audits/{audit.pk}/report/")
    expect(page.locator("[data-testid=findings] [data-testid=raised-nc]")).to_have_text(nc.code)
    expect(page.locator("[data-testid=findings] [data-testid=raise-nc]")).to_have_count(0)
