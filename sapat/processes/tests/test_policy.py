"""The quality policy and the quality objectives: one version in force, approving a new
one supersedes it, an approved version is never edited; the cascade of objectives keeps
each under an objective of its unit or a unit above; who may write what, role by role;
pages render in every language; the tree costs the same queries for 3 or 20 objectives."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.core.models import AuditEntry
from sapat.org.tests import factories as org_factories
from sapat.processes import services_policy as services
from sapat.processes.models_policy import (
    ObjectiveReview,
    PolicyState,
    QualityObjective,
    QualityPolicy,
    split_provisions,
)

from . import factories

# Service messages are read in English; pages choose their language per user.
pytestmark = pytest.mark.usefixtures("english")

TEXT = "1. Сапат биринчи орунда.\n\nЖетекчилердин жоопкерчилиги.\n\n- Кызматкерлерди колдоо."


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def draft(inst, actor=None, text=TEXT):
    return services.policy_save(actor=actor, policy=QualityPolicy(institution=inst, text_ky=text))


def approve(policy, body, actor=None, on=datetime.date(2024, 8, 30), number="1"):
    return services.policy_approve(actor=actor, policy=policy, approved_on=on, body=body, protocol_number=number)


def objective(unit, parent=None, actor=None, code="", processes=None, **kwargs):
    kwargs.setdefault("title_ky", f"Максат {unit.code}")
    o = QualityObjective(
        institution=unit.institution,
        unit=unit,
        parent=parent,
        code=code,
        start_year=kwargs.pop("start_year", 2024),
        end_year=kwargs.pop("end_year", 2028),
        **kwargs,
    )
    return services.objective_save(actor=actor, objective=o, processes=processes)


@pytest.fixture
def council(world):
    return org_factories.unit(world.root, "ОК", unit_type="council", name_ky="Окумуштуулар кеңеши")


@pytest.fixture
def cascade(world):
    """Institution objective 1; faculty A's 1.1 under it, its department's 1.1.1; faculty
    B's 1.2."""

    class C:
        pass

    c = C()
    c.process = factories.process(world.inst, "2.3")
    c.top = objective(world.root, processes=[c.process])
    c.fa = objective(world.fac_a, c.top)
    c.da = objective(world.dep_a, c.fa)
    c.fb = objective(world.fac_b, c.top)
    return c


# --- the policy ---------------------------------------------------------------------------------


def test_provisions_are_the_paragraphs():
    assert split_provisions(TEXT) == ["Сапат биринчи орунда.", "Жетекчилердин жоопкерчилиги.", "Кызматкерлерди колдоо."]


def test_versions_are_numbered_and_approving_supersedes(world, council):
    first = draft(world.inst)
    assert (first.version_number, first.state) == (1, PolicyState.DRAFT)
    approve(first, council)
    second = draft(world.inst)
    assert second.version_number == 2
    approve(second, council, on=datetime.date(2025, 9, 1), number="7")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == PolicyState.SUPERSEDED
    assert (second.state, second.protocol_number, second.approved_by_body) == (PolicyState.IN_FORCE, "7", council)
    assert QualityPolicy.objects.filter(institution=world.inst, state=PolicyState.IN_FORCE).count() == 1
    assert AuditEntry.objects.filter(object_id=str(first.pk), note__startswith="superseded").exists()


def test_database_allows_one_policy_in_force(world, council):
    approve(draft(world.inst), council)
    other = draft(world.inst)
    with pytest.raises(IntegrityError), transaction.atomic():
        QualityPolicy.objects.filter(pk=other.pk).update(
            state=PolicyState.IN_FORCE, approved_on=datetime.date(2025, 1, 1), approved_by_body=council
        )


def test_approved_policy_cannot_be_edited(world, council, english):
    policy = approve(draft(world.inst), council)
    policy.text_ky = "Башка текст"
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.policy_save(actor=world.quality, policy=policy)
    with pytest.raises(ValidationError, match="already approved"):
        approve(policy, council)


def test_approval_needs_a_body_of_the_institution(world, english):
    other_council = org_factories.unit(world.other_root, "ОК2", unit_type="council")
    with pytest.raises(ValidationError) as error:
        approve(draft(world.inst), other_council)
    assert "approved_by_body" in error.value.error_dict


def test_kyrgyz_text_required(world, english):
    with pytest.raises(ValidationError) as error:
        draft(world.inst, text="  ")
    assert "text_ky" in error.value.error_dict


@pytest.mark.parametrize("who", ["head_a", "quality_a", "staff_a", "rector"])
def test_only_the_quality_department_keeps_the_policy(world, council, who):
    with pytest.raises(PermissionDenied):
        draft(world.inst, actor=getattr(world, who))
    policy = draft(world.inst, actor=world.quality)
    with pytest.raises(PermissionDenied):
        approve(policy, council, actor=getattr(world, who))
    approve(policy, council, actor=world.admin)


# --- the cascade --------------------------------------------------------------------------------


def test_codes_follow_the_cascade(world, cascade):
    assert [cascade.top.code, cascade.fa.code, cascade.da.code, cascade.fb.code] == ["1", "1.1", "1.1.1", "1.2"]
    assert objective(world.root).code == "2"
    assert objective(world.root, code="Б-3").code == "Б-3"
    assert list(cascade.top.processes.all()) == [cascade.process]


def test_parent_must_be_above_in_the_chain(world, cascade, english):
    with pytest.raises(ValidationError, match="of this unit or of a unit above"):
        objective(world.dep_a, cascade.fb)  # faculty B's objective is not above faculty A's department
    with pytest.raises(ValidationError) as error:
        objective(world.fac_a)  # a unit's objective serves one above it
    assert "parent" in error.value.error_dict
    other = objective(world.other_root)
    with pytest.raises(ValidationError, match="another institution"):
        objective(world.fac_a, other)


def test_no_cycles_and_a_sane_period(world, cascade, english):
    cascade.top.parent = cascade.fa
    cascade.top.unit = world.fac_a
    with pytest.raises(ValidationError, match="cannot serve itself"):
        services.objective_save(actor=None, objective=cascade.top)
    with pytest.raises(ValidationError, match="ends before it starts"):
        objective(world.root, start_year=2026, end_year=2025)


def test_reviews_one_per_year_within_the_period(world, cascade, english):
    services.review_save(actor=None, review=ObjectiveReview(objective=cascade.fa, year=2025, achieved_percent=80))
    with pytest.raises(ValidationError, match="already reviewed"):
        services.review_save(actor=None, review=ObjectiveReview(objective=cascade.fa, year=2025, achieved_percent=90))
    with pytest.raises(ValidationError, match="outside the objective's period"):
        services.review_save(actor=None, review=ObjectiveReview(objective=cascade.fa, year=2031, achieved_percent=9))


def test_who_sets_objectives(world, cascade):
    # The quality department: everywhere, the institution's own included.
    objective(world.root, actor=world.quality)
    # A faculty head: their faculty and its departments, not the institution's, not faculty B's.
    objective(world.fac_a, cascade.top, actor=world.head_a)
    objective(world.dep_a, cascade.fa, actor=world.quality_a)
    for unit, parent in ((world.root, None), (world.fac_b, cascade.top)):
        with pytest.raises(PermissionDenied):
            objective(unit, parent, actor=world.head_a)
    with pytest.raises(PermissionDenied):
        objective(world.dep_a, cascade.fa, actor=world.staff_a)
    cascade.fb.title_ky = "Өзгөртүлдү"
    with pytest.raises(PermissionDenied):
        services.objective_save(actor=world.head_a, objective=cascade.fb)
    with pytest.raises(PermissionDenied):
        services.review_save(
            actor=world.staff_a, review=ObjectiveReview(objective=cascade.da, year=2025, achieved_percent=50)
        )


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_pages_render(client, world, council, cascade, language):
    policy = approve(draft(world.inst), council)
    login(client, world.quality, language)
    for url in (
        reverse("quality_policy"),
        reverse("policy_add"),
        reverse("policy_version", args=[policy.pk]),
        reverse("objective_list"),
        reverse("objective_list") + f"?unit={world.fac_a.pk}",
        reverse("objective_detail", args=[cascade.fa.pk]),
        reverse("objective_add") + f"?parent={cascade.top.pk}",
        reverse("objective_edit", args=[cascade.fa.pk]),
        reverse("objective_review_add", args=[cascade.fa.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Сапат биринчи орунда." in client.get(reverse("quality_policy")).content.decode()


def test_empty_states(client, world, english):
    login(client, world.staff_a)
    assert "No quality policy is in force yet." in client.get(reverse("quality_policy")).content.decode()
    assert "No quality objectives yet." in client.get(reverse("objective_list")).content.decode()


def test_policy_workflow_through_the_pages(client, world, council):
    login(client, world.quality)
    response = client.post(reverse("policy_add"), {"text_ky": TEXT, "text_ru": "", "text_en": "Quality first."})
    policy = QualityPolicy.objects.get(institution=world.inst)
    assert response.status_code == 302
    response = client.post(
        reverse("policy_approve", args=[policy.pk]),
        {"approved_on": "2024-08-30", "approved_by_body": council.pk, "protocol_number": "1"},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.state == PolicyState.IN_FORCE
    assert client.get(reverse("policy_edit", args=[policy.pk])).status_code == 403


def test_objective_pages_by_role(client, world, cascade):
    data = {
        "unit": world.fac_a.pk,
        "parent": cascade.top.pk,
        "code": "",
        "title_ky": "Жаңы максат",
        "start_year": 2025,
        "end_year": 2026,
        "status": "planned",
        "processes": [cascade.process.pk],
    }
    login(client, world.head_a)
    assert client.post(reverse("objective_add"), data).status_code == 302
    new = QualityObjective.objects.get(title_ky="Жаңы максат")
    assert (new.code, list(new.processes.all())) == ("1.3", [cascade.process])
    assert client.get(reverse("objective_edit", args=[cascade.fa.pk])).status_code == 200
    assert client.get(reverse("objective_edit", args=[cascade.fb.pk])).status_code == 403
    # a unit outside the head's scope is not offered
    response = client.post(reverse("objective_add"), {**data, "unit": world.fac_b.pk, "title_ky": "Б"})
    assert response.status_code == 400 and not QualityObjective.objects.filter(title_ky="Б").exists()
    # the parent outside the chain: the form says so
    response = client.post(reverse("objective_add"), {**data, "unit": world.dep_a.pk, "parent": cascade.fb.pk})
    assert response.status_code == 400

    login(client, world.staff_a)
    assert client.get(reverse("objective_detail", args=[cascade.fa.pk])).status_code == 200
    assert client.get(reverse("objective_add")).status_code == 403
    assert client.get(reverse("objective_edit", args=[cascade.fa.pk])).status_code == 403
    assert client.get(reverse("policy_add")).status_code == 403

    other = org_factories.user_with_role("staff", world.other_root, username="osh_staff")
    login(client, other)
    assert client.get(reverse("objective_detail", args=[cascade.fa.pk])).status_code == 404
    assert "Максат" not in client.get(reverse("objective_list")).content.decode()


def test_list_queries_do_not_grow(client, world, cascade):
    login(client, world.quality)
    client.get(reverse("objective_list"))  # warm up caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("objective_list")).status_code == 200
        return len(ctx)

    few = count()
    for i in range(17):
        o = objective(world.dep_a, cascade.fa, processes=[cascade.process])
        services.review_save(actor=None, review=ObjectiveReview(objective=o, year=2025, achieved_percent=i))
    assert QualityObjective.objects.count() == 21
    assert count() == few
