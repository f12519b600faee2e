"""Who sees which document. Managers (owners, the quality department, unit heads and unit
quality responsibles in their scope) see everything of their documents; people taking part
in a draft (author, agreers, approver) see it; everyone else in the institution sees the
documents in force that are published institution-wide or distributed to them or to a unit
above their own."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Position, Unit

from .choices import ApproverKind, DocumentStatus, RevisionState
from .models import Acquaintance, AgreementStep, Document, LanguageVersion, Record, RecordType, Revision

# Revisions on their way to coming into force: shown only to those who may see drafts.
PREPARATION_STATES = (
    RevisionState.DRAFT,
    RevisionState.AGREEMENT,
    RevisionState.APPROVAL,
    RevisionState.APPROVED,
    RevisionState.REGISTERED,
)


def _person(user):
    return getattr(user, "person", None) if user.is_authenticated else None


def documents_for(user):
    """Every document the user may open, with what lists show fetched up front."""
    base = Document.objects.select_related("doc_type", "unit", "owner")
    if getattr(user, "is_superuser", False):
        return base
    visible = access.unit_q(user, Perm.MANAGE_DOCUMENTS)
    if visible == Q():
        return base  # a grant covering every institution: nothing to narrow
    person = _person(user)
    institutions = access.institution_ids(user, Perm.VIEW_ORG)
    if person is not None:
        visible |= Q(owner=person)
        visible |= Exists(AgreementStep.objects.filter(revision__document=OuterRef("pk"), person=person)) | Q(
            doc_type__approver=person
        )
        visible |= Q(revisions__author=user)
        ancestors = [int(pk) for pk in person.unit.path.strip("/").split("/") if pk]
        in_force = Q(status=DocumentStatus.IN_FORCE) & (
            Q(institution_wide=True) | Q(distributed_people=person) | Q(distributed_units__in=ancestors)
        )
        if institutions is None or person.institution_id in institutions:
            visible |= Q(institution_id=person.institution_id) & in_force
    if institutions is None:
        # Analysts read the documents every institution has in force and published.
        visible |= Q(status=DocumentStatus.IN_FORCE, institution_wide=True)
    return base.filter(pk__in=Document.objects.filter(visible).values("pk"))


def document_detail(user, pk) -> Document:
    from sapat.org.selectors import get_visible

    return get_visible(documents_for(user), pk=pk)


def revisions_of(document):
    return document.revisions.select_related("author", "approved_by", "approval_body").prefetch_related(
        "versions", Prefetch("agreement_steps", queryset=AgreementStep.objects.select_related("person"))
    )


def in_force_revision(document) -> Revision | None:
    return document.revisions.filter(state=RevisionState.IN_FORCE).first()


def with_in_force(documents):
    """Documents with the number and effective date of their revision in force, read in
    the same query (for lists)."""
    in_force = Revision.objects.filter(document=OuterRef("pk"), state=RevisionState.IN_FORCE)
    return documents.annotate(
        in_force_number=Subquery(in_force.values("number")[:1]),
        in_force_date=Subquery(in_force.values("effective_date")[:1]),
    )


def current_posts(person_ids) -> dict:
    """Each person's current post (the first one, by start date), for sheets that name
    people with their position."""
    posts = {}
    for position in Position.objects.current().filter(person_id__in=set(person_ids)).order_by("-start_date", "id"):
        posts.setdefault(position.person_id, position.display_title)
    return posts


def visible_file(user, pk) -> LanguageVersion:
    """A stored file the user may download: its document is visible to them and, while
    its revision is still being prepared, they may see drafts. 404 otherwise."""
    version = (
        LanguageVersion.objects.select_related("revision__document__doc_type")
        .filter(pk=pk, revision__document__in=documents_for(user).values("pk"))
        .exclude(file="")
        .first()
    )
    if version is None:
        raise Http404
    if version.revision.state in PREPARATION_STATES and not can_see_drafts(user, version.revision.document):
        raise Http404
    return version


def my_approvals(user):
    """Revisions awaiting the user's approval: as the official named for their type, or as
    the quality department entering a council's decision (or approving where no official
    is named)."""
    person = _person(user)
    waiting = Revision.objects.filter(state=RevisionState.APPROVAL).select_related(
        "document__doc_type", "document__unit"
    )
    mine = Q(pk__in=[])
    if person is not None:
        mine = Q(document__doc_type__approver_kind=ApproverKind.PERSON, document__doc_type__approver=person)
    roots = []
    if access.can(user, Perm.MANAGE_DOCUMENTS):
        roots = [
            r.institution_id
            for r in Unit.objects.filter(parent__isnull=True)
            if access.can(user, Perm.MANAGE_DOCUMENTS, r)
        ]
    if roots:
        mine |= Q(document__institution_id__in=roots) & (
            Q(document__doc_type__approver_kind=ApproverKind.COUNCIL)
            | Q(document__doc_type__approver_kind=ApproverKind.PERSON, document__doc_type__approver__isnull=True)
        )
    return waiting.filter(mine).order_by("document__code")


def my_drafts(user):
    """Drafts the user is preparing: as their author or as the document's owner."""
    person = _person(user)
    mine = Q(author=user)
    if person is not None:
        mine |= Q(document__owner=person)
    return (
        Revision.objects.filter(state=RevisionState.DRAFT)
        .filter(mine)
        .select_related("document__doc_type", "document__unit")
        .order_by("document__code")
    )


def change_sheet(document) -> list[dict]:
    """The change registration sheet (өзгөрүүлөрдү каттоо барагы): every revision that came
    into force after the first, and every periodic review, in date order, numbered."""
    rows = []
    for revision in (
        document.revisions.filter(number__gt=1, effective_date__isnull=False)
        .exclude(state__in=[RevisionState.DRAFT, RevisionState.AGREEMENT, RevisionState.APPROVAL])
        .select_related("author__person")
    ):
        author = getattr(revision.author, "person", None) if revision.author else None
        rows.append(
            {
                "date": revision.effective_date,
                "revision": revision.number,
                "person": author,
                "clauses": revision.clauses or revision.summary,
                "kind": "revision",
            }
        )
    for review in document.reviews.select_related("reviewed_by"):
        rows.append(
            {
                "date": review.reviewed_on,
                "revision": None,
                "person": review.reviewed_by,
                "clauses": review.get_outcome_display() + (f": {review.note}" if review.note else ""),
                "kind": "review",
            }
        )
    rows.sort(key=lambda row: row["date"])
    posts = current_posts(row["person"].pk for row in rows if row["person"] is not None)
    for number, row in enumerate(rows, start=1):
        row["row"] = number
        row["position"] = posts.get(row["person"].pk, "") if row["person"] is not None else ""
    return rows


def acquaintance_status(revision):
    return revision.acquaintances.select_related("person__unit").order_by(
        "person__unit__path", "person__last_name", "person__first_name"
    )


def my_pending_acquaintances(user):
    person = _person(user)
    if person is None:
        return Acquaintance.objects.none()
    return Acquaintance.objects.filter(
        person=person, confirmed_at__isnull=True, revision__state=RevisionState.IN_FORCE
    ).select_related("revision__document")


def my_agreement_turns(user):
    """Agreement lines waiting for this user (only where it is their turn)."""
    person = _person(user)
    if person is None:
        return AgreementStep.objects.none()
    earlier_pending = AgreementStep.objects.filter(
        revision=OuterRef("revision"), order__lt=OuterRef("order"), decision="pending"
    )
    return (
        AgreementStep.objects.filter(person=person, decision="pending", revision__state=RevisionState.AGREEMENT)
        .exclude(Exists(earlier_pending))
        .select_related("revision__document")
    )


def review_due(user, *, within_days=30):
    """Documents in force due for review in the next `within_days`, or overdue."""
    horizon = timezone.localdate() + timezone.timedelta(days=within_days)
    documents = documents_for(user)
    managed = access.unit_q(user, Perm.MANAGE_DOCUMENTS)
    if managed != Q():  # (an empty Q means everywhere; OR-ing onto it would narrow it)
        person = _person(user)
        if person is not None:
            managed |= Q(owner=person)  # owners manage their documents wherever they sit
        documents = documents.filter(managed)
    return documents.filter(status=DocumentStatus.IN_FORCE, next_review_on__lte=horizon).order_by("next_review_on")


def records_for(user):
    return Record.objects.filter(access.unit_q(user, Perm.VIEW_ORG)).select_related(
        "record_type", "unit", "disposed_by"
    )


def records_due_for_disposal(user):
    return records_for(user).filter(
        access.unit_q(user, Perm.MANAGE_RECORDS), disposed_on__isnull=True, keep_until__lt=timezone.localdate()
    )


def record_types_for(user):
    ids = access.institution_ids(user)
    qs = RecordType.objects.select_related("unit")
    return qs if ids is None else qs.filter(institution_id__in=ids)


def can_see_drafts(user, document) -> bool:
    """Revisions still in preparation are shown to managers and the people working on them."""
    from .services import can_manage

    if can_manage(user, document):
        return True
    person = _person(user)
    if person is None:
        return False
    return (
        document.revisions.filter(author=user).exists()
        or AgreementStep.objects.filter(revision__document=document, person=person).exists()
        or document.doc_type.approver_id == person.pk
    )


def revision_detail(user, pk) -> Revision:
    """A revision of a visible document; one still being prepared only for those who may
    see drafts. 404 otherwise."""
    from sapat.org.selectors import get_visible

    revision = get_visible(
        Revision.objects.select_related("document__doc_type", "document__unit", "document__owner").filter(
            document__in=documents_for(user).values("pk")
        ),
        pk=pk,
    )
    if revision.state in PREPARATION_STATES and not can_see_drafts(user, revision.document):
        raise Http404
    return revision
