"""Pages of indicators: the dashboard, an indicator's values and targets, entry forms.
Views parse input and call the services in `services_indicators`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import save_form
from sapat.lib.pdf import pdf_response, render_pdf
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.choices import UnitType
from sapat.org.models import Programme, Unit
from sapat.org.selectors import get_visible

from . import selectors_indicators as selectors
from . import services_indicators as services
from .forms_indicators import IndicatorForm, TargetForm, ValueForm
from .models_indicators import Indicator, IndicatorLevel, IndicatorTarget, IndicatorValue, plain
from .services import root_unit
from .views import _institution


def _indicator(request, pk) -> Indicator:
    institution = _institution(request)
    return get_visible(selectors.indicators_for(request.user).filter(institution=institution), pk=pk)


def _require_define(request, institution_id):
    if not services.can_define(request.user, institution_id):
        raise PermissionDenied(_("Only the quality department defines indicators and their targets."))


def _units(institution):
    return (
        Unit.objects.filter(institution=institution, closed_on__isnull=True)
        .exclude(unit_type=UnitType.COUNCIL)
        .order_by("path")
    )


def _enterable_units(user, indicator):
    units = list(_units(indicator.institution))
    return [u for u in units if services.can_enter(user, indicator, u)]


def _dashboard_context(request, *, rows=True, scopes=True):
    """The dashboard of the institution, of a unit (`?unit=`) or of a programme
    (`?programme=`): its indicators (`rows`), the units under it and its programmes with
    their status summaries (`scopes`). A fixed number of queries for any number of
    indicators, units and values."""
    institution = _institution(request)
    root = root_unit(institution.pk)
    units = list(_units(institution))
    by_pk = {u.pk: u for u in units}
    programme = None
    if request.GET.get("programme", "").isdigit():
        programme = (
            Programme.objects.filter(institution=institution, pk=request.GET["programme"])
            .select_related("unit")
            .first()
        )
    unit = programme.unit if programme is not None else root
    if programme is None and request.GET.get("unit", "").isdigit():
        unit = by_pk.get(int(request.GET["unit"]), root)
    all_indicators = list(selectors.indicators_for(request.user).filter(institution=institution))
    levels = selectors.levels_for(unit, programme)
    indicators = [i for i in all_indicators if i.level in levels]
    years = selectors.trend_years(institution, count=selectors.CHART_YEARS)
    rows = selectors.dashboard(indicators, unit, years, programme) if rows else []
    children, programmes = [], []
    if programme is None and scopes:
        unit_indicators = [i for i in all_indicators if i.level == IndicatorLevel.UNIT]
        since = years[-min(len(years), selectors.TREND_YEARS)] if years else 0  # a status at most 5 years old
        children = selectors.summaries(unit_indicators, [u for u in units if u.parent_id == unit.pk], since_year=since)
        programme_indicators = [i for i in all_indicators if i.level == IndicatorLevel.PROGRAMME]
        if programme_indicators:
            programmes = selectors.summaries(
                programme_indicators,
                Programme.objects.filter(unit=unit).order_by("code"),
                since_year=since,
                programmes=True,
            )
    return {
        "institution": institution,
        "unit": unit,
        "programme": programme,
        "trail": [by_pk[pk] for pk in unit.ancestor_ids if pk in by_pk],
        "units": units,
        "years": years,
        "rows": rows,
        "children": children,
        "programmes": programmes,
        "status_chart": selectors.status_chart(rows) if rows else "",
        "scope_query": f"?programme={programme.pk}" if programme else (f"?unit={unit.pk}" if unit.parent_id else ""),
    }


@login_required
def indicator_list(request):
    """The dashboard page; the units and programmes under it come in a second request
    (`indicator_dashboard_scopes`), so the table shows at once even for a large institution."""
    context = _dashboard_context(request, scopes=False)
    institution = context["institution"]
    context["can_define"] = services.can_define(request.user, institution.pk)
    context["can_import"] = access.can(request.user, Perm.IMPORT_DATA)
    context["pdf_query"] = request.GET.urlencode()
    return render(request, "processes/indicators/list.html", context)


@login_required
def indicator_dashboard_scopes(request):
    """The units and programmes under a dashboard with their status summaries (htmx)."""
    context = _dashboard_context(request, rows=False)
    return render(request, "processes/indicators/_scopes.html", context)


@login_required
def indicator_dashboard_pdf(request):
    """The dashboard on paper, with the very same SVG charts as the page."""
    context = _dashboard_context(request)
    scope = context["programme"] or context["unit"]
    context["title"] = _("Indicators: %(scope)s") % {"scope": getattr(scope, "name", scope)}
    context["institution_name"] = context["institution"].name
    context["today"] = timezone.localdate()
    pdf = render_pdf("processes/indicators/dashboard_print.html", context, landscape=True)
    return pdf_response(pdf, f"indicators-{scope.code}-{context['today']:%Y-%m-%d}.pdf")


@login_required
def indicator_detail(request, pk):
    indicator = _indicator(request, pk)
    programme, unit = None, root_unit(indicator.institution_id)
    if request.GET.get("programme", "").isdigit():
        programme = Programme.objects.filter(institution=indicator.institution, pk=request.GET["programme"]).first()
    if programme is not None:
        unit = programme.unit
    elif request.GET.get("unit", "").isdigit():
        unit = _units(indicator.institution).filter(pk=request.GET["unit"]).first() or unit
    history = selectors.value_history(indicator, unit, programme)
    scope_units, scope_programmes = selectors.scopes_with_values(indicator)
    context = {
        "indicator": indicator,
        "scope": programme or unit,
        "unit": unit,
        "programme": programme,
        "scope_units": scope_units,
        "scope_programmes": scope_programmes,
        "chart": selectors.trend_chart(indicator, unit, programme),
        "current": [v for v in history if v.is_current],
        "superseded": [v for v in history if not v.is_current],
        "targets": list(indicator.targets.order_by("-year")),
        "years": selectors.trend_years(indicator.institution)[::-1],
        "can_define": services.can_define(request.user, indicator.institution_id),
        "can_enter": bool(_enterable_units(request.user, indicator)),
    }
    return render(request, "processes/indicators/detail.html", context)


def _indicator_form(request, instance, title, back_url):
    _require_define(request, instance.institution_id)
    form = IndicatorForm(request.POST or None, instance=instance, institution=instance.institution)
    return save_form(
        request,
        form,
        lambda i: services.indicator_save(actor=request.user, indicator=i),
        success_url=lambda i: i.get_absolute_url(),
        template="processes/indicators/form.html",
        context={"title": title, "back_url": back_url},
    )


@login_required
def indicator_add(request):
    institution = _institution(request)
    return _indicator_form(request, Indicator(institution=institution), _("New indicator"), reverse("indicator_list"))


@login_required
def indicator_edit(request, pk):
    indicator = _indicator(request, pk)
    return _indicator_form(request, indicator, _("Edit the indicator"), indicator.get_absolute_url())


@login_required
def indicator_target_add(request, pk):
    indicator = _indicator(request, pk)
    _require_define(request, indicator.institution_id)
    form = TargetForm(
        request.POST or None,
        instance=IndicatorTarget(indicator=indicator),
        institution=indicator.institution,
        frequency=indicator.frequency,
    )
    return save_form(
        request,
        form,
        lambda t: services.target_save(actor=request.user, target=t),
        success_url=indicator.get_absolute_url(),
        template="processes/indicators/form.html",
        context={
            "title": _("Target of %(indicator)s") % {"indicator": indicator},
            "back_url": indicator.get_absolute_url(),
        },
    )


@login_required
def indicator_value_add(request, pk):
    indicator = _indicator(request, pk)
    units = _enterable_units(request.user, indicator)
    if not units:
        raise PermissionDenied(_("You may not enter values of this indicator."))
    form = ValueForm(
        request.POST or None,
        request.FILES or None,
        institution=indicator.institution,
        units=Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path"),
        programme_level=indicator.level == IndicatorLevel.PROGRAMME,
        frequency=indicator.frequency,
        initial={"unit": units[0].pk, "period": 0},
    )

    def save(data):
        return services.value_enter(
            actor=request.user,
            indicator=indicator,
            year=data["year"],
            period=data["period"],
            unit=data["unit"],
            programme=data.get("programme"),
            value=data["value"],
            comment=data["comment"],
            evidence=data.get("evidence"),
        )

    return save_form(
        request,
        form,
        save,
        success_url=indicator.get_absolute_url(),
        template="processes/indicators/form.html",
        context={
            "title": _("Value of %(indicator)s") % {"indicator": indicator},
            "back_url": indicator.get_absolute_url(),
        },
        success_message=_("The value is recorded."),
    )


@login_required
def indicator_value_detail(request, pk):
    """One value: who entered it and when, the values it replaced, its evidence files."""
    institution = _institution(request)
    value = get_visible(
        IndicatorValue.objects.filter(
            indicator__in=selectors.indicators_for(request.user).filter(institution=institution)
        ).select_related("indicator", "unit", "programme", "entered_by", "superseded_by"),
        pk=pk,
    )
    return render(
        request,
        "processes/indicators/value_detail.html",
        {"value": value, "indicator": value.indicator, "history": selectors.scope_history(value)},
    )


@login_required
@require_POST
def indicator_compute(request, pk):
    indicator = _indicator(request, pk)
    unit = root_unit(indicator.institution_id)
    if request.POST.get("unit"):
        unit = Unit.objects.filter(institution=indicator.institution, pk=request.POST["unit"]).first() or unit
    try:
        year = int(request.POST.get("year", ""))
        value = services.indicator_compute(actor=request.user, indicator=indicator, year=year, unit=unit)
    except ValueError:
        messages.error(request, _("Choose the year."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if value is None:
            messages.warning(request, _("There is no data to compute it from for this year."))
        else:
            messages.success(request, _("Computed: %(value)s") % {"value": plain(value.value)})
    return redirect(indicator.get_absolute_url())
