"""The demo nonconformities: every state in both institutions, overdue actions, a reopened one,
actions on their own and from a risk; a second load changes nothing."""

import pytest

from sapat.demo import loader
from sapat.improvement.models import Action, NcState, Nonconformity, Origin


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_every_state_with_overdue_actions(demo, code):
    assert demo[f"{code} nonconformities"] == "created"
    ncs = Nonconformity.objects.filter(institution__code=code)
    assert set(ncs.values_list("state", flat=True)) == set(NcState.values)
    actions = Action.objects.filter(institution__code=code)
    assert actions.overdue().exists() and actions.filter(status="done").exists()
    assert {Origin.OWN, Origin.RISK} <= set(actions.values_list("origin", flat=True))
    for nc in ncs.filter(state__in=[NcState.IN_PROGRESS, NcState.CHECK, NcState.CLOSED]):
        assert nc.plan_approved and nc.unit_approved_by_id != nc.quality_approved_by_id
    assert all(nc.verdict == "effective" and nc.closed_on for nc in ncs.filter(state=NcState.CLOSED))


def test_a_reopened_one_and_a_second_load_changes_nothing(demo):
    assert Nonconformity.objects.filter(reopen_count=1, state=NcState.IN_PROGRESS).exists()
    before = (Nonconformity.objects.count(), Action.objects.count())
    outcome = loader.load(write=lambda line: None)
    assert outcome["batsu nonconformities"] == outcome["oshsu nonconformities"] == "skipped"
    assert (Nonconformity.objects.count(), Action.objects.count()) == before
