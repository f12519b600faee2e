"""The annual report on the quality objectives: its data (statuses, summary, cascade, trend,
reviews, empty years, unit scope), the PDF and DOCX read back in the chosen language, the
download page (permissions role by role, bad parameters) and its fixed query count."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx.oxml.ns import qn
from pypdf import PdfReader

from sapat.org.choices import Role
from sapat.org.models import AcademicYear, Unit
from sapat.org.selectors import SESSION_INSTITUTION
from sapat.org.tests import factories as org_factories
from sapat.processes import reports
from sapat.processes import services_indicators as indicator_services
from sapat.processes import services_policy as policy_services
from sapat.processes.models_indicators import Indicator, IndicatorStatus, IndicatorTarget, IndicatorValue
from sapat.processes.models_policy import ObjectiveReview, QualityObjective, QualityPolicy

pytestmark = pytest.mark.usefixtures("english")

URL = reverse("objectives_report")


def names(code):
    return {"name_ky": f"{code} көрсөткүчү", "name_ru": f"{code} показатель", "name_en": f"{code} indicator"}


def titles(text):
    return {"title_ky": f"{text} (кыргызча)", "title_ru": f"{text} (по-русски)", "title_en": f"{text} (in English)"}


def objective(unit, text, parent=None, start=2021, end=2025):
    return policy_services.objective_save(
        actor=None,
        objective=QualityObjective(
            institution=unit.institution, unit=unit, parent=parent, start_year=start, end_year=end, **titles(text)
        ),
    )


def indicator(inst, code, target_of, values, unit, direction="higher", target="60", warning="50"):
    """An indicator of `target_of` with the same target every year and `values` by year for `unit`."""
    i = indicator_services.indicator_save(
        actor=None,
        indicator=Indicator(
            institution=inst, code=code, unit_of_measure="%", direction=direction, objective=target_of, **names(code)
        ),
    )
    for year in range(2021, 2026):
        IndicatorTarget.objects.create(indicator=i, year=year, target=Decimal(target), warning=Decimal(warning))
    for year, value in values.items():
        indicator_services.value_enter(actor=None, indicator=i, year=year, unit=unit, value=value)
    return i


@pytest.fixture
def data(world):
    """Batken: a policy in force; the institution's objective O1 (I1 on target, at risk in
    2024) with faculty A's O2 below it (I2 off target) and department A's O3 below that (no
    indicator, reviewed in 2025); faculty B's O4 (I3 without a value in 2025); an objective
    of 2030 outside the year; academic years 2019–2025 (2019 without objectives)."""
    inst = world.inst
    for year in range(2019, 2026):
        AcademicYear.objects.create(
            institution=inst,
            start_year=year,
            start_date=datetime.date(year, 9, 1),
            end_date=datetime.date(year + 1, 6, 30),
        )
    council = org_factories.unit(world.root, "AC", unit_type="council", name_ky="Окумуштуулар кеңеши")
    policy = policy_services.policy_save(
        actor=None,
        policy=QualityPolicy(
            institution=inst, text_ky="1. Сапат биринчи.\n\n2. Кызыкдар тараптар.", text_ru="1. Качество прежде всего."
        ),
    )
    policy_services.policy_approve(
        actor=None, policy=policy, approved_on=datetime.date(2024, 8, 29), body=council, protocol_number="7"
    )
    world.o1 = objective(world.root, "Top objective")
    world.o2 = objective(world.fac_a, "Faculty objective", parent=world.o1)
    world.o3 = objective(world.dep_a, "Department objective", parent=world.o2)
    world.o4 = objective(world.fac_b, "Other faculty objective", parent=world.o1)
    world.later = objective(world.root, "Later objective", start=2030, end=2031)
    values = {2021: "40", 2022: "48.5", 2023: "55", 2024: "52", 2025: "61.25"}
    world.i1 = indicator(inst, "I1", world.o1, values, world.root)
    world.i2 = indicator(
        inst, "I2", world.o2, {2024: "3", 2025: "9"}, world.fac_a, direction="lower", target="5", warning="8"
    )
    world.i3 = indicator(inst, "I3", world.o4, {2023: "70"}, world.fac_b)
    policy_services.review_save(
        actor=None, review=ObjectiveReview(objective=world.o3, year=2025, achieved_percent=80, comment="Жакшы жыл.")
    )
    return world


def build(user, unit, year=2025, language="en"):
    with translation.override(language):
        return reports.objectives_report(
            user, unit, AcademicYear.objects.get(institution=unit.institution, start_year=year)
        )


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def params(unit, year=2025, language="en", fmt="pdf"):
    return {"unit": unit.pk, "year": year, "language": language, "format": fmt}


def pdf_text(content) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- the data -------------------------------------------------------------------------------------


def test_institution_report_has_the_cascade_statuses_and_summary(data):
    report = build(data.quality, data.root)
    assert [(o.code, o.depth) for o in report.objectives] == [("1", 0), ("1.1", 1), ("1.1.1", 2), ("1.2", 1)]
    first, faculty, department, other = report.objectives
    assert [(i.code, i.value, i.target, i.status) for i in first.indicators] == [
        ("I1", "61.25", "60", IndicatorStatus.ON_TARGET)
    ]
    assert faculty.indicators[0].status == IndicatorStatus.OFF_TARGET and faculty.status == IndicatorStatus.OFF_TARGET
    assert other.indicators[0].value == "" and other.status == reports.NO_DATA
    assert (
        department.indicators == [] and department.achieved_percent == 80 and department.review_comment == "Жакшы жыл."
    )
    assert first.achieved_percent is None
    summary = {row.status: (row.objectives, row.indicators) for row in report.summary}
    assert summary == {
        IndicatorStatus.ON_TARGET: (1, 1),
        IndicatorStatus.AT_RISK: (0, 0),
        IndicatorStatus.OFF_TARGET: (1, 1),
        reports.NO_DATA: (2, 1),
    }
    assert [(row.objective_code, row.line.code) for row in report.off_target] == [("1.1", "I2")]
    assert (
        report.policy.version == 1
        and report.policy.approved_on == "29.08.2024"
        and report.policy.protocol_number == "7"
    )
    assert report.is_institution and report.academic_year == "2025–2026"


def test_trend_covers_five_years_with_each_years_status(data):
    report = build(data.quality, data.root)
    trend = report.objectives[0].indicators[0].trend
    assert [p.year for p in trend] == [2021, 2022, 2023, 2024, 2025]
    off, risk, on = IndicatorStatus.OFF_TARGET, IndicatorStatus.AT_RISK, IndicatorStatus.ON_TARGET
    assert [p.status for p in trend] == [off, off, risk, risk, on]
    chart = report.objectives[0].indicators[0].chart
    assert chart.startswith("<svg") and "61.25" in chart
    assert report.objectives[3].indicators[0].chart  # a value in 2023 is a trend, even without 2025's
    assert report.summary_chart.startswith("<svg")


def test_an_earlier_year_shows_that_years_values(data):
    report = build(data.quality, data.root, year=2024)
    assert [p.year for p in report.objectives[0].indicators[0].trend] == [2020, 2021, 2022, 2023, 2024]
    line = report.objectives[0].indicators[0]
    assert line.value == "52" and line.status == IndicatorStatus.AT_RISK
    assert report.objectives[2].achieved_percent is None  # the review is 2025's


def test_a_unit_report_holds_only_its_subtree(data):
    report = build(data.quality, data.fac_a)
    assert [o.code for o in report.objectives] == ["1.1", "1.1.1"]
    assert report.objectives[0].serves.startswith("1 Top objective")  # the objective above, outside the scope
    assert report.objectives[1].serves == ""
    assert not report.is_institution and report.unit_name == data.fac_a.name
    assert [row.line.code for row in report.off_target] == ["I2"]
    department = build(data.quality, data.dep_a)
    assert [o.code for o in department.objectives] == ["1.1.1"] and department.indicator_count == 0


def test_a_year_without_objectives_reads_well(data):
    report = build(data.quality, data.root, year=2019)
    assert report.objectives == [] and report.off_target == [] and report.summary_chart == ""
    assert all(row.objectives == row.indicators == 0 for row in report.summary)
    text = pdf_text(_download(data, data.root, year=2019).content)
    assert "No quality objective covers this academic year in this scope." in text
    assert "No indicator is off target." in text
    text = docx_text(_download(data, data.root, year=2019, fmt="docx").content)
    assert "No quality objective covers this academic year in this scope." in text


def test_only_whole_year_values_count(data):
    """A semester indicator's semester values are not the year's value."""
    semesterly = indicator_services.indicator_save(
        actor=None,
        indicator=Indicator(institution=data.inst, code="S1", frequency="semester", objective=data.o1, **names("S1")),
    )
    indicator_services.value_enter(actor=None, indicator=semesterly, year=2025, unit=data.root, value="10", period=1)
    line = next(i for i in build(data.quality, data.root).objectives[0].indicators if i.code == "S1")
    assert line.value == "" and line.status == reports.NO_DATA
    IndicatorValue.objects.filter(indicator=semesterly).update(period=0)
    line = next(i for i in build(data.quality, data.root).objectives[0].indicators if i.code == "S1")
    assert line.value == "10"


def test_query_count_does_not_grow_with_the_objectives(data):
    def count():
        with CaptureQueriesContext(connection) as queries:
            build(data.quality, data.root)
        return len(queries)

    count()  # the user's roles are read once and kept
    before = count()
    for n in range(5):
        o = objective(data.fac_b, f"More {n}", parent=data.o4)
        indicator(data.inst, f"M{n}", o, {2024: "50", 2025: "65"}, data.fac_b)
        policy_services.review_save(actor=None, review=ObjectiveReview(objective=o, year=2025, achieved_percent=50))
    assert count() == before <= 12


# --- the files, in the chosen language ---------------------------------------------------------------


def _download(world, unit, user=None, **kwargs):
    client = login(Client(), user or world.quality)
    return client.get(URL, params(unit, **kwargs))


@pytest.mark.parametrize("fmt, read", [("pdf", pdf_text), ("docx", docx_text)])
@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_the_file_is_in_the_chosen_language(data, client, fmt, read, language):
    """The interface is English; the report follows its own language choice."""
    response = login(client, data.quality, "en").get(URL, params(data.root, language=language, fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="quality-objectives-batsu-2025-{language}.{fmt}"'
    text = read(response.content)
    suffix = {"ky": "(кыргызча)", "ru": "(по-русски)", "en": "(in English)"}[language]
    others = {"(кыргызча)", "(по-русски)", "(in English)"} - {suffix}
    assert f"Top objective {suffix}" in text and f"Faculty objective {suffix}" in text
    assert not any(other in text for other in others)
    assert names("I1")[f"name_{language}"] in text
    with translation.override(language):
        off_target, on_target = str(IndicatorStatus.OFF_TARGET.label), str(IndicatorStatus.ON_TARGET.label)
    assert off_target in text and on_target in text
    if language != "en":
        assert off_target != "Off target"  # the status really is translated
    decimal = "61,25" if language == "ru" else "61.25"
    assert decimal in text
    assert "Жакшы жыл." in text  # the review's comment, as written
    assert "2025–2026" in text


def test_the_policy_falls_back_to_kyrgyz_where_untranslated(data, client):
    text = pdf_text(login(client, data.quality).get(URL, params(data.root, language="en")).content)
    assert "Сапат биринчи." in text  # no English text: the Kyrgyz one
    text = docx_text(login(client, data.quality).get(URL, params(data.root, language="ru", fmt="docx")).content)
    assert "Качество прежде всего." in text and "Сапат биринчи." not in text


def test_docx_is_in_times_new_roman_with_header_rows_and_charts(data, client):
    content = login(client, data.quality).get(URL, params(data.root, fmt="docx")).content
    document = docx.Document(io.BytesIO(content))
    for style in ("Normal", "Heading 1", "Heading 2"):
        fonts = document.styles[style].element.rPr.rFonts
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman", style
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:hAnsiTheme")) is None, style
    assert len(document.inline_shapes) == 4  # the summary chart and the three indicators' trends
    header = document.tables[0].rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert round(document.tables[0].columns[0].width.cm, 1) == 9  # the summary's widths, for LibreOffice too
    assert round(document.sections[0].left_margin.cm, 1) == 2.5


def test_pdf_uses_liberation_serif(data, client):
    reader = PdfReader(io.BytesIO(login(client, data.quality).get(URL, params(data.root)).content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("Liberation-Serif" in name for name in fonts)


def test_unit_file_name_and_scope(data, client):
    response = login(client, data.quality).get(URL, params(data.fac_a, fmt="docx"))
    assert response["Content-Disposition"] == 'attachment; filename="quality-objectives-batsu-fa-2025-en.docx"'
    text = docx_text(response.content)
    assert "Faculty objective" in text and "Other faculty objective" not in text


# --- the page and its permissions ------------------------------------------------------------------


def test_page_offers_the_choice_with_sensible_defaults(data, client):
    response = login(client, data.staff_a).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["unit"].value() == data.root.pk
    assert form["year"].value() == 2025  # the last year that has ended: its report is due
    assert form["language"].value() == "en" and form["format"].value() == "pdf"
    assert URL.encode() in response.content  # the menu entry
    assert [u.code for u in form.fields["unit"].queryset] == ["BATSU", "FA", "FA-D1", "FB"]  # no council


@pytest.mark.parametrize("who", ["staff_a", "head_b", "rector", "quality_a", "admin"])
def test_everyone_who_sees_the_institution_may_download(data, client, who):
    response = login(client, getattr(data, who)).get(URL, params(data.fac_a, fmt="docx"))
    assert response.status_code == 200 and "Faculty objective" in docx_text(response.content)


def test_an_analyst_reads_every_institution(data, client):
    AcademicYear.objects.create(
        institution=data.other_inst,
        start_year=2025,
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    objective(data.other_root, "Osh objective")
    login(client, data.analyst)
    session = client.session
    session[SESSION_INSTITUTION] = data.other_inst.pk
    session.save()
    response = client.get(URL, params(data.other_root, fmt="docx"))
    assert response.status_code == 200 and "Osh objective" in docx_text(response.content)
    session[SESSION_INSTITUTION] = data.inst.pk
    session.save()
    assert "Top objective" in docx_text(client.get(URL, params(data.root, fmt="docx")).content)


def test_an_expert_gets_nothing(data, client):
    until = datetime.date.today() + datetime.timedelta(days=30)
    expert = org_factories.user_with_role(Role.EXPERT, data.root, username="expert", valid_until=until)
    assert login(client, expert).get(URL).status_code == 403
    assert login(client, expert).get(URL, params(data.root)).status_code == 403


def test_anonymous_is_sent_to_sign_in(data, client):
    response = client.get(URL, params(data.root))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "field, bad",
    [("year", "2031"), ("year", "twenty"), ("language", "de"), ("format", "xls"), ("unit", "999999"), ("unit", "")],
)
def test_bad_parameters_get_a_clear_message(data, client, field, bad):
    query = {**params(data.root), field: bad}
    response = login(client, data.quality).get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors[field]
    assert b"The report cannot be made with this choice" in response.content


def test_a_unit_of_another_institution_is_refused(data, client):
    response = login(client, data.quality).get(URL, params(data.other_root))
    assert response.status_code == 400 and response.context["form"].errors["unit"]


def test_a_council_is_not_a_scope(data, client):
    council = Unit.objects.get(institution=data.inst, code="AC")
    response = login(client, data.quality).get(URL, params(council))
    assert response.status_code == 400 and response.context["form"].errors["unit"]


def test_a_value_without_a_target_has_no_status_but_says_why(data):
    plain = indicator_services.indicator_save(
        actor=None, indicator=Indicator(institution=data.inst, code="N1", objective=data.o1, **names("N1"))
    )
    indicator_services.value_enter(actor=None, indicator=plain, year=2025, unit=data.root, value="7")
    report = build(data.quality, data.root)
    line = next(i for i in report.objectives[0].indicators if i.code == "N1")
    assert (line.value, line.target, line.status, line.status_label) == ("7", "", reports.NO_DATA, "No target")
    assert report.objectives[0].status == IndicatorStatus.ON_TARGET  # I1 still judges the objective
    assert {row.status: row.indicators for row in report.summary}[reports.NO_DATA] == 2
