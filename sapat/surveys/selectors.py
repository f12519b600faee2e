"""Reads: which questionnaires and campaigns a user sees, response rates, and results.

Results are computed in the database: one query counts respondents per group, one counts
answers per group, question, matrix item and value; Python only turns those few rows
into means, medians and shares. A group of fewer respondents than the campaign's minimum
is dropped here, so every page, export and API answer built on `results()` hides it."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Person, Programme, StudentGroup, Unit

from .choices import CHOICE_KINDS, SCALED_KINDS, TEXT_KINDS
from .models import Answer, Campaign, Question, Questionnaire, Response, Slot, Token, pick

# Results may be broken down by these slot fields.
DIMENSIONS = {
    "teacher": (_("Teacher"), "teacher"),
    "discipline": (_("Discipline"), "discipline"),
    "group": (_("Student group"), "group"),
    "programme": (_("Programme"), "programme"),
    "department": (_("Department"), "unit"),
    "faculty": (_("Faculty"), "faculty"),
}
_LABELLERS = {
    "teacher": (Person, lambda p: p.full_name),
    "group": (StudentGroup, str),
    "programme": (Programme, str),
    "unit": (Unit, lambda u: u.name),
    "faculty": (Unit, lambda u: u.name),
}


def questionnaires_for(user):
    ids = access.institution_ids(user, Perm.MANAGE_SURVEYS)
    qs = Questionnaire.objects.all() if ids is None else Questionnaire.objects.filter(institution_id__in=ids)
    return qs.annotate(campaign_count=Count("campaigns"))


def results_slots_q(user) -> Q:
    """Slots whose results `user` may read: those of units in their scope (quality
    department, heads, management), and a teacher's own."""
    q = access.unit_q(user, Perm.VIEW_SURVEY_RESULTS, "unit") | access.unit_q(user, Perm.MANAGE_SURVEYS, "unit")
    if getattr(user, "is_authenticated", False):
        q |= Q(teacher__user=user)
    return q


def campaigns_for(user):
    """Campaigns the user organises or may read some results of."""
    manage = access.unit_q(user, Perm.MANAGE_SURVEYS, "unit")
    visible_slots = Slot.objects.filter(results_slots_q(user)).values("campaign_id")
    return Campaign.objects.filter(manage | Q(pk__in=visible_slots)).select_related("questionnaire", "unit")


def can_manage(user, campaign) -> bool:
    return access.can(user, Perm.MANAGE_SURVEYS, campaign.unit)


# --- progress ----------------------------------------------------------------------------
def progress(campaign, by="group") -> list[dict]:
    """Response rates: expected respondents, tokens issued and used, answers received, per
    group (or programme, department). Token use is counted; who used which is not known."""
    field_name = DIMENSIONS[by][1]
    expected = dict(campaign.slots.values(field_name).annotate(e=Sum("expected")).values_list(field_name, "e"))
    tokens = {
        row[f"slot__{field_name}"]: row
        for row in Token.objects.filter(campaign=campaign)
        .values(f"slot__{field_name}")
        .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
    }
    answered = dict(
        Response.objects.filter(campaign=campaign)
        .values(f"slot__{field_name}")
        .annotate(n=Count("pk"))
        .values_list(f"slot__{field_name}", "n")
    )
    labels = _labels(field_name, list(expected))
    rows = []
    for key in sorted(expected, key=lambda k: labels.get(k, "")):
        t = tokens.get(key, {})
        n = answered.get(key, 0)
        # One answer per student (and per discipline–teacher pair in a teaching evaluation).
        base = expected[key] or t.get("issued")
        rows.append(
            {
                "key": key,
                "label": labels.get(key, "—"),
                "expected": expected[key],
                "issued": t.get("issued", 0),
                "used": t.get("used", 0),
                "responses": n,
                "rate": round(100 * n / base) if base else None,
            }
        )
    return rows


def _labels(field_name, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if field_name == "discipline":
        return {k: k for k in keys}
    model, label = _LABELLERS[field_name]
    return {obj.pk: label(obj) for obj in model.objects.filter(pk__in=keys)}


def unused_tokens(campaign, slot_ids=None):
    """Tokens not yet used: reprint them to remind a group (nobody learns who answered)."""
    qs = Token.objects.filter(campaign=campaign, used=False).select_related("slot__group", "slot__teacher")
    if slot_ids:
        qs = qs.filter(slot_id__in=slot_ids)
    return qs.order_by("slot__group__name", "slot__discipline", "pk")


# --- results -----------------------------------------------------------------------------
@dataclass
class QuestionStats:
    question: Question
    item: int
    label: str
    top: int
    counts: dict = field(default_factory=dict)  # value -> answers
    compare: dict = field(default_factory=dict)  # "institution"/"previous" -> mean

    @property
    def n(self):
        return sum(self.counts.values())

    @property
    def mean(self):
        return round(sum(v * c for v, c in self.counts.items()) / self.n, 2) if self.n else None

    @property
    def median(self):
        if not self.n:
            return None
        half, seen = self.n / 2, 0
        for value in sorted(self.counts):
            seen += self.counts[value]
            if seen >= half:
                return value
        return None

    @property
    def positive_share(self):
        """Share of the two top points of a scale (agree / satisfied), %."""
        if not self.n or not self.question.is_scaled:
            return None
        positive = sum(c for v, c in self.counts.items() if v >= self.top - 1)
        return round(100 * positive / self.n)

    def distribution(self) -> list[tuple[str, int, int]]:
        """(label, answers, % of answers) for each scale point or option."""
        labels = self.question.scale_labels if self.question.is_scaled else self.question.options
        if self.question.kind == "rating4" and not labels:
            labels = [{"en": str(i)} for i in range(1, 5)]
        total = self.n or 1
        rows = []
        for i in range(1, self.top + 1):
            label = pick(labels[i - 1]) if i - 1 < len(labels) else str(i)
            rows.append((label, self.counts.get(i, 0), round(100 * self.counts.get(i, 0) / total)))
        return rows


@dataclass
class Group:
    key: object
    label: str
    respondents: int
    hidden: bool
    stats: list = field(default_factory=list)

    @property
    def scale_mean(self):
        """Mean of every scaled answer of the group (the teacher's or unit's overall score)."""
        scaled = [s for s in self.stats if s.question.is_scaled and s.n]
        n = sum(s.n for s in scaled)
        return round(sum(s.mean * s.n for s in scaled) / n, 2) if n else None

    @property
    def positive_share(self):
        """Share of positive answers over every scaled question of the group, %."""
        scaled = [s for s in self.stats if s.question.is_scaled and s.n]
        n = sum(s.n for s in scaled)
        return round(sum(s.positive_share * s.n for s in scaled) / n) if n else None


@dataclass
class Results:
    campaign: Campaign
    min_n: int
    overall: Group
    groups: list  # by the chosen dimension; hidden ones carry no figures
    texts: list  # (question, [texts]) of the overall scope, when shown
    by: str | None


def _stat_rows(questions):
    rows = {}
    for q in questions:
        if q.kind in SCALED_KINDS and q.items:
            for i, item in enumerate(q.items, start=1):
                rows[(q.pk, i)] = (q, i, pick(item))
        elif q.kind in SCALED_KINDS or q.kind in CHOICE_KINDS:
            rows[(q.pk, 0)] = (q, 0, "")
    return rows


def _means(campaign_id, slots) -> dict:
    """{(question code, item): mean} over the scaled questions of a campaign, in the database
    (the question ids are listed, so the answers are not joined to their questions)."""
    codes = dict(
        Question.objects.filter(questionnaire__campaigns=campaign_id, kind__in=SCALED_KINDS).values_list("pk", "code")
    )
    rows = (
        Answer.objects.filter(campaign_id=campaign_id, slot_id__in=slots, question_id__in=list(codes), value__gte=1)
        .values("question_id", "item")
        .annotate(m=Avg("value"))
    )
    return {(codes[r["question_id"]], r["item"]): round(r["m"], 2) for r in rows}


def _institution_means(campaign, min_n) -> dict:
    """The whole campaign's means, kept while no new response arrives (a closed campaign's
    never change; reading 2 million answers for every page would not do)."""
    count = Response.objects.filter(campaign=campaign).count()
    key = f"surveys:institution-means:{campaign.pk}:{count}:{min_n}"
    means = cache.get(key)
    if means is None:
        means = _means(campaign.pk, shown_slots(campaign.pk, Q(), min_n))
        cache.set(key, means, 3600)
    return means


def shown_slots(campaign_id, slot_q, min_n):
    """Slots with at least `min_n` respondents. Only these enter any figure: a small slot
    left out of a teacher's line but kept in the department's total could be recovered by
    subtraction, so it is left out of every total too."""
    return (
        Slot.objects.filter(slot_q, campaign_id=campaign_id)
        .annotate(n=Count("responses"))
        .filter(n__gte=min_n)
        .values("pk")
    )


def results(campaign, slot_q=None, by=None, texts=True) -> Results:
    """Figures for the slots matching `slot_q` (the user's scope and any drill-down),
    overall and broken down by `by` (a key of DIMENSIONS)."""
    slot_q = slot_q or Q()
    min_n = max(campaign.min_group_size, 3)
    slot_ids = shown_slots(campaign.pk, slot_q, min_n)
    field_name = DIMENSIONS[by][1] if by else None
    questions = list(campaign.questionnaire.questions.order_by("section__order", "order", "id"))
    stat_rows = _stat_rows(questions)

    responses = Response.objects.filter(campaign=campaign, slot_id__in=slot_ids)
    answers = Answer.objects.filter(campaign=campaign, slot_id__in=slot_ids)
    group_fields = [f"slot__{field_name}"] if field_name else []
    if group_fields:
        rows = responses.values(*group_fields).annotate(n=Count("pk")).values_list(*group_fields, "n")
        respondents = dict(rows)
        # Groups with only small slots are named as hidden, with no figure at all.
        present = Slot.objects.filter(slot_q, campaign=campaign, responses__isnull=False)
        for key in present.values_list(field_name, flat=True).distinct():
            respondents.setdefault(key, 0)
    else:
        respondents = {None: responses.count()}
    total = sum(respondents.values())
    counts = (
        answers.filter(value__gte=1, question_id__in=[q.pk for q in questions if q.kind in SCALED_KINDS | CHOICE_KINDS])
        .values("question", "item", "value", *group_fields)
        .annotate(n=Count("pk"))
    )

    def new_group(key, label, n):
        group = Group(key, label, n, hidden=n < min_n)
        if not group.hidden:
            group.stats = [QuestionStats(q, i, lbl, q.scale_max) for q, i, lbl in stat_rows.values()]
        return group

    overall = new_group(None, str(_("All visible")), total)
    index = {(None, s.question.pk, s.item): s for s in overall.stats}
    groups = []
    if field_name:
        labels = _labels(field_name, list(respondents))
        for key, n in sorted(respondents.items(), key=lambda kv: labels.get(kv[0], str(kv[0]))):
            group = new_group(key, labels.get(key, "—"), n)
            groups.append(group)
            index.update({(key, s.question.pk, s.item): s for s in group.stats})
    for row in counts:
        key = row[group_fields[0]] if group_fields else None
        for target in (
            ((None, row["question"], row["item"]), (key, row["question"], row["item"]))
            if field_name
            else ((None, row["question"], row["item"]),)
        ):
            stat = index.get(target)
            if stat is not None:
                stat.counts[row["value"]] = stat.counts.get(row["value"], 0) + row["n"]
    if not overall.hidden:
        _compare(campaign, slot_q, overall)
    shown_texts = []
    if texts and not overall.hidden:
        text_ids = [q.pk for q in questions if q.kind in TEXT_KINDS]
        text_rows = answers.filter(Q(question_id__in=text_ids) | Q(value=0)).exclude(text="")
        by_question = {}
        for question_id, text in text_rows.values_list("question", "text").order_by("question", "pk"):
            by_question.setdefault(question_id, []).append(text)
        shown_texts = [(q, by_question[q.pk]) for q in questions if q.pk in by_question]
    return Results(campaign, min_n, overall, groups, shown_texts, by)


def _compare(campaign, slot_q, overall: Group) -> None:
    """The institution average (the whole campaign) and the previous campaign's mean for the
    same scope, matched by question code and item (versions may differ)."""
    min_n = max(campaign.min_group_size, 3)
    institution = _institution_means(campaign, min_n)
    previous = {}
    if campaign.previous_id:
        previous = _means(campaign.previous_id, shown_slots(campaign.previous_id, slot_q, min_n))
    for stat in overall.stats:
        key = (stat.question.code, stat.item)
        if key in institution:
            stat.compare["institution"] = institution[key]
        if key in previous:
            stat.compare["previous"] = previous[key]


def drill_q(params) -> Q:
    """A drill-down from the query string: ?teacher=…&department=…&programme=…&faculty=…"""
    q = Q()
    for name, (_label, field_name) in DIMENSIONS.items():
        value = params.get(name)
        if value:
            q &= Q(**{field_name: value}) if name == "discipline" else Q(**{f"{field_name}_id": _int(value)})
    return q


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def raw_rows(campaign, slot_q=None):
    """The anonymous answers for statistical packages, only of slots with enough respondents;
    the export renumbers responses 1, 2, 3 …"""
    slots = shown_slots(campaign.pk, slot_q or Q(), max(campaign.min_group_size, 3))
    return (
        Answer.objects.filter(campaign=campaign, slot__in=slots)
        .values_list("response_id", "slot__discipline", "slot__teacher_id", "question__code", "item", "value", "text")
        .order_by("response_id", "question__order", "item")
    )
