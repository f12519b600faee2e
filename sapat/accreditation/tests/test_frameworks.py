"""The framework packs: the shipped ones (counts, levels, languages, mappings), the loader's
refusals (each leaves nothing loaded) and versioning."""

import json

import pytest

from sapat.accreditation import services_frameworks as svc
from sapat.accreditation.models import (
    Criterion,
    CriterionElement,
    CriterionMapping,
    Framework,
    LevelDescriptor,
)

from .factories import pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def counts():
    return (Framework.objects.count(), Criterion.objects.count(), LevelDescriptor.objects.count())


# --- the shipped packs ------------------------------------------------------------------------


def test_migrate_loaded_the_shipped_frameworks_and_loading_again_changes_nothing():
    before = counts()
    assert {f.code for f in Framework.objects.filter(institution=None)} == {
        "kr-okb-institutional",
        "kr-minimum-requirements",
        "iso9001-2015",
    }
    assert all(not created for _f, created in svc.load_shipped())
    assert counts() == before


def test_the_ministry_criteria_have_32_criteria_in_5_groups_with_three_levels():
    fw = Framework.objects.get(code="kr-okb-institutional", version=1)
    assert fw.groups.count() == 5
    assert [g.criteria.count() for g in fw.groups.order_by("order")] == [7, 5, 6, 5, 9]
    assert [lvl.key for lvl in fw.levels.order_by("rank")] == ["not", "partial", "complies"]
    assert fw.levels.get(key="partial").name_ky == "Жарым-жартылай ылайык келет"
    two_level = {c.code for c in fw.criteria.all() if c.descriptors.count() == 2}
    assert two_level == {"1.7", "3.2", "3.3", "4.2"}
    assert LevelDescriptor.objects.filter(criterion__framework=fw).count() == 32 * 3 - 4


def test_the_ministry_criteria_are_complete_in_three_languages_with_the_seed_kyrgyz():
    fw = Framework.objects.get(code="kr-okb-institutional", version=1)
    for c in fw.criteria.all():
        assert c.title_ky and c.title_ru and c.title_en, c.code
        for d in c.descriptors.all():
            assert d.text_ky and d.text_ru and d.text_en, c.code
    c11 = fw.criteria.get(code="1.1")
    assert c11.title_ky.startswith("Билим берүү уюмунун так аныкталган жана кабыл алынган миссиясынын")
    assert c11.elements.count() == 6
    # Criterion 1.2's text is split over two columns in the seed: joined here.
    joined = "аткаруунун натыйжаларын талдоо жана тиешелүү түзөтүүлөрдү киргизүү"
    assert fw.criteria.get(code="1.2").title_ky.endswith(joined)


def test_minimum_requirements_and_iso_clauses():
    minimum = Framework.objects.get(code="kr-minimum-requirements")
    assert minimum.criteria.count() == 8 and not minimum.levels.exists()
    iso = Framework.objects.get(code="iso9001-2015")
    assert [g.code for g in iso.groups.order_by("order")] == ["4", "5", "6", "7", "8", "9", "10"]
    assert iso.criteria.get(code="7.1.5").title_en == "Monitoring and measuring resources"
    # Built from the audits app's clause list, not a copy of it.
    source = json.loads(svc.ISO_CLAUSES.read_text(encoding="utf-8"))
    assert iso.criteria.count() == sum(1 for c in source["clauses"] if "." in c["number"])


def test_shipped_mappings_link_requirements_and_clauses_to_the_criteria():
    mr1 = CriterionMapping.objects.filter(source__framework__code="kr-minimum-requirements", source__code="1")
    assert {m.target.code for m in mr1} == {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"}
    requirement_2 = CriterionMapping.objects.filter(source__framework__code="kr-minimum-requirements", source__code="2")
    assert not requirement_2.exists()  # programme accreditation: not among the 32
    iso = CriterionMapping.objects.get(source__framework__code="iso9001-2015", source__code="4.4")
    assert iso.target.code == "1.4" and iso.coverage == "partial"


# --- loading and refusing ---------------------------------------------------------------------


def test_a_valid_pack_loads_with_levels_descriptors_and_elements(world):
    fw, created = svc.load_pack(pack(), institution=world.inst, actor=world.quality)
    assert created and fw.institution == world.inst
    assert fw.criteria.get(code="A.2").descriptors.count() == 2
    assert CriterionElement.objects.filter(criterion__framework=fw).count() == 2


def refused(data, world=None):
    before = counts()
    with pytest.raises(svc.PackError) as error:
        svc.load_pack(data, institution=getattr(world, "inst", None))
    assert counts() == before  # nothing loaded
    return error.value.problems


def test_a_missing_level_is_refused(world):
    data = pack()
    del data["groups"][0]["criteria"][0]["levels"]["part"]
    assert refused(data, world) == ["Criterion A.1: the level part is missing."]


def test_duplicate_codes_are_refused(world):
    data = pack()
    data["groups"][0]["criteria"][1]["code"] = "A.1"
    data["groups"].append(dict(data["groups"][0]))
    problems = refused(data, world)
    assert "Duplicate criterion code: A.1." in problems
    assert "Duplicate group code: A." in problems


def test_missing_translations_are_listed_one_by_one(world):
    data = pack()
    data["name"]["ru"] = ""
    del data["groups"][0]["criteria"][0]["title"]["en"]
    data["groups"][0]["criteria"][1]["levels"]["yes"]["ky"] = "  "
    problems = refused(data, world)
    assert "Framework name: the ru translation is missing." in problems
    assert "Criterion A.1: the en translation is missing." in problems
    assert "Criterion A.2 · yes: the ky translation is missing." in problems
    assert len(problems) == 3


def test_other_structural_problems(world):
    data = pack(version=0, kind="other", format=2)
    data["groups"][0]["criteria"][0]["levels"]["maybe"] = {"ky": "a", "ru": "b", "en": "c"}
    data["groups"][0]["criteria"][1]["levels"]["no"] = None
    problems = refused(data, world)
    assert "The version must be a whole number from 1." in problems
    assert any(p.startswith("The kind must be one of") for p in problems)
    assert any(p.startswith("Unknown pack format") for p in problems)
    assert "Criterion A.1: unknown level maybe." in problems
    assert "Criterion A.2: at least two levels need a descriptor." in problems
    assert "The framework has no groups of criteria." in refused(pack(groups=[]), world)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "The file is not valid JSON (line 1, column 2)."),
        (b"[1, 2]", "The file must hold one JSON object describing the framework."),
        ("Ылайык".encode("utf-16"), "The file is not UTF-8 text."),
    ],
)
def test_a_malformed_file_is_refused(world, raw, message):
    with pytest.raises(svc.PackError) as error:
        svc.framework_import(actor=world.quality, institution=world.inst, raw=raw)
    assert error.value.problems == [message]
    assert not Framework.objects.filter(institution=world.inst).exists()


def test_a_loaded_version_never_changes_a_new_version_is_a_new_row(world):
    svc.load_pack(pack(), institution=world.inst)
    same, created = svc.load_pack(pack(), institution=world.inst)
    assert not created
    changed = pack()
    changed["groups"][0]["criteria"][0]["title"]["en"] = "Mission, reworded"
    problems = refused(changed, world)
    assert problems == [
        "Version 1 of agency-std is already loaded with other content; give the changed framework a new version."
    ]
    assert same.criteria.get(code="A.1").title_en == "Mission en"
    changed["version"] = 2
    v2, created = svc.load_pack(changed, institution=world.inst)
    assert created and v2.pk != same.pk
    assert Framework.objects.filter(institution=world.inst, code="agency-std").count() == 2


def test_importing_needs_the_quality_department_and_the_same_file_twice_is_refused(world):
    from django.core.exceptions import PermissionDenied

    raw = json.dumps(pack()).encode()
    for user in (world.head_a, world.rector, world.staff_a, world.analyst):
        with pytest.raises(PermissionDenied):
            svc.framework_import(actor=user, institution=world.inst, raw=raw)
    fw = svc.framework_import(actor=world.quality, institution=world.inst, raw=raw)
    assert fw.criteria.count() == 2
    with pytest.raises(svc.PackError):
        svc.framework_import(actor=world.quality, institution=world.inst, raw=raw)
    # Another institution may load the same code and version: frameworks are per owner.
    other = svc.load_pack(pack(), institution=world.other_inst)[0]
    assert other.pk != fw.pk


def test_the_import_is_in_the_audit_log(world):
    from sapat.core.models import AuditEntry

    fw = svc.framework_import(actor=world.quality, institution=world.inst, raw=json.dumps(pack()).encode())
    entry = AuditEntry.objects.get(object_id=str(fw.pk), content_type__app_label="accreditation")
    assert entry.actor == world.quality
