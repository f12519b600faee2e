"""The self-evaluation report (002 §4.5) as data, in the seed's structure: title page,
introduction, analysis and evidence per criterion (grouped as the framework groups them),
conclusion, and the annex list of evidence. Tables and charts are numbered in order of
appearance; every evidence item gets an annex number, and the text refers to it with the
document's title, page and annex number. `report_docx.py` and
`templates/print/self_evaluation_report.html` lay out the same data.

Build it inside `translation.override(language)`: headings and captions are messages."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapat.lib.charts import trend_chart
from sapat.processes.services import root_unit

from .models_projects import Evidence, EvidenceKind, Level, SelfEvaluationReport

LANGUAGES = ("ky", "ru")


@dataclass
class Table:
    number: int
    title: str
    headers: list[str]
    rows: list[list[str]]

    @property
    def caption(self) -> str:
        return _("Table %(n)d. %(title)s") % {"n": self.number, "title": self.title}


@dataclass
class Chart:
    number: int
    title: str
    svg: str

    @property
    def caption(self) -> str:
        return _("Figure %(n)d. %(title)s") % {"n": self.number, "title": self.title}


@dataclass
class Annex:
    number: int
    title: str
    kind: str
    detail: str
    criteria: list[str] = field(default_factory=list)


@dataclass
class Reference:
    annex: Annex
    page: str

    @property
    def text(self) -> str:
        if self.page:
            return _("“%(title)s”, p. %(page)s, annex %(annex)d") % {
                "title": self.annex.title,
                "page": self.page,
                "annex": self.annex.number,
            }
        return _("“%(title)s”, annex %(annex)d") % {"title": self.annex.title, "annex": self.annex.number}


@dataclass
class CriterionSection:
    code: str
    title: str
    level: str
    narrative: str
    strengths: str
    weaknesses: str
    recommendations: str
    references: list[Reference]
    tables: list[Table]
    charts: list[Chart]


@dataclass
class GroupSection:
    code: str
    title: str
    criteria: list[CriterionSection]


@dataclass
class ReportData:
    language: str
    institution_name: str
    title: str
    kind: str
    year: int
    period: str
    order_text: str
    introduction: str
    commission: list[tuple[str, str]]
    groups: list[GroupSection]
    summary: Table
    findings: str
    recommendation: str
    annexes: list[Annex]
    generated_on: object
    labels: dict = field(default_factory=dict)


def _indicator_years(evidence_items, years, institution_id):
    """5-year values of every indicator cited, one query: {indicator_id: {year: value}}."""
    from sapat.processes.models_indicators import IndicatorValue

    ids = {item.indicator_id for item in evidence_items if item.indicator_id}
    if not ids:
        return {}
    root = root_unit(institution_id)
    values = IndicatorValue.objects.filter(
        indicator_id__in=ids,
        year__in=years,
        period=0,
        programme__isnull=True,
        superseded_by__isnull=True,
        unit=root,
    ).values_list("indicator_id", "year", "value")
    out: dict[int, dict[int, object]] = {}
    for indicator_id, year, value in values:
        out.setdefault(indicator_id, {})[year] = value
    return out


def _fmt(value) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


def _indicator_label(indicator) -> str:
    name = indicator.tr("name")
    return f"{name}, {indicator.unit_of_measure}" if indicator.unit_of_measure else name


def _annex_detail(item: Evidence) -> str:
    if item.kind == EvidenceKind.WEB:
        return item.url
    target = item.target
    if target is None:
        return item.note
    code = getattr(target, "code", "")
    return " ".join(part for part in (str(item.get_kind_display()), code) if part)


def build(report: SelfEvaluationReport, language: str | None = None) -> ReportData:
    """The report's data in `language` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        return _build(report, (language or translation.get_language() or "ky")[:2])


def _build(report, language) -> ReportData:

    project = report.project
    assessments = list(
        report.assessments.select_related("criterion__group", "responsible__person").prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related(
                    "document", "indicator", "campaign", "audit", "nonconformity", "action"
                ).order_by("id"),
            )
        )
    )
    files = {}
    for attachment in _attachments_for(assessments):
        files.setdefault(attachment.object_id, []).append(attachment)
    all_evidence = [item for a in assessments for item in a.evidence.all()]
    trends = _indicator_years(all_evidence, project.years, project.institution_id)
    annexes: list[Annex] = []
    annex_by_key: dict[tuple, Annex] = {}
    table_no = chart_no = 0
    groups: dict[int, GroupSection] = {}
    summary_rows = []

    def annex_for(key, title, kind, detail, code):
        annex = annex_by_key.get(key)
        if annex is None:
            annex = Annex(len(annexes) + 1, title, kind, detail)
            annexes.append(annex)
            annex_by_key[key] = annex
        if code not in annex.criteria:
            annex.criteria.append(code)
        return annex

    for assessment in assessments:
        criterion = assessment.criterion
        group = criterion.group
        section = groups.get(group.pk)
        if section is None:
            section = groups[group.pk] = GroupSection(str(group.code), group.tr("name"), [])
        references, tables, charts, indicators = [], [], [], []
        for item in assessment.evidence.all():
            target = item.target
            # One annex per cited source, however many criteria cite it.
            key = (item.kind, target.pk) if target is not None else (item.kind, item.url or item.title.strip())
            annex = annex_for(key, item.label, item.get_kind_display(), _annex_detail(item), criterion.code)
            references.append(Reference(annex, item.page))
            if item.kind == EvidenceKind.INDICATOR and item.indicator_id:
                indicators.append(item.indicator)
        if indicators:
            # One 5-year table per criterion (a row per indicator), one chart per indicator.
            table_no += 1
            tables.append(
                Table(
                    table_no,
                    _("Indicators of criterion %(code)s over %(first)d–%(last)d")
                    % {"code": criterion.code, "first": project.period_from, "last": project.period_to},
                    [_("Indicator")] + [str(y) for y in project.years],
                    [
                        [_indicator_label(indicator)]
                        + [_fmt(trends.get(indicator.pk, {}).get(y)) for y in project.years]
                        for indicator in indicators
                    ],
                )
            )
            for indicator in indicators:
                by_year = trends.get(indicator.pk, {})
                name = indicator.tr("name")
                chart_no += 1
                charts.append(
                    Chart(
                        chart_no,
                        _("Dynamics of “%(name)s”") % {"name": name},
                        trend_chart(
                            [(y, by_year.get(y)) for y in project.years],
                            direction=indicator.direction,
                            unit_label=indicator.unit_of_measure,
                            title=name,
                            height=170,
                        ),
                    )
                )
        for attachment in files.get(assessment.pk, []):
            annex = annex_for(
                ("file", attachment.pk), attachment.name, _("Uploaded file"), attachment.note, criterion.code
            )
            references.append(Reference(annex, ""))
        level = Level(assessment.level).label if assessment.level else _("Not rated")
        section.criteria.append(
            CriterionSection(
                code=str(criterion.code),
                title=criterion.title,
                level=str(level),
                narrative=assessment.narrative,
                strengths=assessment.strengths,
                weaknesses=assessment.weaknesses,
                recommendations=assessment.recommendations,
                references=references,
                tables=tables,
                charts=charts,
            )
        )
        summary_rows.append([str(criterion.code), criterion.title, str(level)])
    table_no += 1
    summary = Table(table_no, _("Compliance with the criteria"), [_("No."), _("Criterion"), _("Level")], summary_rows)
    commission = [(m.display_name, m.position) for m in project.members.select_related("person")]
    kind_label = str(report.get_kind_display())
    order_text = ""
    if project.order_number and project.order_date:
        order_text = _("Order № %(number)s of %(date)s") % {"number": project.order_number, "date": project.order_date}
    return ReportData(
        language=language,
        institution_name=project.institution.tr("name"),
        title=_("Self-evaluation report: %(kind)s") % {"kind": kind_label.lower()},
        kind=kind_label,
        year=project.year,
        period=f"{project.period_from}–{project.period_to}",
        order_text=order_text,
        introduction=report.introduction,
        commission=commission,
        groups=list(groups.values()),
        summary=summary,
        findings=report.findings,
        recommendation=report.recommendation,
        annexes=annexes,
        generated_on=timezone.localdate(),
        labels=_labels(project),
    )


def _labels(project) -> dict:
    """The fixed texts of the report in the part's language (a report in both languages
    prints each part with its own)."""
    return {
        "introduction": _("Introduction"),
        "analysis": _("Analysis and evidence of compliance with the criteria"),
        "conclusion": _("Conclusion"),
        "findings": _("Findings of the commission"),
        "recommendation": _("Recommendation on applying for accreditation"),
        "annexes": _("Annex list of evidence"),
        "level": _("Level"),
        "strengths": _("Strengths"),
        "weaknesses": _("Weaknesses"),
        "recommendations": _("Recommendations"),
        "evidence": _("Evidence"),
        "commission": _("The self-evaluation commission"),
        "period": _("Period under review: %(period)s") % {"period": f"{project.period_from}–{project.period_to}"},
        "year": _("Year %(year)d") % {"year": project.year},
        "no": _("No."),
        "annex_title": _("Document"),
        "annex_kind": _("Kind"),
        "annex_criteria": _("Criteria"),
        "none": _("No evidence listed."),
        "prepared": _("Prepared on %(date)s") % {"date": timezone.localdate()},
    }


def _attachments_for(assessments):
    from django.contrib.contenttypes.models import ContentType

    from sapat.core.models import Attachment

    if not assessments:
        return []
    content_type = ContentType.objects.get_for_model(type(assessments[0]))
    return Attachment.objects.filter(content_type=content_type, object_id__in=[a.pk for a in assessments]).order_by(
        "id"
    )


def languages_for(choice: str) -> list[str]:
    """ "ky", "ru" or "both" (Kyrgyz, then Russian)."""
    if choice == "both":
        return list(LANGUAGES)
    if choice in LANGUAGES:
        return [choice]
    raise ValueError(choice)


def build_all(report, choice: str) -> list[ReportData]:
    return [build(report, language) for language in languages_for(choice)]


def render_pdf_bytes(report, choice: str) -> bytes:
    from sapat.lib.pdf import render_pdf

    parts = build_all(report, choice)
    with translation.override(parts[0].language):
        return render_pdf(
            "print/self_evaluation_report.html",
            {"parts": parts, "institution_name": "", "title": ""},
        )
