"""Import of a LimeSurvey survey structure file: mapping, the report, bad files, rights."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sapat.surveys import limesurvey
from sapat.surveys.choices import QuestionKind, Stakeholder
from sapat.surveys.models import Question, Questionnaire, Section

pytestmark = pytest.mark.usefixtures("english")

LSS = (Path(__file__).parent / "data" / "student-services.lss").read_bytes()


def _import(world, data=LSS, **kw):
    return limesurvey.import_lss(
        actor=world.quality, institution=world.inst, data=data, stakeholder=Stakeholder.STUDENTS, **kw
    )


def test_groups_questions_options_and_languages_are_mapped(world):
    q = _import(world)
    assert q.key == "limesurvey-482916"
    assert q.name_ky == "Студенттердин университеттин кызматтарына канааттануусу"
    assert q.name_ru.startswith("Удовлетворённость") and q.intro_en == "The survey is anonymous."
    assert [s.title["ky"] for s in q.sections.all()] == ["Жалпы маалымат", "Университеттин кызматтарын баалоо"]
    by_code = {x.code: x for x in q.questions.all()}
    assert list(by_code) == [
        "faculty", "course", "dorm", "dormsat", "age", "services", "teaching", "overall", "channels", "comment",
        "lowreason",
    ]  # fmt: skip
    faculty = by_code["faculty"]
    assert faculty.kind == QuestionKind.SINGLE and faculty.required and faculty.allow_other
    assert faculty.text == {"ky": "Сиздин факультетиңиз", "ru": "Ваш факультет", "en": "Your faculty"}
    assert [o["en"] for o in faculty.options] == ["Education", "Philology", "Economics"]
    assert by_code["course"].kind == QuestionKind.SINGLE and len(by_code["course"].options) == 4
    assert by_code["dorm"].options[0] == {"ky": "Ооба", "ru": "Да", "en": "Yes"}
    # "dorm == Y" is kept as a condition on the first option of "dorm".
    assert (by_code["dormsat"].kind, by_code["dormsat"].show_if_code, by_code["dormsat"].show_if_values) == (
        QuestionKind.LIKERT,
        "dorm",
        [1],
    )
    assert (by_code["age"].kind, by_code["age"].min_value, by_code["age"].max_value) == (QuestionKind.NUMBER, 16, 70)
    services = by_code["services"]
    assert services.kind == QuestionKind.MATRIX and [i["ky"] for i in services.items] == [
        "Китепкана",
        "Ашкана",
        "Спорт зал",
    ]
    assert services.scale_max == 5 and services.scale_labels[4]["ru"] == "Полностью удовлетворён"
    assert by_code["teaching"].kind == QuestionKind.MATRIX and by_code["teaching"].scale_max == 5
    assert by_code["overall"].kind == QuestionKind.LIKERT and by_code["overall"].items == []
    assert by_code["channels"].kind == QuestionKind.MULTIPLE and by_code["channels"].allow_other
    assert by_code["comment"].kind == QuestionKind.LONG_TEXT and by_code["lowreason"].kind == QuestionKind.SHORT_TEXT
    assert by_code["lowreason"].show_if_code == ""


def test_the_report_lists_everything_not_mapped(world):
    q = _import(world)
    report = {(p["code"], p["type"].split(" ")[0]) for p in q.import_report}
    assert report == {("", "tr"), ("enrolled", "D"), ("priorities", "R"), ("thanks", "X"), ("lowreason", "S")}
    lowreason = next(p for p in q.import_report if p["code"] == "lowreason")
    assert "overall_SQ001.NAOK < 3" in lowreason["reason"]


def test_a_limesurvey_3_file_is_read_too(world):
    lss3 = b"""<?xml version="1.0" encoding="UTF-8"?>
<document><LimeSurveyDocType>Survey</LimeSurveyDocType><DBVersion>359</DBVersion>
<languages><language>ru</language></languages>
<groups><rows><row><gid>5</gid><group_name><![CDATA[Group]]></group_name><group_order>0</group_order>
<language>ru</language></row></rows></groups>
<questions><rows><row><qid>7</qid><parent_qid>0</parent_qid><gid>5</gid><type>L</type><title>q1</title>
<question><![CDATA[<b>Work</b> &amp; study?]]></question><other>N</other><mandatory>N</mandatory>
<question_order>1</question_order><language>ru</language><scale_id>0</scale_id></row></rows></questions>
<answers><rows><row><qid>7</qid><code>A1</code><answer>Da</answer><sortorder>1</sortorder><language>ru</language>
<scale_id>0</scale_id></row><row><qid>7</qid><code>A2</code><answer>Net</answer><sortorder>2</sortorder>
<language>ru</language><scale_id>0</scale_id></row></rows></answers>
<surveys><rows><row><sid>111</sid><language>ru</language></row></rows></surveys>
</document>"""
    q = _import(world, lss3)
    (question,) = q.questions.all()
    assert question.text == {"ky": "Work & study?", "ru": "Work & study?", "en": ""}
    assert [o["ru"] for o in question.options] == ["Da", "Net"]
    assert any("no Kyrgyz" in p["reason"] for p in q.import_report)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7 not xml", "not a LimeSurvey survey structure file"),
        (b"<document><LimeSurveyDocType>Survey</LimeSurveyDocType><questions>", "not a LimeSurvey"),
        (b"<?xml version='1.0'?><html><body>hello</body></html>", "not a LimeSurvey"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]><document>&x;</document>',
            "document type or entities",
        ),
        (b"<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>", "has no questions"),
    ],
)
def test_bad_files_create_nothing(world, data, message):
    with pytest.raises(ValidationError) as error:
        _import(world, data)
    assert message in " ".join(error.value.messages)
    assert not Questionnaire.objects.exists() and not Section.objects.exists() and not Question.objects.exists()


def test_a_file_of_unmappable_questions_creates_nothing(world):
    only_dates = re.sub(rb"<type><!\[CDATA\[.\]\]>", b"<type><![CDATA[D]]>", LSS)
    with pytest.raises(ValidationError, match="None of the questions"):
        _import(world, only_dates)
    assert not Questionnaire.objects.exists()


def test_a_key_in_use_is_refused(world):
    _import(world)
    with pytest.raises(ValidationError):
        _import(world)
    assert Questionnaire.objects.count() == 1


def test_only_survey_organisers_may_import(world):
    for user in (world.head_a, world.staff_a, world.rector):
        with pytest.raises(PermissionDenied):
            limesurvey.import_lss(actor=user, institution=world.inst, data=LSS, stakeholder=Stakeholder.STUDENTS)
    assert not Questionnaire.objects.exists()


def test_the_import_page(client, world):
    url = reverse("questionnaire_import")
    client.force_login(world.head_a)
    assert client.get(url).status_code == 403
    client.force_login(world.quality)
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"file": SimpleUploadedFile("list.xlsx", b"PK\x03\x04"), "stakeholder": "students"})
    assert wrong.status_code == 400 and "Choose a LimeSurvey survey structure file" in wrong.content.decode()
    bad = client.post(url, {"file": SimpleUploadedFile("s.lss", b"<html></html>"), "stakeholder": "students"})
    assert bad.status_code == 400 and "not a LimeSurvey survey structure file" in bad.content.decode()
    assert not Questionnaire.objects.exists()
    good = client.post(
        url, {"file": SimpleUploadedFile("s.lss", LSS), "stakeholder": "students", "key": "services"}, follow=True
    )
    body = good.content.decode()
    assert "Imported from LimeSurvey: 11 questions." in body and 'data-testid="import-report"' in body
    assert "Sapat has no question of this kind." in body and Questionnaire.objects.get().key == "services"
