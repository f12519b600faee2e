"""Reading the audit log: a record's history and the searchable log of the whole scope."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sapat.org import access
from sapat.org.access import Perm

from .models import AuditAction, AuditEntry
from .web import paginate

# Record types the log can be searched by; each app adds its own business models here.
AUDITED_APPS = (
    "org",
    "core",
    "documents",
    "processes",
    "complaints",
    "improvement",
    "surveys",
    "audits",
    "accreditation",
)


def scoped_log(user):
    access.require(user, Perm.VIEW_AUDIT)
    return AuditEntry.objects.filter(access.unit_q(user, Perm.VIEW_AUDIT)).select_related("content_type")


def history_entries(user, content_type, object_id):
    if not access.can(user, Perm.VIEW_AUDIT):
        return AuditEntry.objects.none()
    return scoped_log(user).filter(content_type=content_type, object_id=str(object_id))[:200]


class AuditSearchForm(forms.Form):
    who = forms.CharField(label=_("who"), required=False)
    record_type = forms.ModelChoiceField(label=_("record type"), queryset=ContentType.objects.none(), required=False)
    action = forms.ChoiceField(label=_("action"), choices=[("", "—"), *AuditAction.choices], required=False)
    date_from = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].queryset = ContentType.objects.filter(app_label__in=AUDITED_APPS).exclude(
            model__in=["auditentry"]
        )
        self.fields["record_type"].label_from_instance = lambda ct: str(ct.model_class()._meta.verbose_name)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


@login_required
def audit_log(request):
    entries = scoped_log(request.user)
    form = AuditSearchForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["who"]:
            entries = entries.filter(actor_name__icontains=data["who"])
        if data["record_type"]:
            entries = entries.filter(content_type=data["record_type"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lt=data["date_to"] + datetime.timedelta(days=1))
    return render(request, "core/audit_log.html", {"form": form, "page": paginate(request, entries)})
