"""The data of the documents module's reports and printed forms: the register of documents
in force, the acquaintance sheet and the acquaintance status, the change registration
sheet, documents due for review. Everything is read through the visibility selectors, and
each report costs the same few queries whatever the number of documents."""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Person, Position, Unit
from sapat.org.selectors import units_for

from . import selectors
from .choices import DocumentStatus, Level, RevisionState
from .models import Acquaintance, Document, Revision

# Blank ruled rows printed under the entries of the change registration sheet, as on the
# paper form; the sheet is padded to at least MIN_CHANGE_ROWS rows.
EMPTY_CHANGE_ROWS = 5
MIN_CHANGE_ROWS = 12


def _today() -> datetime.date:
    return timezone.localdate()


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def level_short(level: str) -> str:
    """'1' … '4', or 'Base' for laws and external documents."""
    return _("Base") if level == Level.BASE else str(level)


# --- positions ------------------------------------------------------------------------------


def _positions_by_person(person_ids) -> dict[int, list[Position]]:
    """Every position of these people, newest first, in one query."""
    result: dict[int, list[Position]] = {}
    if not person_ids:
        return result
    for position in Position.objects.filter(person_id__in=set(person_ids)).order_by("-start_date", "-id"):
        result.setdefault(position.person_id, []).append(position)
    return result


def _position_title(positions: list[Position], unit_id, day: datetime.date, *, same_unit_only: bool) -> str:
    """The title of the post held on `day`, in the person's unit if they held one there."""
    held = [
        p
        for p in positions
        if (p.start_date is None or p.start_date <= day) and (p.end_date is None or p.end_date >= day)
    ]
    in_unit = [p for p in held if p.unit_id == unit_id]
    chosen = in_unit or ([] if same_unit_only else held)
    return chosen[0].display_title if chosen else ""


# --- the register of documents in force ---------------------------------------------------------


@dataclass
class RegisterRow:
    number: int
    document: Document
    revision: Revision | None

    @property
    def level(self) -> str:
        return self.document.doc_type.level

    @property
    def level_short(self) -> str:
        return level_short(self.level)

    @property
    def level_label(self) -> str:
        return self.document.doc_type.get_level_display()

    def values(self) -> list:
        d, r = self.document, self.revision
        return [
            d.code,
            d.title,
            d.doc_type.name,
            self.level_short,
            d.unit.name,
            d.owner.full_name if d.owner else "",
            r.number if r else None,
            r.effective_date if r else None,
            d.next_review_on,
        ]


def register_headers() -> list[str]:
    return [
        _("Code"),
        _("Title"),
        _("Type"),
        _("Level"),
        pgettext("document", "Owning unit"),
        _("Owner"),
        _("Revision in force"),
        _("In force from"),
        _("Next review"),
    ]


def documents_in_force(user, institution):
    """Documents in force of `institution` the user may open, by level then code."""
    if institution is None:
        return Document.objects.none()
    return (
        selectors.documents_for(user)
        .filter(institution=institution, status=DocumentStatus.IN_FORCE)
        .order_by("doc_type__level", "code")
    )


def register(user, institution) -> list[RegisterRow]:
    """The register of documents in force (two queries)."""
    documents = documents_in_force(user, institution).prefetch_related(
        Prefetch("revisions", queryset=Revision.objects.filter(state=RevisionState.IN_FORCE), to_attr="in_force")
    )
    return [RegisterRow(n, d, d.in_force[0] if d.in_force else None) for n, d in enumerate(documents, start=1)]


def register_groups(rows: list[RegisterRow]) -> list[tuple[str, list[RegisterRow]]]:
    """The register's rows under their level's heading."""
    return [(group[0].level_label, group) for _level, g in groupby(rows, key=lambda r: r.level) if (group := list(g))]


# --- the acquaintance sheet of one revision -------------------------------------------------------


@dataclass
class AcquaintanceLine:
    number: int
    person: Person
    position: str
    unit: Unit
    asked_on: datetime.date | None
    read_on: datetime.date | None


def acquaintance_sheet(revision: Revision) -> list[AcquaintanceLine]:
    """Who was asked to read the revision, with their current post in their unit (two queries)."""
    rows = list(selectors.acquaintance_status(revision))
    positions = _positions_by_person([a.person_id for a in rows])
    today = _today()
    return [
        AcquaintanceLine(
            number=n,
            person=a.person,
            position=_position_title(positions.get(a.person_id, []), a.person.unit_id, today, same_unit_only=True),
            unit=a.person.unit,
            asked_on=_local_date(a.requested_at),
            read_on=_local_date(a.confirmed_at),
        )
        for n, a in enumerate(rows, start=1)
    ]


# --- the change registration sheet --------------------------------------------------------------


@dataclass
class ChangeLine:
    number: int | None
    person: Person | None = None
    position: str = ""
    clauses: str = ""
    date: datetime.date | None = None
    kind: str = ""

    @property
    def number_label(self) -> str:
        return f"{self.number:02d}" if self.number else ""


def change_sheet(document: Document) -> list[ChangeLine]:
    """The entries of the change registration sheet (selectors.change_sheet), each with the
    post its author held on that day, followed by blank ruled rows as on the paper form."""
    entries = selectors.change_sheet(document)
    positions = _positions_by_person([e["person"].pk for e in entries if e["person"]])
    lines = []
    for entry in entries:
        person = entry["person"]
        position = (
            _position_title(positions.get(person.pk, []), person.unit_id, entry["date"], same_unit_only=False)
            if person
            else ""
        )
        clauses = entry["clauses"] or ""
        if entry["revision"]:
            clauses = _("Revision %(number)s: %(clauses)s") % {"number": entry["revision"], "clauses": clauses}
        lines.append(ChangeLine(entry["row"], person, position, clauses.rstrip(": "), entry["date"], entry["kind"]))
    blank = max(EMPTY_CHANGE_ROWS, MIN_CHANGE_ROWS - len(lines))
    return lines + [ChangeLine(None) for _n in range(blank)]


# --- acquaintance status per document and per unit -------------------------------------------------


@dataclass
class Tally:
    asked: int = 0
    read: int = 0

    @property
    def not_read(self) -> int:
        return self.asked - self.read

    @property
    def percent(self) -> int | None:
        return round(100 * self.read / self.asked) if self.asked else None


@dataclass
class DocumentTally(Tally):
    document: Document | None = None
    revision_number: int | None = None


@dataclass
class UnitTally(Tally):
    unit: Unit | None = None
    indent: int = 0


@dataclass
class AcquaintanceReport:
    units: list[Unit] = field(default_factory=list)  # the units the report may be narrowed to
    unit: Unit | None = None  # the chosen one
    documents: list[DocumentTally] = field(default_factory=list)
    by_unit: list[UnitTally] = field(default_factory=list)


def _still_here() -> Q:
    # People who have left are no longer expected to read anything.
    return Q(person__left_on__isnull=True) | Q(person__left_on__gt=_today())


def managed_in_force(user, institution):
    """Documents in force the user may open and manages (owner, or documents in scope)."""
    documents = documents_in_force(user, institution)
    if getattr(user, "is_superuser", False):
        return documents
    manages = access.unit_q(user, Perm.MANAGE_DOCUMENTS)
    person = getattr(user, "person", None)
    if person is not None:
        manages |= Q(owner=person)
    return documents.filter(manages)


def acquaintance_report(user, institution, unit_id=None) -> AcquaintanceReport:
    """How far the revisions in force have been read: per document the user manages, and per
    unit of the user's scope (each unit with everything below it, people counted once: read
    means they have read everything they were asked). `unit_id` narrows both to the people
    of that unit and below. Four queries."""
    report = AcquaintanceReport()
    if institution is None:
        return report
    report.units = list(units_for(user, Perm.MANAGE_DOCUMENTS).filter(institution=institution).order_by("path"))
    report.unit = next((u for u in report.units if str(u.pk) == str(unit_id)), None) if unit_id else None
    people_q = _still_here()
    if report.unit is not None:
        people_q &= Q(person__unit__path__startswith=report.unit.path)

    # Per document: one grouped query over the revisions in force.
    acq = "revisions__acquaintances"
    counted = Q(revisions__state=RevisionState.IN_FORCE) & _prefix(people_q, f"{acq}__")
    documents = managed_in_force(user, institution).annotate(
        asked=Count(acq, filter=counted),
        read=Count(acq, filter=counted & Q(**{f"{acq}__confirmed_at__isnull": False})),
        revision_number=Max("revisions__number", filter=Q(revisions__state=RevisionState.IN_FORCE)),
    )
    for d in documents:
        if report.unit is not None and not d.asked:
            continue
        report.documents.append(
            DocumentTally(asked=d.asked, read=d.read, document=d, revision_number=d.revision_number)
        )

    # Per unit: one row per person asked (how many requests, how many still open), rolled
    # up the tree in Python.
    shown = [u for u in report.units if report.unit is None or u.path.startswith(report.unit.path)]
    if shown:
        people = (
            Acquaintance.objects.filter(
                people_q,
                access.unit_q(user, Perm.MANAGE_DOCUMENTS, prefix="person__unit"),
                revision__state=RevisionState.IN_FORCE,
                revision__document__in=documents_in_force(user, institution).values("pk"),
            )
            .values("person_id", "person__unit__path")
            .annotate(pending=Count("pk", filter=Q(confirmed_at__isnull=True)))
        )
        tallies = {u.pk: UnitTally(unit=u) for u in shown}
        for row in people:
            for unit_pk in (int(part) for part in row["person__unit__path"].strip("/").split("/")):
                tally = tallies.get(unit_pk)
                if tally is not None:
                    tally.asked += 1
                    tally.read += 0 if row["pending"] else 1
        top = min(u.depth for u in shown)
        for u in shown:
            tallies[u.pk].indent = u.depth - top
        report.by_unit = list(tallies.values())
    return report


def _prefix(q: Q, prefix: str) -> Q:
    """The same filter, on a relation reached through `prefix`."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    clone.children = [
        _prefix(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1]) for child in q.children
    ]
    return clone


def acquaintance_document_headers() -> list[str]:
    return [
        _("Code"),
        _("Title"),
        _("Revision"),
        pgettext("document", "Owning unit"),
        _("Asked"),
        _("Read"),
        _("Not read"),
        _("Read, %"),
    ]


def acquaintance_unit_headers() -> list[str]:
    return [_("Unit code"), _("Unit"), _("People asked"), _("Have read"), _("Not yet"), _("Read, %")]


def acquaintance_document_values(t: DocumentTally) -> list:
    d = t.document
    return [d.code, d.title, t.revision_number, d.unit.name, t.asked, t.read, t.not_read, t.percent]


def acquaintance_unit_values(t: UnitTally) -> list:
    return [t.unit.code, t.unit.name, t.asked, t.read, t.not_read, t.percent]


# --- documents due for review ------------------------------------------------------------------


@dataclass
class ReviewRow:
    document: Document
    last_reviewed: datetime.date | None
    days_left: int  # negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    def values(self) -> list:
        d = self.document
        return [
            d.code,
            d.title,
            d.unit.name,
            d.owner.full_name if d.owner else "",
            d.next_review_on,
            self.last_reviewed,
            self.days_left,
        ]


def review_due_headers() -> list[str]:
    return [
        _("Code"),
        _("Title"),
        pgettext("document", "Owning unit"),
        _("Owner"),
        _("Next review"),
        _("Last reviewed"),
        _("Days left (negative: overdue)"),
    ]


def review_due(user, institution, *, within_days=30) -> list[ReviewRow]:
    """Documents in force due for review within `within_days` or overdue, oldest first (one query)."""
    if institution is None:
        return []
    today = _today()
    documents = (
        selectors.review_due(user, within_days=within_days)
        .filter(institution=institution)
        .annotate(last_reviewed=Max("reviews__reviewed_on"))
        .order_by("next_review_on", "code")
    )
    return [ReviewRow(d, d.last_reviewed, (d.next_review_on - today).days) for d in documents]
