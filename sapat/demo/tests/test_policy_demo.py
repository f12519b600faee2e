"""The demo quality policies and the cascade of quality objectives."""


from sapat.demo import loader
from sapat.demo.data_policy import BATSU_KY
from sapat.processes.models_policy import ObjectiveReview, PolicyState, QualityObjective, QualityPolicy


def test_batkens_policy_is_the_seeds_approved_by_the_academic_council(demo):
    assert demo["batsu policy"] == "created"
    policy = QualityPolicy.objects.get(institution__code="batsu")
    assert (policy.version_number, policy.state) == (1, PolicyState.IN_FORCE)
    assert policy.approved_by_body.name_ky == "Окумуштуулар кеңеши"
    assert len(policy.provisions) == 11 and policy.text_ky.split("\n\n") == list(BATSU_KY)
    assert len(policy.text_ru.split("\n\n")) == len(policy.text_en.split("\n\n")) == 11
    assert BATSU_KY[8].startswith("Ишмердиктин бардык түрлөрүнүн сапатын")


def test_batkens_cascade(demo):
    objectives = QualityObjective.objects.filter(institution__code="batsu").select_related("unit", "parent__unit")
    top = [o for o in objectives if o.parent_id is None]
    assert len(top) == 5 and all(o.unit.parent_id is None for o in top)
    assert top[0].code == "1" and "ТОП-700" in top[0].title_ky
    for o in objectives:
        if o.parent_id:
            assert o.unit.path.startswith(o.parent.unit.path) and o.code.startswith(o.parent.code + ".")
    assert {o.unit.unit_type for o in objectives} >= {"faculty", "institute", "department"}
    assert objectives.filter(processes__code="2.3").exists()
    assert ObjectiveReview.objects.filter(objective__institution__code="batsu", year=2025).count() >= 10


def test_osh_has_its_policy_and_objectives(demo):
    policy = QualityPolicy.objects.get(institution__code="oshsu", state=PolicyState.IN_FORCE)
    assert len(policy.provisions) == 11
    assert 3 <= QualityObjective.objects.filter(institution__code="oshsu").count() <= 4


def test_loading_again_changes_nothing(demo):
    count = QualityObjective.objects.count()
    outcome = loader.load(write=lambda line: None)
    assert outcome["batsu policy"] == outcome["oshsu policy"] == "skipped"
    assert QualityObjective.objects.count() == count and QualityPolicy.objects.count() == 2
