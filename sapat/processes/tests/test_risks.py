"""The risk register and SWOT analyses: rating and level, codes, the scale, SWOT → risk,
who may do what, the pages in every language and their query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.org.tests import factories as org_factories
from sapat.processes import services_risks as svc
from sapat.processes.models import (
    Risk,
    RiskAction,
    RiskKind,
    RiskLevel,
    RiskScale,
    SwotAnalysis,
    SwotItem,
    SwotQuadrant,
)

from . import factories

# Service messages are read in English; pages choose their language per user.
pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate


def make_risk(world, actor=None, unit=None, process=None, likelihood=3, impact=3, title="Окутуучулардын кетиши"):
    risk = Risk(
        institution=world.inst,
        unit=unit if unit is not None or process is not None else world.fac_a,
        process=process,
        title=title,
        likelihood=likelihood,
        impact=impact,
    )
    return svc.risk_save(actor=actor, risk=risk)


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


# --- rating, level, code, scale -----------------------------------------------------------------


@pytest.mark.parametrize(
    "likelihood,impact,rating,level",
    [
        (1, 1, 1, RiskLevel.LOW),
        (2, 2, 4, RiskLevel.LOW),
        (1, 5, 5, RiskLevel.MEDIUM),
        (3, 3, 9, RiskLevel.MEDIUM),
        (2, 5, 10, RiskLevel.HIGH),
        (3, 5, 15, RiskLevel.HIGH),
        (4, 4, 16, RiskLevel.CRITICAL),
        (5, 5, 25, RiskLevel.CRITICAL),
    ],
)
def test_rating_is_likelihood_times_impact_and_level_follows_the_thresholds(world, likelihood, impact, rating, level):
    risk = make_risk(world, likelihood=likelihood, impact=impact)
    risk = Risk.objects.get(pk=risk.pk)
    assert risk.rating == rating and risk.level == level
    assert Risk.objects.with_score().get(pk=risk.pk).score == rating


def test_scale_is_created_lazily_with_defaults_and_changing_it_relevels(world):
    assert not RiskScale.objects.filter(institution=world.inst).exists()
    risk = make_risk(world, likelihood=2, impact=3)
    scale = RiskScale.objects.get(institution=world.inst)
    assert (scale.likelihood_max, scale.impact_max, scale.low_max, scale.medium_max, scale.high_max) == (5, 5, 4, 9, 15)
    assert risk.level == RiskLevel.MEDIUM
    scale.low_max, scale.medium_max = 6, 10
    svc.scale_save(actor=world.quality, scale=scale)
    assert Risk.objects.get(pk=risk.pk).level == RiskLevel.LOW


def test_scale_validation(world):
    scale = svc.scale_for(world.inst.pk)
    scale.low_max, scale.medium_max = 9, 4
    with pytest.raises(ValidationError):
        svc.scale_save(actor=world.quality, scale=scale)
    scale = svc.scale_for(world.inst.pk)
    scale.likelihood_labels = ["only one"]
    with pytest.raises(ValidationError):
        svc.scale_save(actor=world.quality, scale=scale)
    make_risk(world, likelihood=5, impact=5)
    scale = svc.scale_for(world.inst.pk)
    scale.likelihood_labels, scale.impact_labels, scale.low_max, scale.medium_max, scale.high_max = (
        ["a", "b", "c"],
        ["a", "b", "c"],
        2,
        4,
        6,
    )
    with pytest.raises(ValidationError, match="re-rate"):
        svc.scale_save(actor=world.quality, scale=scale)
    with pytest.raises(PermissionDenied):
        svc.scale_save(actor=world.head_a, scale=svc.scale_for(world.inst.pk))


def test_likelihood_and_impact_must_be_on_the_scale(world):
    with pytest.raises(ValidationError) as exc:
        make_risk(world, likelihood=6, impact=0)
    assert set(exc.value.error_dict) == {"likelihood", "impact"}


def test_a_risk_needs_a_process_or_a_unit_and_residual_both_or_neither(world):
    with pytest.raises(ValidationError) as exc:
        svc.risk_save(actor=None, risk=Risk(institution=world.inst, title="x", likelihood=1, impact=1))
    assert "unit" in exc.value.error_dict
    risk = make_risk(world)
    risk.residual_likelihood = 2
    with pytest.raises(ValidationError):
        svc.risk_save(actor=world.quality, risk=risk)
    risk.residual_likelihood = None
    risk.status = "treated"
    with pytest.raises(ValidationError, match="residual"):
        svc.risk_save(actor=world.quality, risk=risk)


def test_residual_above_initial_is_kept_and_flagged(world):
    risk = make_risk(world, likelihood=2, impact=2)
    risk.residual_likelihood, risk.residual_impact = 3, 3
    svc.risk_save(actor=world.quality, risk=risk)
    risk = Risk.objects.get(pk=risk.pk)
    assert risk.residual_rating == 9 and risk.residual_worse


def test_codes_count_up_per_institution_and_are_never_reused(world):
    a, b = make_risk(world), make_risk(world)
    assert (a.code, b.code) == ("R-001", "R-002")
    b.delete()
    assert make_risk(world).code == "R-003"
    other = Risk(institution=world.other_inst, unit=world.other_root, title="x", likelihood=1, impact=1)
    assert svc.risk_save(actor=None, risk=other).code == "R-001"
    a.code = "R-999"
    assert svc.risk_save(actor=world.quality, risk=a).code == "R-001"


def test_saves_are_audited(world):
    risk = make_risk(world, actor=world.quality)
    assert AuditEntry.objects.filter(object_id=str(risk.pk), content_type__model="risk", action="create").exists()


# --- actions ------------------------------------------------------------------------------------


def test_actions_deadline_and_done(world):
    risk = make_risk(world)
    with pytest.raises(ValidationError, match="past"):
        svc.action_add(
            actor=world.quality,
            action=RiskAction(risk=risk, description="x", deadline=TODAY() - datetime.timedelta(days=1)),
        )
    action = svc.action_add(actor=world.quality, action=RiskAction(risk=risk, description="Келишим", deadline=TODAY()))
    svc.action_done(actor=world.quality, action=action)
    assert RiskAction.objects.get(pk=action.pk).done_on == TODAY()
    with pytest.raises(ValidationError):
        svc.action_done(actor=world.quality, action=action)


# --- SWOT -----------------------------------------------------------------------------------------


def _swot(world, unit=None):
    analysis = svc.swot_save(
        actor=world.quality,
        analysis=SwotAnalysis(institution=world.inst, unit=unit, date=TODAY(), title="SWOT 2025"),
    )
    items = {
        q: svc.swot_item_add(actor=world.quality, item=SwotItem(analysis=analysis, quadrant=q, text=f"Пункт {q}"))
        for q in SwotQuadrant.values
    }
    return analysis, items


def test_swot_item_turns_into_a_risk_or_an_opportunity_once(world):
    analysis, items = _swot(world)
    threat = svc.swot_item_to_risk(actor=world.quality, item=items["T"], likelihood=4, impact=4)
    assert threat.kind == RiskKind.RISK and threat.source_item == items["T"] and threat.unit == world.root
    strength = svc.swot_item_to_risk(actor=world.quality, item=items["S"])
    assert strength.kind == RiskKind.OPPORTUNITY
    assert SwotItem.objects.get(pk=items["T"].pk).risk == threat
    with pytest.raises(ValidationError, match="already"):
        svc.swot_item_to_risk(actor=world.quality, item=items["T"])


def test_unit_swot_is_kept_by_the_unit_head_not_by_another(world):
    analysis = svc.swot_save(
        actor=world.head_a, analysis=SwotAnalysis(institution=world.inst, unit=world.fac_a, date=TODAY(), title="x")
    )
    item = svc.swot_item_add(actor=world.head_a, item=SwotItem(analysis=analysis, quadrant="W", text="Лаборатория"))
    assert svc.swot_item_to_risk(actor=world.head_a, item=item).unit == world.fac_a
    with pytest.raises(PermissionDenied):
        svc.swot_item_add(actor=world.head_b, item=SwotItem(analysis=analysis, quadrant="W", text="y"))
    with pytest.raises(PermissionDenied):
        svc.swot_save(actor=world.head_a, analysis=SwotAnalysis(institution=world.inst, date=TODAY(), title="z"))


# --- who may manage a risk ------------------------------------------------------------------------


@pytest.fixture
def owned(world):
    process = factories.process(world.inst, "2.3")
    factories.owner(process, world.staff_a.person, "Проректор")
    return process


def test_permissions_role_by_role(world, owned):
    risk_a = make_risk(world, unit=world.fac_a)
    risk_b = make_risk(world, unit=world.fac_b)
    risk_p = make_risk(world, process=owned)
    cases = {
        "quality": (True, True, True),
        "admin": (True, True, True),
        "head_a": (True, False, False),
        "quality_a": (True, False, False),
        "head_b": (False, True, False),
        "staff_a": (False, False, True),  # owns process 2.3
        "rector": (False, False, False),
        "analyst": (False, False, False),
    }
    for who, expected in cases.items():
        user = getattr(world, who)
        assert tuple(svc.can_manage_risk(user, r) for r in (risk_a, risk_b, risk_p)) == expected, who
    with pytest.raises(PermissionDenied):
        risk_b.title = "changed"
        svc.risk_save(actor=world.head_a, risk=risk_b)
    # head_a may not move their risk out of their scope
    risk_a.unit = world.fac_b
    with pytest.raises(PermissionDenied):
        svc.risk_save(actor=world.head_a, risk=risk_a)


def test_process_owned_in_a_unit_is_managed_by_that_units_head(world):
    process = factories.process(world.inst, "3.1")
    factories.owner(process, None, "Декан", unit=world.fac_a)
    risk = make_risk(world, process=process)
    assert svc.can_manage_risk(world.head_a, risk) and not svc.can_manage_risk(world.head_b, risk)


# --- pages ------------------------------------------------------------------------------------------


@pytest.fixture
def stage(world, owned):
    risk = make_risk(world, actor=world.quality, process=owned, unit=world.fac_a)
    svc.action_add(actor=None, action=RiskAction(risk=risk, description="Келишим", deadline=TODAY()))
    analysis, items = _swot(world)
    return risk, analysis, items


def page_urls(risk, analysis, items):
    action = risk.actions.first()
    return {
        "risk_list": reverse("risk_list"),
        "risk_list_filtered": reverse("risk_list") + "?kind=risk&level=medium&status=open&likelihood=3&impact=3",
        "risk_heatmap": reverse("risk_heatmap"),
        "risk_heatmap_residual": reverse("risk_heatmap") + "?view=residual",
        "risk_add": reverse("risk_add"),
        "risk_detail": reverse("risk_detail", args=[risk.pk]),
        "risk_edit": reverse("risk_edit", args=[risk.pk]),
        "risk_action_add": reverse("risk_action_add", args=[risk.pk]),
        "swot_list": reverse("swot_list"),
        "swot_add": reverse("swot_add"),
        "swot_detail": reverse("swot_detail", args=[analysis.pk]),
        "swot_item_add": reverse("swot_item_add", args=[analysis.pk]),
        "swot_item_to_risk": reverse("swot_item_to_risk", args=[items["W"].pk]),
        "swot_item_edit": reverse("swot_item_edit", args=[items["W"].pk]),
        "swot_item_to_objective": reverse("swot_item_to_objective", args=[items["W"].pk]),
        "risk_action_edit": reverse("risk_action_edit", args=[action.pk]),
        "risk_scale": reverse("risk_scale"),
        "_action": action,
    }


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_page_renders_in_every_language(client, world, stage, language):
    login(client, world.quality, language)
    urls = page_urls(*stage)
    urls.pop("_action")
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Language"] == language, name
    assert "R-001" in client.get(urls["risk_list_filtered"]).content.decode()


def test_empty_pages(client, world):
    login(client, world.quality)
    for name in ("risk_list", "risk_heatmap", "swot_list"):
        assert client.get(reverse(name)).status_code == 200


def test_staff_reads_but_cannot_write(client, world, stage):
    risk, analysis, items = stage
    other_risk = make_risk(world, unit=world.fac_b)
    login(client, world.rector)
    assert client.get(reverse("risk_detail", args=[other_risk.pk])).status_code == 200
    for url in (
        reverse("risk_add"),
        reverse("risk_edit", args=[other_risk.pk]),
        reverse("risk_action_add", args=[other_risk.pk]),
        reverse("swot_add"),
        reverse("swot_item_add", args=[analysis.pk]),
        reverse("swot_item_to_risk", args=[items["W"].pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("risk_action_done", args=[risk.actions.first().pk])).status_code == 403


def test_other_institution_gets_404(client, world, stage):
    risk, analysis, _items = stage
    user = org_factories.user_with_role("quality_department", world.other_root, username="osh_quality")
    login(client, user)
    assert client.get(reverse("risk_detail", args=[risk.pk])).status_code == 404
    assert client.get(reverse("swot_detail", args=[analysis.pk])).status_code == 404
    assert "R-001" not in client.get(reverse("risk_list")).content.decode()


def test_pages_write_through_the_services(client, world, stage):
    risk, analysis, items = stage
    login(client, world.head_a)
    response = client.post(
        reverse("risk_add"),
        {"kind": "risk", "title": "Жатакана", "unit": world.fac_a.pk, "likelihood": 4, "impact": 5, "status": "open"},
    )
    assert response.status_code == 302
    new = Risk.objects.get(title="Жатакана")
    assert new.code == "R-002" and new.level == RiskLevel.CRITICAL
    response = client.post(reverse("risk_action_add", args=[new.pk]), {"description": "x", "deadline": "2000-01-01"})
    assert response.status_code == 400 and not new.actions.exists()
    response = client.post(
        reverse("risk_add"),
        {"kind": "risk", "title": "B", "unit": world.fac_b.pk, "likelihood": 1, "impact": 1, "status": "open"},
    )
    assert response.status_code == 403 and not Risk.objects.filter(title="B").exists()
    login(client, world.quality)
    response = client.post(reverse("swot_item_to_risk", args=[items["O"].pk]), {"likelihood": 2, "impact": 3})
    assert response.status_code == 302
    assert Risk.objects.get(source_item=items["O"]).kind == RiskKind.OPPORTUNITY
    action = risk.actions.first()
    assert client.post(reverse("risk_action_done", args=[action.pk])).status_code == 302
    assert RiskAction.objects.get(pk=action.pk).done_on == TODAY()


def test_heatmap_counts_link_to_the_filtered_list(client, world):
    make_risk(world, likelihood=4, impact=5)
    make_risk(world, likelihood=4, impact=5)
    make_risk(world, likelihood=1, impact=1)
    page = login(client, world.quality).get(reverse("risk_heatmap")).content.decode()
    assert "likelihood=4&amp;impact=5" in page
    listed = client.get(reverse("risk_list") + "?likelihood=4&impact=5").content.decode()
    assert listed.count("R-00") == 2


# --- query counts -----------------------------------------------------------------------------------


def _grow(world, process, start, end):
    for i in range(start, end):
        risk = make_risk(world, process=process, unit=world.fac_a, likelihood=i % 5 + 1, impact=(i * 3) % 5 + 1)
        risk.owner = world.staff_a.person
        risk.residual_likelihood, risk.residual_impact = 1, 2
        svc.risk_save(actor=None, risk=risk)
        svc.action_add(
            actor=None,
            action=RiskAction(risk=risk, description="x", deadline=TODAY() - datetime.timedelta(days=3)),
        )


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/processes/risks/", "/processes/risks/heatmap/", "/processes/risks/?view=residual", "/processes/risks/scale/"],
)
def test_list_and_heatmap_cost_the_same_for_3_or_30_risks(client, world, owned, url):
    login(client, world.quality)
    _grow(world, owned, 0, 3)
    small = _count(client, url)
    _grow(world, owned, 3, 30)
    assert _count(client, url) == small
    assert reverse("risk_list") == "/processes/risks/"


# --- the scale page ---------------------------------------------------------------------------------


SCALE_POST = {
    "likelihood_labels": "Very unlikely\nUnlikely\nPossible\nLikely\nAlmost certain",
    "impact_labels": "Negligible\nMinor\nModerate\nMajor\nSevere",
    "low_max": 6,
    "medium_max": 12,
    "high_max": 19,
}


def test_scale_page_previews_then_saves_and_relevels(client, world):
    risk = make_risk(world, likelihood=2, impact=3)  # 6: medium now, low on the new scale
    login(client, world.quality)
    page = client.get(reverse("risk_scale"))
    assert page.status_code == 200 and 'data-testid="relevel"' in page.content.decode()
    preview = client.post(reverse("risk_scale"), {**SCALE_POST, "preview": "1"})
    assert preview.status_code == 200 and preview.context["previewing"]
    rows = {row.level: row for row in preview.context["levels"]}
    assert (rows["medium"].before, rows["medium"].after, rows["low"].after) == (1, 0, 1)
    assert RiskScale.objects.get(institution=world.inst).low_max == 4  # nothing saved
    assert client.post(reverse("risk_scale"), SCALE_POST).status_code == 302
    scale = RiskScale.objects.get(institution=world.inst)
    assert (scale.low_max, scale.medium_max, scale.high_max) == (6, 12, 19)
    assert scale.likelihood_labels[0] == "Very unlikely"  # the defaults stay stored as written
    assert Risk.objects.get(pk=risk.pk).level == RiskLevel.LOW
    assert AuditEntry.objects.filter(content_type__model="riskscale", action="update").exists()


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"low_max": 10, "medium_max": 5}, "high_max", "must grow"),
        ({"high_max": 25}, "high_max", "below the largest rating, 25"),
        ({"impact_labels": "one"}, "impact_labels", "between 2 and"),
    ],
)
def test_bad_thresholds_are_refused_with_a_clear_message(client, world, change, field, message):
    login(client, world.quality)
    response = client.post(reverse("risk_scale"), {**SCALE_POST, **change})
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert RiskScale.objects.get(institution=world.inst).low_max == 4


def test_a_smaller_scale_is_refused_while_risks_are_rated_above_it(client, world):
    make_risk(world, likelihood=5, impact=5)
    login(client, world.quality)
    small = {"likelihood_labels": "a\nb\nc", "impact_labels": "a\nb\nc", "low_max": 2, "medium_max": 4, "high_max": 6}
    for data in (small, {**small, "preview": "1"}):
        response = client.post(reverse("risk_scale"), data)
        assert response.status_code == 400 and "re-rate" in str(response.context["form"].non_field_errors())
    assert RiskScale.objects.get(institution=world.inst).likelihood_max == 5


def test_only_the_quality_department_changes_the_scale(client, world):
    login(client, world.head_a)
    assert client.get(reverse("risk_scale")).status_code == 200
    assert client.post(reverse("risk_scale"), SCALE_POST).status_code == 403
    assert RiskScale.objects.get(institution=world.inst).low_max == 4


# --- editing and deleting actions ---------------------------------------------------------------------


def test_actions_are_edited_and_deleted_audited_but_done_ones_stay(world):
    risk = make_risk(world)
    action = svc.action_add(actor=world.quality, action=RiskAction(risk=risk, description="a", deadline=TODAY()))
    action.description, action.deadline = "Келишим түзүү", TODAY() + datetime.timedelta(days=30)
    svc.action_save(actor=world.head_a, action=action)
    assert RiskAction.objects.get(pk=action.pk).description == "Келишим түзүү"
    action.deadline = TODAY() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="past"):
        svc.action_save(actor=world.quality, action=action)
    action = RiskAction.objects.get(pk=action.pk)
    with pytest.raises(PermissionDenied):
        svc.action_save(actor=world.head_b, action=action)
    with pytest.raises(PermissionDenied):
        svc.action_delete(actor=world.head_b, action=action)
    done = svc.action_add(actor=None, action=RiskAction(risk=risk, description="b", deadline=TODAY()))
    svc.action_done(actor=None, action=done)
    done.done_on = None  # an edit does not undo "done"
    svc.action_save(actor=world.quality, action=done)
    assert RiskAction.objects.get(pk=done.pk).done_on == TODAY()
    with pytest.raises(ValidationError, match="record of the treatment"):
        svc.action_delete(actor=world.quality, action=done)
    pk = action.pk
    svc.action_delete(actor=world.quality, action=action)
    assert not RiskAction.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), content_type__model="riskaction", action="delete").exists()


def test_action_pages(client, world):
    risk = make_risk(world)
    action = svc.action_add(actor=None, action=RiskAction(risk=risk, description="a", deadline=TODAY()))
    login(client, world.head_a)
    assert client.get(reverse("risk_action_edit", args=[action.pk])).status_code == 200
    response = client.post(
        reverse("risk_action_edit", args=[action.pk]), {"description": "b", "deadline": "2000-01-01"}
    )
    assert response.status_code == 400
    svc.action_done(actor=None, action=action)
    response = client.post(reverse("risk_action_delete", args=[action.pk]), follow=True)
    assert "record of the treatment" in response.content.decode()
    assert RiskAction.objects.filter(pk=action.pk).exists()
    login(client, world.head_b)
    assert client.get(reverse("risk_action_edit", args=[action.pk])).status_code == 403


# --- SWOT items: edit, delete, → objective -------------------------------------------------------------


def test_swot_items_are_edited_and_deleted_unless_turned_into_something(world):
    analysis, items = _swot(world)
    item = items["S"]
    item.text = "Тажрыйбалуу окутуучулар"
    svc.swot_item_save(actor=world.quality, item=item)
    assert SwotItem.objects.get(pk=item.pk).text == "Тажрыйбалуу окутуучулар"
    svc.swot_item_to_risk(actor=world.quality, item=items["T"])
    with pytest.raises(ValidationError, match="the risk R-001"):
        svc.swot_item_delete(actor=world.quality, item=items["T"])
    pk = items["W"].pk
    svc.swot_item_delete(actor=world.quality, item=items["W"])
    assert not SwotItem.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), content_type__model="swotitem", action="delete").exists()
    with pytest.raises(PermissionDenied):
        svc.swot_item_delete(actor=world.head_a, item=items["O"])


def test_swot_item_becomes_an_objective_once(world):
    from sapat.processes.models import QualityObjective

    analysis, items = _swot(world)
    objective = svc.swot_item_to_objective(
        actor=world.quality, item=items["W"], objective=QualityObjective(start_year=2026, end_year=2027)
    )
    assert objective.unit == world.root and objective.title_ky == "Пункт W" and objective.code == "1"
    assert SwotItem.objects.get(pk=items["W"].pk).objective == objective
    with pytest.raises(ValidationError, match="already"):
        svc.swot_item_to_objective(
            actor=world.quality, item=items["W"], objective=QualityObjective(start_year=2026, end_year=2027)
        )
    with pytest.raises(ValidationError, match="the quality objective 1"):
        svc.swot_item_delete(actor=world.quality, item=items["W"])
    assert AuditEntry.objects.filter(object_id=str(items["W"].pk), note__contains="objective").exists()


def test_a_units_swot_item_becomes_an_objective_under_one_above(world):
    from sapat.processes.models import QualityObjective

    top = svc.swot_item_to_objective(
        actor=world.quality, item=_swot(world)[1]["O"], objective=QualityObjective(start_year=2026, end_year=2028)
    )
    analysis = svc.swot_save(
        actor=world.head_a, analysis=SwotAnalysis(institution=world.inst, unit=world.fac_a, date=TODAY(), title="x")
    )
    item = svc.swot_item_add(actor=world.head_a, item=SwotItem(analysis=analysis, quadrant="W", text="Лаборатория"))
    with pytest.raises(ValidationError) as exc:
        svc.swot_item_to_objective(
            actor=world.head_a, item=item, objective=QualityObjective(start_year=2026, end_year=2027)
        )
    assert "parent" in exc.value.error_dict
    objective = svc.swot_item_to_objective(
        actor=world.head_a, item=item, objective=QualityObjective(parent=top, start_year=2026, end_year=2027)
    )
    assert objective.unit == world.fac_a and objective.code == "1.1"
    with pytest.raises(PermissionDenied):
        other = svc.swot_item_add(actor=None, item=SwotItem(analysis=analysis, quadrant="S", text="y"))
        svc.swot_item_to_objective(
            actor=world.head_b, item=other, objective=QualityObjective(parent=top, start_year=2026, end_year=2027)
        )


def test_swot_item_pages(client, world):
    analysis, items = _swot(world)
    login(client, world.quality)
    for name in ("swot_item_edit", "swot_item_to_objective"):
        assert client.get(reverse(name, args=[items["S"].pk])).status_code == 200
    response = client.post(reverse("swot_item_edit", args=[items["S"].pk]), {"quadrant": "S", "text": "Жаңы"})
    assert response.status_code == 302 and SwotItem.objects.get(pk=items["S"].pk).text == "Жаңы"
    response = client.post(
        reverse("swot_item_to_objective", args=[items["S"].pk]),
        {"title_ky": "Окутуучулардын тажрыйбасын колдонуу", "start_year": 2026, "end_year": 2025},
    )
    assert response.status_code == 400 and not SwotItem.objects.get(pk=items["S"].pk).objective_id
    response = client.post(
        reverse("swot_item_to_objective", args=[items["S"].pk]),
        {"title_ky": "Окутуучулардын тажрыйбасын колдонуу", "start_year": 2026, "end_year": 2027},
    )
    assert response.status_code == 302
    page = client.get(reverse("swot_detail", args=[analysis.pk])).content.decode()
    assert "kept as a source" in page
    response = client.post(reverse("swot_item_delete", args=[items["S"].pk]), follow=True)
    assert "stays as its source" in response.content.decode() and SwotItem.objects.filter(pk=items["S"].pk).exists()
    login(client, world.rector)
    for name in ("swot_item_edit", "swot_item_to_objective"):
        assert client.get(reverse(name, args=[items["O"].pk])).status_code == 403
    assert client.post(reverse("swot_item_delete", args=[items["O"].pk])).status_code == 403


def test_register_filters_per_process_and_per_unit_with_its_sub_units(client, world, owned):
    in_fac = make_risk(world, unit=world.fac_a, title="Факультет")
    in_dep = make_risk(world, unit=world.dep_a, title="Кафедра")
    elsewhere = make_risk(world, unit=world.fac_b, title="Башка факультет")
    of_process = make_risk(world, process=owned, title="Процесс")
    login(client, world.quality)

    def listed(query):
        return {r.pk for r in client.get(reverse("risk_list") + query).context["risks"]}

    assert listed(f"?unit={world.fac_a.pk}") == {in_fac.pk, in_dep.pk}
    assert listed(f"?unit={world.dep_a.pk}") == {in_dep.pk}
    assert listed(f"?unit={world.fac_b.pk}") == {elsewhere.pk}
    assert listed(f"?process={owned.pk}") == {of_process.pk}
    assert listed("?unit=999999") == set()
    heatmap = client.get(reverse("risk_heatmap") + f"?unit={world.fac_a.pk}").context["map"]
    assert heatmap.total == 2
