import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sapat.core.models import AuditEntry
from sapat.processes.computations import LIBRARY, Scope
from sapat.surveys import services
from sapat.surveys.choices import CampaignStatus, Stakeholder
from sapat.surveys.imports import TeachingLoadImporter
from sapat.surveys.models import Answer, Campaign, Question, Questionnaire, Slot, Token

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def test_library_loads_every_questionnaire_in_three_languages_once(world):
    assert services.library_load(actor=world.quality, institution=world.inst) == 7
    assert services.library_load(actor=world.quality, institution=world.inst) == 0
    for question in Question.objects.all():
        assert all(question.text.get(c) for c in ("ky", "ru", "en")), question.code
        for label in question.options + question.items + question.scale_labels:
            assert all(label.get(c) for c in ("ky", "ru", "en")), question.code
    influence = Question.objects.get(code="influence")
    assert influence.scale_max == 4 and len(influence.items) == 8
    with pytest.raises(PermissionDenied):
        services.library_load(actor=world.staff_a, institution=world.inst)


def test_editing_an_unanswered_questionnaire_changes_it_in_place(world):
    services.library_load(actor=world.quality, institution=world.inst)
    q = Questionnaire.objects.get(key="graduate-survey")
    question = q.questions.get(code="relevance")
    data = {"text": {"ky": "Жаңы суроо", "ru": "", "en": ""}, "required": False}
    saved = services.question_save(actor=world.quality, questionnaire=q, question=question, data=data)
    assert saved.pk == question.pk and saved.questionnaire_id == q.pk
    assert Questionnaire.objects.filter(key="graduate-survey").count() == 1


def test_editing_an_answered_questionnaire_makes_a_new_version(world):
    ev = f.teaching(world)
    f.answer(ev.s1, 1)
    question = ev.q.questions.get(code="clarity")
    data = {"text": {"ky": "Окутуучу ачык түшүндүрөт", "ru": "", "en": ""}}
    saved = services.question_save(actor=world.quality, questionnaire=ev.q, question=question, data=data)
    v2 = saved.questionnaire
    assert v2.key == ev.q.key and v2.version == 2 and v2.pk != ev.q.pk
    assert v2.questions.count() == ev.q.questions.count()
    question.refresh_from_db()
    assert question.text["ky"] == "Окутуучу материалды түшүнүктүү түшүндүрөт"  # old version unchanged
    assert set(Answer.objects.values_list("question__questionnaire", flat=True)) == {ev.q.pk}
    added = services.question_save(
        actor=world.quality,
        questionnaire=v2,
        question=None,
        data={"code": "new", "kind": "number", "text": {"ky": "?"}},
    )
    assert added.questionnaire_id == v2.pk  # v2 has no answers: no v3


def test_question_guards(world):
    services.library_load(actor=world.quality, institution=world.inst)
    q = Questionnaire.objects.get(key="parent-survey")
    bad = [
        {"code": "x", "kind": "single", "text": {"ky": "?"}, "options": [{"ky": "бир"}]},
        {"code": "x", "kind": "likert", "text": {"ky": ""}},
        {"code": "informed", "kind": "likert", "text": {"ky": "?"}},
        {"code": "x", "kind": "likert", "text": {"ky": "?"}, "show_if_code": "nosuch", "show_if_values": [1]},
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            services.question_save(actor=world.quality, questionnaire=q, question=None, data=data)
    assert q.questions.count() == 3
    with pytest.raises(PermissionDenied):
        services.question_save(actor=world.head_a, questionnaire=q, question=None, data=bad[0])


def test_campaign_guards_and_slots(world):
    ev = f.teaching(world, status=CampaignStatus.DRAFT)
    assert ev.s1.unit == world.dep_a and ev.s1.faculty == world.fac_a
    assert ev.s2.unit == ev.dep_b and ev.s2.faculty == world.fac_b
    assert Token.objects.filter(slot=ev.s1).count() == 25 and Token.objects.filter(slot=ev.s2).count() == 20
    assert services.tokens_generate(actor=world.quality, campaign=ev.campaign) == 0  # up to the group size
    assert services.tokens_generate(actor=world.quality, campaign=ev.campaign, slot=ev.s1, count=2) == 2
    with pytest.raises(PermissionDenied):
        services.tokens_generate(actor=world.head_a, campaign=ev.campaign)
    services.campaign_open(actor=world.quality, campaign=ev.campaign)
    with pytest.raises(ValidationError):
        services.campaign_open(actor=world.quality, campaign=ev.campaign)
    with pytest.raises(ValidationError):  # the load is fixed once open
        services.slot_add_teaching(
            actor=world.quality, campaign=ev.campaign, group=ev.g1, discipline="X", teacher=world.staff_a.person
        )
    services.campaign_close(actor=world.quality, campaign=ev.campaign)
    assert AuditEntry.objects.filter(object_id=str(ev.campaign.pk), content_type__app_label="surveys").count() >= 4

    students_without_groups = Campaign(
        institution=world.inst,
        unit=world.root,
        questionnaire=ev.q,
        title="x",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 2),
        audience=Stakeholder.STUDENTS,
    )
    with pytest.raises(ValidationError):
        services.campaign_create(actor=world.quality, campaign=students_without_groups)
    bad = Campaign(
        institution=world.inst,
        unit=world.root,
        questionnaire=ev.q,
        title="x",
        starts_on=datetime.date(2026, 9, 2),
        ends_on=datetime.date(2026, 9, 1),
        audience=Stakeholder.STUDENTS,
        min_group_size=2,
    )
    with pytest.raises(ValidationError) as err:
        services.campaign_create(actor=world.quality, campaign=bad, groups=[ev.g1])
    assert {"ends_on", "min_group_size"} <= set(err.value.message_dict)


def _csv(text):
    return SimpleUploadedFile("load.csv", text.encode("utf-8"), content_type="text/csv")


def test_teaching_load_import_is_all_or_nothing(world):
    ev = f.teaching(world, status=CampaignStatus.DRAFT)
    teacher_a = world.staff_a.person
    before = Slot.objects.count()
    bad = (
        "Student group,Discipline,Teacher\n"
        f"ПЕД-1-23,Философия,{teacher_a.last_name} {teacher_a.first_name}\n"
        "ПЕД-9-99,Тарых,Жок Адам\n"
    )
    result = TeachingLoadImporter(world.quality, world.inst, ev.campaign).run(_csv(bad))
    assert not result.ok
    assert {p.row for p in result.problems} == {3}
    assert Slot.objects.count() == before
    # Column keys as headers (labels in any language work once the catalogues have them), teacher by e-mail.
    teacher_a.email = "a@example.kg"
    teacher_a.save()
    good = "group,discipline,teacher\nПЕД-1-23,Философия,a@example.kg\nПЕД-2-23,Тарых,a@example.kg\n"
    result = TeachingLoadImporter(world.quality, world.inst, ev.campaign).run(_csv(good))
    assert result.ok, result.problems
    assert result.created == 2 and Slot.objects.count() == before + 2
    assert TeachingLoadImporter.template()[:2] == b"PK"
    assert isinstance(io.BytesIO(TeachingLoadImporter.template()), io.BytesIO)


def test_satisfaction_index_is_a_registered_computation(world):
    assert "satisfaction_students" in LIBRARY and "satisfaction_employers" in LIBRARY
    ev = f.teaching(world, min_group_size=5)
    year = ev.campaign.ends_on.year if ev.campaign.ends_on.month >= 9 else ev.campaign.ends_on.year - 1
    compute = LIBRARY["satisfaction_students"][1]
    f.answer(ev.s1, 4)
    assert compute(year, Scope(unit=world.root)) is None  # fewer than 5 respondents
    f.answer(ev.s1, 1)
    value = compute(year, Scope(unit=world.root))
    # Likert answers 4,5,4,3,5,4,5,4,4 → mean 38/9 → (mean−1)/4 × 100.
    assert float(value) == pytest.approx((38 / 9 - 1) / 4 * 100, abs=0.01)
    assert compute(year, Scope(unit=world.fac_b)) is None
    assert LIBRARY["satisfaction_staff"][1](year, Scope(unit=world.root)) is None
