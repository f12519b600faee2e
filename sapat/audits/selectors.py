"""Reads of the audit module. The programme, the pool and the audits of an institution are
seen by those holding VIEW_AUDITS there (the quality department, management, unit heads and
quality responsibles, process owners, auditors); an audit is also seen by its team and by
the people its report was distributed to. Lists fetch what they show up front."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from sapat.core.models import Attachment
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.selectors import get_visible

from .choices import Answer
from .models import Audit, Auditor, AuditProgramme, ChecklistItem, ProgrammeEntry, ProgrammeVersion


def _institutions_q(user, prefix="institution_id"):
    ids = access.institution_ids(user, Perm.VIEW_AUDITS)
    return Q() if ids is None else Q(**{f"{prefix}__in": ids})


def programmes_for(user):
    return AuditProgramme.objects.filter(_institutions_q(user)).select_related("academic_year", "institution")


def auditors_for(user):
    return (
        Auditor.objects.filter(_institutions_q(user))
        .select_related("person__unit")
        .annotate(training_count=Count("trainings"))
    )


def audits_for(user):
    person = getattr(user, "person", None) if user.is_authenticated else None
    q = _institutions_q(user)
    if person is not None and q != Q():
        q |= Q(team__person=person) | Q(lead_auditor__person=person) | Q(recipients__person=person)
    ids = Audit.objects.filter(q).values("pk")
    return Audit.objects.filter(pk__in=ids).select_related("institution", "lead_auditor__person")


def audit_list(user, institution, *, state="", year=None):
    qs = (
        audits_for(user)
        .filter(institution=institution)
        .annotate(
            question_count=Count("checklist", distinct=True),
            answered_count=Count("checklist", filter=~Q(checklist__answer=Answer.OPEN), distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .prefetch_related("units")
        .order_by("-start_date", "-id")
    )
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(start_date__year=year)
    return qs


def audit_detail(user, pk) -> Audit:
    return get_visible(audits_for(user).prefetch_related("units", "processes", "programmes", "team__person"), pk=pk)


def version_entries(version: ProgrammeVersion):
    return version.entries.select_related("lead_auditor__person").prefetch_related(
        "units",
        "processes",
        "programmes",
        "team__person",
        Prefetch("audits", queryset=Audit.objects.only("id", "code", "entry_id", "state")),
    )


def checklist(audit):
    """The audit's questions with the number of evidence files of each (one query for all)."""
    evidence = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ChecklistItem), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ChecklistItem.objects.filter(audit=audit)
        .select_related("process", "document", "answered_by")
        .annotate(evidence_count=Coalesce(Subquery(evidence, output_field=IntegerField()), 0))
        .order_by("order", "id")
    )


def entry_detail(user, pk) -> ProgrammeEntry:
    return get_visible(
        ProgrammeEntry.objects.filter(_institutions_q(user, "version__programme__institution_id")).select_related(
            "version__programme__institution"
        ),
        pk=pk,
    )
