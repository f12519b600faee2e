from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.forms import DATE, unit_label
from sapat.org.models import Unit

from . import selectors
from .models import Process, ProcessInput, ProcessOutput, ProcessOwnership


class _ProcessLinksForm(forms.ModelForm):
    """Participating units and governing documents: the institution's open units and the
    documents the user may see, plus whatever the process already links (so that saving
    it unchanged keeps a closed unit or a document the user cannot open)."""

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.institution = user, institution
        current_units = self.instance.units.values("pk") if self.instance.pk else Unit.objects.none()
        units = Unit.objects.filter(institution=institution).filter(Q(closed_on__isnull=True) | Q(pk__in=current_units))
        # The chosen ones first: a long list scrolled away hides what is already linked.
        chosen = Exists(current_units.filter(pk=OuterRef("pk")))
        self.fields["units"].queryset = units.annotate(chosen=chosen).order_by("-chosen", "path")
        self.fields["units"].label_from_instance = unit_label
        self.fields["units"].widget.attrs["size"] = 10
        if "documents" in self.fields:
            from sapat.documents.models import Document
            from sapat.documents.selectors import documents_for

            visible = documents_for(user).filter(institution=institution).values("pk")
            current = self.instance.documents.values("pk") if self.instance.pk else Document.objects.none()
            self.fields["documents"].queryset = (
                Document.objects.filter(Q(pk__in=visible) | Q(pk__in=current))
                .annotate(chosen=Exists(current.filter(pk=OuterRef("pk"))))
                .order_by("-chosen", "code")
            )
            self.fields["documents"].widget.attrs["size"] = 8
        for name in ("units", "documents"):
            if name in self.fields:
                self.fields[name].help_text = _("Hold Ctrl (or ⌘) to choose several.")


class ProcessForm(_ProcessLinksForm):
    """The whole record, for those who keep the register."""

    class Meta:
        model = Process
        fields = [
            "group",
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "short_name_ky",
            "short_name_ru",
            "short_name_en",
            "purpose",
            "resources",
            "units",
            "documents",
            "is_active",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}), "resources": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            self.instance.institution = self.institution  # the model's checks need it


class ProcessMapForm(_ProcessLinksForm):
    """The map only, for the process's owner."""

    class Meta:
        model = Process
        fields = ["purpose", "resources", "units", "documents"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4}), "resources": forms.Textarea(attrs={"rows": 3})}


class OwnershipForm(forms.ModelForm):
    class Meta:
        model = ProcessOwnership
        fields = ["person", "position_title", "unit", "start_date"]
        widgets = {"start_date": DATE}

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = org_selectors.people_for(user).filter(
            institution=institution, left_on__isnull=True
        )
        self.fields["person"].help_text = _("Leave empty when the register names only a position or a unit.")
        self.fields["position_title"].help_text = _(
            "As the register writes it; the person's current post when left empty."
        )
        self.fields["unit"].queryset = Unit.objects.filter(institution=institution, closed_on__isnull=True).order_by(
            "path"
        )
        self.fields["unit"].label_from_instance = unit_label


class _ItemForm(forms.ModelForm):
    link_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.link_field]
        field.queryset = selectors.linkable_processes(self.instance.process)
        field.label_from_instance = lambda p: f"{p.code} {p.name}"


class InputForm(_ItemForm):
    link_field = "supplier_process"

    class Meta:
        model = ProcessInput
        fields = ["name", "supplier", "supplier_process"]
        help_texts = {"supplier_process": _("When the input comes from another process of the register.")}


class OutputForm(_ItemForm):
    link_field = "customer_process"

    class Meta:
        model = ProcessOutput
        fields = ["name", "customer", "customer_process"]
        help_texts = {"customer_process": _("When another process of the register receives the output.")}
