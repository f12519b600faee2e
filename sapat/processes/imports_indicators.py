"""Importing indicator values from XLSX or CSV with the shared importer of `sapat.org.imports`:
the same header mapping in three languages, the same template, the same all-or-nothing
transaction. Every row goes through `services_indicators.value_enter`, so permission, range,
year and history are exactly those of the entry form."""

import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapat.org.imports import Importer, RowFailed, RowForm
from sapat.org.models import Programme

from . import services_indicators as services
from .models_indicators import Indicator, IndicatorValue
from .services import root_unit

# Keys of the service's ValidationError and the column the user filled for them.
SERVICE_FIELD_COLUMNS = {
    "unit": "unit_code",
    "programme": "programme_code",
    "year": "year",
    "period": "period",
    "value": "value",
}


class IndicatorValueRow(RowForm):
    indicator_code = forms.CharField(label=gettext_lazy("Indicator code"), max_length=32)
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=1990,
        max_value=2100,
        help_text=gettext_lazy("The first calendar year of the academic year: 2025 for 2025–2026."),
    )
    unit_code = forms.CharField(
        label=gettext_lazy("Unit code"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Blank for the whole institution."),
    )
    programme_code = forms.CharField(
        label=gettext_lazy("Programme code"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Only for values of a programme."),
    )
    value = forms.CharField(label=gettext_lazy("Value"), max_length=64, help_text=gettext_lazy("A number, e.g. 12.5."))
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False)
    period = forms.IntegerField(
        label=gettext_lazy("Period"),
        required=False,
        help_text=gettext_lazy(
            "Blank or 0 for a yearly indicator; the semester (1–2), quarter (1–4) or month (1–12) otherwise."
        ),
    )

    def __init__(self, *args, data=None, **kwargs):
        # "2025-2026" and "2025–2026" read as 2025; numbers from a spreadsheet stay exact.
        if data:
            data = dict(data)
            if isinstance(data.get("year"), str):
                match = re.match(r"^\s*(\d{4})", data["year"])
                data["year"] = match.group(1) if match else data["year"]
            if data.get("value") not in (None, "") and not isinstance(data["value"], str):
                data["value"] = str(data["value"])
        super().__init__(*args, data=data, **kwargs)


class IndicatorValueImporter(Importer):
    kind = "indicator_values"
    title = gettext_lazy("Indicator values")
    description = gettext_lazy(
        "Values of indicators per year (and semester, quarter or month) and unit or programme. A "
        "value already stored for the same indicator, period and scope is corrected, and the old "
        "one is kept in its history; the same indicator, period and scope twice in one file is refused."
    )
    form_class = IndicatorValueRow
    example = ["EMPLOY", "2025-2026", "", "", "78.5", "", ""]

    def __init__(self, actor, institution):
        super().__init__(actor, institution)
        self.seen: set[tuple] = set()

    def _indicator(self, code) -> Indicator:
        indicator = Indicator.objects.filter(institution=self.institution, code=code).first()
        if indicator is None:
            raise RowFailed({"indicator_code": [_("No indicator with code %(code)s.") % {"code": code}]})
        if indicator.is_computed:
            raise RowFailed({"indicator_code": [_("This indicator is computed, not entered by hand.")]})
        return indicator

    def _programme(self, code) -> Programme:
        programmes = list(Programme.objects.filter(institution=self.institution, code=code)[:2])
        if not programmes:
            raise RowFailed({"programme_code": [_("No programme with code %(code)s.") % {"code": code}]})
        if len(programmes) > 1:
            raise RowFailed(
                {
                    "programme_code": [
                        _("Several programmes have code %(code)s; enter these values on the page.") % {"code": code}
                    ]
                }
            )
        return programmes[0]

    def save_row(self, data) -> bool:
        indicator = self._indicator(data["indicator_code"])
        unit = self.unit_by_code(data["unit_code"]) if data["unit_code"] else None
        programme = self._programme(data["programme_code"]) if data["programme_code"] else None
        if programme is not None:
            if unit is not None and unit.pk != programme.unit_id:
                raise RowFailed({"programme_code": [_("The programme does not belong to this unit.")]})
            unit = programme.unit
        unit = unit or root_unit(self.institution.pk)
        period = data["period"] or 0
        key = (indicator.pk, data["year"], period, unit.pk if unit else None, programme.pk if programme else None)
        if key in self.seen:
            raise RowFailed(
                {
                    "indicator_code": [
                        _(
                            "This indicator, period and unit or programme already appear in an earlier "
                            "row of this file: a value is imported only once."
                        )
                    ]
                }
            )
        self.seen.add(key)
        current = IndicatorValue.objects.filter(
            indicator=indicator, year=data["year"], period=period, superseded_by__isnull=True
        )
        current = current.filter(programme=programme) if programme else current.filter(unit=unit, programme=None)
        created = not current.exists()
        try:
            services.value_enter(
                actor=self.actor,
                indicator=indicator,
                year=data["year"],
                period=period,
                unit=unit,
                programme=programme,
                value=data["value"],
                comment=data["comment"],
            )
        except PermissionDenied as denied:
            raise RowFailed({"programme_code" if programme else "unit_code": [str(denied)]}) from None
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise RowFailed(
                {SERVICE_FIELD_COLUMNS.get(name, ""): messages for name, messages in error.message_dict.items()}
            ) from None
        return created
