import re

import pytest
from playwright.sync_api import expect

from sapat.documents.choices import RevisionState
from sapat.documents.models import Acquaintance, Revision
from sapat.documents.tests import factories as f
from sapat.e2e.helpers import sign_in, sign_out, tr

pytestmark = pytest.mark.e2e


def test_a_procedure_from_draft_to_read(page, live_server, e2e_world):
    """The quality department drafts a procedure; the head of faculty A agrees it; the rector
    approves it; the quality department registers it; a member of staff reads it."""
    w = e2e_world
    dtype = f.doc_type(w.inst, approver=w.rector.person)
    doc = f.document(w.quality, w.fac_a, dtype, title="Ички аудит")
    doc.distributed_units.add(w.dep_a)

    sign_in(page, live_server, w.quality)
    page.goto(f"/documents/{doc.pk}/")
    revision = doc.revisions.get()
    page.goto(f"/documents/revisions/{revision.pk}/versions/ky/")
    page.locator("main textarea[name=text]").fill("1. Максаты. Ички аудитти пландоо жана өткөрүү тартиби.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(f"/documents/revisions/{revision.pk}/agreement/")
    page.locator("main select").first.select_option(str(w.head_a.person.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    with page.expect_navigation():
        page.locator("[data-testid=workflow] form button").first.click()
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.AGREEMENT
    sign_out(page)

    sign_in(page, live_server, w.head_a)
    page.goto(f"/documents/{doc.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=decide-form] button[value=agree]").click()
    sign_out(page)

    sign_in(page, live_server, w.rector)
    page.goto(f"/documents/{doc.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=approve-form] button").click()
    sign_out(page)

    sign_in(page, live_server, w.quality)
    page.goto(f"/documents/{doc.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=register-form] button").click()
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.IN_FORCE
    sign_out(page)

    sign_in(page, live_server, w.staff_a)
    expect(page.locator("[data-testid=my-tasks]")).to_be_visible()
    page.goto(f"/documents/{doc.pk}/")
    expect(page.locator("main")).to_contain_text("Ички аудитти пландоо")
    read = page.locator("main form[action$='/confirm/'] button")
    expect(read).to_have_text(tr("ky", "I have read it"))
    with page.expect_navigation():
        read.click()
    expect(page.locator("main form[action$='/confirm/']")).to_have_count(0)
    acquaintance = Acquaintance.objects.get(revision=revision, person=w.staff_a.person)
    assert acquaintance.confirmed_at is not None
    expect(page).to_have_url(re.compile(rf"/documents/{doc.pk}/"))
