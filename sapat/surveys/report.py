"""What the results page and its PDF share: the distribution chart of a question, the words
for the scope being read, and the results below the campaign's action thresholds. Both
outputs are built on `selectors.results`, so a group too small to be shown is missing
from the PDF exactly as from the page."""

from decimal import Decimal

from django.utils.translation import gettext as _

from sapat.lib.charts import bar_chart

from . import selectors
from .models import pick


def distribution_chart(stat) -> str:
    """Bars of the share of answers per scale point or option (numbered; the legend is the
    table beside it). On a scale the positive points (the top two) are green."""
    bars = []
    for number, (_label, _n, pct) in enumerate(stat.distribution(), start=1):
        positive = stat.question.is_scaled and number >= stat.top - 1
        bars.append((str(number), pct, "on_target" if positive else None))
    title = pick(stat.question.text) + (f" — {stat.label}" if stat.label else "")
    return bar_chart(bars, width=300, height=150, title=title, unit_label="%")


def scope_labels(params) -> list[tuple[str, str]]:
    """(dimension, name) for each drill-down of the query string: 'Teacher: Асанова А.'"""
    labels = []
    for name, (label, field_name) in selectors.DIMENSIONS.items():
        value = params.get(name)
        if value:
            key = value if name == "discipline" else selectors._int(value)
            found = selectors._labels(field_name, [key]).get(key, "—")
            labels.append((str(label), found))
    return labels


def mean_threshold(campaign, top: int) -> float:
    """The campaign's mean threshold (read on 1–5) stretched to a scale of `top` points."""
    threshold = float(campaign.action_mean_below or Decimal("3.5"))
    return 1 + (threshold - 1) * (top - 1) / 4


def below_threshold(campaign, stat) -> bool:
    """A scaled result with answers, under either threshold of the campaign."""
    if not stat.question.is_scaled or not stat.n:
        return False
    if stat.positive_share is not None and stat.positive_share < campaign.action_positive_below:
        return True
    return stat.mean is not None and stat.mean < mean_threshold(campaign, stat.top)


def describe(campaign, stat, scope) -> str:
    """The text of an improvement action raised on a result (no respondent in it)."""
    where = "; ".join(f"{label}: {name}" for label, name in scope) or _("the whole campaign")
    question = pick(stat.question.text) + (f" — {stat.label}" if stat.label else "")
    return _(
        "Survey “%(campaign)s”, %(scope)s. Question %(code)s “%(question)s”: mean %(mean)s, "
        "positive %(positive)s%% (thresholds: mean %(mean_below)s, positive %(positive_below)s%%). "
        "Find the causes and improve."
    ) % {
        "campaign": campaign.title,
        "scope": where,
        "code": stat.question.code,
        "question": question,
        "mean": stat.mean,
        "positive": stat.positive_share,
        "mean_below": campaign.action_mean_below,
        "positive_below": campaign.action_positive_below,
    }


def group_below(campaign, group) -> bool:
    """A shown group (a teacher, a discipline …) whose scaled answers as a whole are under a
    threshold; the mean is compared only when every scale of it has the same points."""
    if group.hidden or group.positive_share is None:
        return False
    if group.positive_share < campaign.action_positive_below:
        return True
    tops = {s.top for s in group.stats if s.question.is_scaled and s.n}
    return len(tops) == 1 and group.scale_mean < mean_threshold(campaign, tops.pop())


def decorate(campaign, results) -> None:
    """Charts and threshold flags on the figures, for the page and the PDF."""
    for stat in results.overall.stats:
        stat.chart = distribution_chart(stat) if stat.n else ""
        stat.below = below_threshold(campaign, stat)
    for group in results.groups:
        group.below = group_below(campaign, group)


def describe_group(campaign, group, scope) -> str:
    where = "; ".join(f"{label}: {name}" for label, name in scope) or group.label
    return _(
        "Survey “%(campaign)s”, %(scope)s: mean of the scales %(mean)s, positive %(positive)s%% "
        "(thresholds: mean %(mean_below)s, positive %(positive_below)s%%). Find the causes and improve."
    ) % {
        "campaign": campaign.title,
        "scope": where,
        "mean": group.scale_mean,
        "positive": group.positive_share,
        "mean_below": campaign.action_mean_below,
        "positive_below": campaign.action_positive_below,
    }


def scope_unit(campaign, params):
    """The unit an action on this scope belongs to: the teacher's department, the unit or
    programme's unit named, else the campaign's organising unit."""
    from sapat.org.models import Person, Programme, StudentGroup, Unit

    in_inst = {"institution_id": campaign.institution_id}
    lookups = (
        ("teacher", lambda pk: Person.objects.filter(pk=pk, **in_inst).select_related("unit").first(), "unit"),
        ("department", lambda pk: Unit.objects.filter(pk=pk, **in_inst).first(), None),
        ("faculty", lambda pk: Unit.objects.filter(pk=pk, **in_inst).first(), None),
        ("programme", lambda pk: Programme.objects.filter(pk=pk, **in_inst).select_related("unit").first(), "unit"),
        (
            "group",
            lambda pk: (
                StudentGroup.objects.filter(pk=pk, programme__institution_id=campaign.institution_id)
                .select_related("programme__unit")
                .first()
            ),
            "programme.unit",
        ),
    )
    for name, find, path in lookups:
        if params.get(name):
            found = find(selectors._int(params[name]))
            if found is not None:
                for attr in (path or "").split(".") if path else ():
                    found = getattr(found, attr)
                return found
    return campaign.unit
