"""The questionnaire editor: sections added, renamed and reordered, questions reordered,
conditions kept reading earlier questions, and a new version once answers exist."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sapat.surveys import answering, services
from sapat.surveys.models import Questionnaire

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def services_q(world):
    services.library_load(actor=world.quality, institution=world.inst)
    return Questionnaire.objects.get(institution=world.inst, key="student-services")


def _layout(q):
    q = Questionnaire.objects.get(pk=q.pk)
    return [
        (s.title["en"], [x.code for x in s.questions.order_by("order")]) for s in q.sections.order_by("order", "id")
    ]


def test_sections_are_added_renamed_and_moved(world, services_q):
    section = services.section_save(
        actor=world.quality, questionnaire=services_q, section=None, title={"ky": "Жыйынтык", "en": "Summary"}
    )
    assert section.questionnaire == services_q and section.order == 1
    services.question_move(
        actor=world.quality, questionnaire=services_q, question=services_q.questions.get(code="trust-box"), step=1
    )
    assert _layout(services_q) == [
        ("Services", ["services", "dorm", "dorm-issues", "recommend"]),
        ("Summary", ["trust-box"]),
    ]
    services.section_move(actor=world.quality, questionnaire=services_q, section=section, step=-1)
    assert _layout(services_q)[0] == ("Summary", ["trust-box"])
    assert list(services_q.questions.order_by("order").values_list("code", flat=True))[0] == "trust-box"
    services.section_save(
        actor=world.quality, questionnaire=services_q, section=section, title={"ky": "Корутунду", "en": "Last words"}
    )
    assert _layout(services_q)[0][0] == "Last words"
    assert Questionnaire.objects.filter(key="student-services").count() == 1  # no answers: same version


def test_a_condition_must_keep_reading_an_earlier_question(world, services_q):
    issues = services_q.questions.get(code="dorm-issues")  # shown if "dorm" is answered 1
    with pytest.raises(ValidationError, match="which its condition reads"):
        services.question_move(actor=world.quality, questionnaire=services_q, question=issues, step=-1)
    assert _layout(services_q)[0][1] == ["services", "dorm", "dorm-issues", "recommend", "trust-box"]
    with pytest.raises(ValidationError, match="cannot move further"):
        services.question_move(
            actor=world.quality, questionnaire=services_q, question=services_q.questions.get(code="services"), step=-1
        )
    with pytest.raises(ValidationError, match="in Kyrgyz"):
        services.section_save(actor=world.quality, questionnaire=services_q, section=None, title={"en": "X"})


def test_a_change_after_answers_makes_a_new_version(world):
    ev = f.teaching(world)
    f.answer(ev.s1, 1)
    target = services.question_move(
        actor=world.quality, questionnaire=ev.q, question=ev.q.questions.get(code="clarity"), step=-1
    )
    assert target.pk != ev.q.pk and target.version == 2
    assert list(target.questions.order_by("order").values_list("code", flat=True))[:2] == ["clarity", "goals"]
    assert list(ev.q.questions.order_by("order").values_list("code", flat=True))[:2] == ["goals", "clarity"]
    # Renaming the section of the answered version edits the new version's copy.
    old_section = ev.q.sections.get()
    renamed = services.section_save(actor=world.quality, questionnaire=ev.q, section=old_section, title={"ky": "Сабак"})
    assert renamed.questionnaire.version == 3 and ev.q.sections.get().title == old_section.title
    # The form of the answered version is unchanged for those still answering it.
    assert [q.code for q in answering.questions_of(ev.q)][:2] == ["goals", "clarity"]


def test_only_organisers_edit(world, services_q):
    for user in (world.head_a, world.staff_a):
        with pytest.raises(PermissionDenied):
            services.section_save(actor=user, questionnaire=services_q, section=None, title={"ky": "X"})
        with pytest.raises(PermissionDenied):
            services.question_move(
                actor=user, questionnaire=services_q, question=services_q.questions.get(code="dorm"), step=1
            )


def test_the_editor_pages(client, world, services_q):
    client.force_login(world.quality)
    page = client.get(services_q.get_absolute_url()).content.decode()
    assert 'data-testid="section"' in page and reverse("section_add", args=[services_q.pk]) in page
    url = reverse("section_add", args=[services_q.pk])
    assert client.post(url, {"title_ky": ""}).status_code == 400
    assert client.post(url, {"title_ky": "Жыйынтык", "title_en": "Summary"}).status_code == 302
    move = reverse("questionnaire_move", args=[services_q.pk, "question", "recommend"])
    assert client.post(move, {"step": "1"}).status_code == 302
    assert _layout(services_q)[0][1][-2:] == ["trust-box", "recommend"]
    bad = client.post(reverse("questionnaire_move", args=[services_q.pk, "question", "dorm-issues"]), {"step": "-1"})
    assert bad.status_code == 302 and _layout(services_q)[0][1][1:3] == ["dorm", "dorm-issues"]
    assert client.post(reverse("questionnaire_move", args=[services_q.pk, "nothing", "x"])).status_code == 404
    assert client.get(move).status_code == 405
    client.force_login(world.head_a)
    assert client.post(move, {"step": "-1"}).status_code in (403, 404)
