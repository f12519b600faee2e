"""Every write to complaints: permission and state first, then the change, its audit entry
and the e-mails (sent once the transaction commits), in one transaction.

Who may do what:
- anyone, without an account: send one (`complaint_submit`) and, knowing its tracking code,
  add a message to it (`complaint_follow_up`);
- the quality department (HANDLE_COMPLAINTS at the institution's top unit): see every
  complaint of the institution, route it to a unit, answer it itself;
- the head and the quality responsible of the unit it is routed to (ANSWER_COMPLAINTS over
  that unit): see it, add internal notes, answer and close it.

Anonymity: an anonymous complaint, its messages and their audit entries name nobody, even
when the sender was signed in. `actor=None` is the sender or the system (the demo loader)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sapat.core import attachments
from sapat.core.audit import save_audited
from sapat.core.notify import notify
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.choices import Role
from sapat.org.models import Person, RoleAssignment, Unit

from .choices import MessageKind, Status
from .models import Complaint, ComplaintMessage, ComplaintSettings, new_tracking_code

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


def settings_for(institution_id) -> ComplaintSettings:
    return ComplaintSettings.objects.get_or_create(institution_id=institution_id)[0]


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days (Monday to Friday) after `start`."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def root_unit(institution_id) -> Unit | None:
    return Unit.objects.filter(institution_id=institution_id, parent__isnull=True).first()


def can_handle(user, institution_id) -> bool:
    root = root_unit(institution_id)
    return root is not None and access.can(user, Perm.HANDLE_COMPLAINTS, root)


def can_answer(user, complaint: Complaint) -> bool:
    """Also: may see it. The unit it is routed to, or the quality department."""
    if complaint.unit_id and access.can(user, Perm.ANSWER_COMPLAINTS, complaint.unit):
        return True
    return can_handle(user, complaint.institution_id)


def can_see_files(user, complaint) -> bool:
    return user is not None and can_answer(user, complaint)


def can_attach_file(user, complaint) -> bool:
    """The sender attaches a file while sending (no actor: they have no account, or are kept
    out of an anonymous complaint); afterwards those handling it may add evidence until closed."""
    if user is None:
        return complaint.status == Status.NEW
    return complaint.status != Status.CLOSED and can_answer(user, complaint)


def _deny(message):
    raise PermissionDenied(message)


def _require_handle(actor, institution_id):
    if actor is not None and not can_handle(actor, institution_id):
        _deny(_("Only the quality department receives and routes complaints."))


def _require_answer(actor, complaint):
    if actor is not None and not can_answer(actor, complaint):
        _deny(_("Only the unit this complaint is routed to, or the quality department, may answer it."))


def _require_open(complaint):
    if complaint.status == Status.CLOSED:
        raise ValidationError(_("This complaint has already been answered and closed."))


# --- who is told ------------------------------------------------------------------------------


def _current_roles(today=None):
    today = today or timezone.localdate()
    return RoleAssignment.objects.filter(valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def unit_recipients(unit: Unit) -> list[Person]:
    """The unit's head and quality responsible (as recorded on the unit and as role holders);
    where it has none, those of the nearest unit above it that has (a department without
    its own gets its faculty's)."""
    parts = unit.path.strip("/").split("/")
    ancestors = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
    rows = (
        _current_roles()
        .filter(role__in=[Role.UNIT_HEAD, Role.UNIT_QUALITY], unit__path__in=ancestors, user__person__isnull=False)
        .select_related("user__person__user", "unit")
    )
    by_depth = {}
    for row in rows:
        by_depth.setdefault(row.unit.path.count("/"), []).append(row.user.person)
    people = by_depth[max(by_depth)] if by_depth else []
    for person in (unit.head, unit.quality_responsible):
        if person is not None and person not in people:
            people.append(person)
    return people


def quality_department(institution_id) -> list[Person]:
    rows = _current_roles().filter(
        role=Role.QUALITY_DEPARTMENT, unit__institution_id=institution_id, user__person__isnull=False
    )
    return list(Person.objects.filter(user__role_assignments__in=rows).select_related("user").distinct())


@dataclass
class Sender:
    """The sender of a complaint as a mail recipient: an address and their language."""

    email: str
    language: str
    user = None


# --- the public side --------------------------------------------------------------------------


@transaction.atomic
def complaint_submit(*, actor, complaint: Complaint, upload=None) -> Complaint:
    """Receive a complaint from the public page, with an optional file. `actor` is the
    signed-in sender, if any: an anonymous complaint is stored without them (and logged, its
    file too, without them)."""
    if not complaint._state.adding:
        raise ValidationError(_("A complaint is sent once."))
    if complaint.anonymous:
        for name in CONTACT_FIELDS:
            if getattr(complaint, name).strip():
                raise ValidationError(
                    {
                        name: _(
                            "An anonymous message carries no name or contacts: clear them or do not send anonymously."
                        )
                    }
                )
        complaint.submitted_by = None
        actor = None
    else:
        complaint.contact_name = complaint.contact_name.strip()
        if not complaint.contact_name:
            raise ValidationError({"contact_name": _("Give your name, or send anonymously.")})
        if not (complaint.contact_email.strip() or complaint.contact_phone.strip()):
            raise ValidationError(
                {"contact_email": _("Give an e-mail address or a phone number, or send anonymously.")}
            )
        complaint.submitted_by = actor if actor is not None and actor.is_authenticated else None
        actor = complaint.submitted_by
    if complaint.concerns_unit_id and (
        complaint.concerns_unit.institution_id != complaint.institution_id or not complaint.concerns_unit.is_active
    ):
        raise ValidationError({"concerns_unit": _("Choose a unit of this institution.")})
    complaint.status = Status.NEW
    complaint.unit = None
    complaint.language = (translation.get_language() or "ky")[:2]
    complaint.full_clean(exclude=["tracking_code", "language"])
    _save_with_new_code(actor, complaint)
    if upload is not None:
        try:
            attachments.attachment_add(actor=None, record=complaint, upload=upload)
        except ValidationError as error:
            raise ValidationError({"upload": error.messages}) from error
    return complaint


def _save_with_new_code(actor, complaint):
    for _attempt in range(5):
        complaint.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():
                return save_audited(actor, complaint, validate=False)
        except IntegrityError:
            if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                raise
            complaint._state.adding = True
            complaint.pk = None
    raise RuntimeError("No free tracking code after five attempts")


@transaction.atomic
def complaint_follow_up(*, complaint: Complaint, text: str, contacts: dict | None = None) -> ComplaintMessage:
    """The sender adds a message through the tracking page. An anonymous complaint stays
    anonymous: a message that tries to add a name or contacts to it is refused. The sender
    of a named one may correct their contacts with it."""
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    contacts = {k: (v or "").strip() for k, v in (contacts or {}).items() if k in CONTACT_FIELDS}
    if complaint.anonymous and any(contacts.values()):
        raise ValidationError(
            _(
                "This message was sent anonymously and stays anonymous: it cannot be given a name or "
                "contacts later. If you want an answer by e-mail, send a new message with your contacts."
            )
        )
    _require_open(complaint)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your message.")})
    last = complaint.messages.filter(kind=MessageKind.FOLLOW_UP).order_by("-created_at", "-id").first()
    if last is not None and last.text == text:
        raise ValidationError({"text": _("This message has already been added.")})
    if not complaint.anonymous and any(contacts.values()):
        for name, value in contacts.items():
            if value:
                setattr(complaint, name, value)
        save_audited(None, complaint)
    message = save_audited(None, ComplaintMessage(complaint=complaint, kind=MessageKind.FOLLOW_UP, text=text))
    if complaint.unit_id:
        notify(unit_recipients(complaint.unit), "complaints/mail/follow_up", {"complaint": complaint})
    return message


# --- handling ---------------------------------------------------------------------------------


@transaction.atomic
def complaint_route(*, actor, complaint: Complaint, unit: Unit, category: str = "") -> Complaint:
    """Send the complaint to the unit that must answer it. The answer is due the institution's
    number of working days after the first routing; routing it again (to correct the unit)
    keeps that date: the sender has been waiting all along."""
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    _require_handle(actor, complaint.institution_id)
    _require_open(complaint)
    if unit is None or unit.institution_id != complaint.institution_id or not unit.is_active:
        raise ValidationError({"unit": _("Choose a unit of this institution that is not closed.")})
    if complaint.status == Status.ROUTED and complaint.unit_id == unit.pk and not category:
        raise ValidationError({"unit": _("The complaint is already with this unit.")})
    now = timezone.now()
    if complaint.due_on is None:
        days = settings_for(complaint.institution_id).response_days
        complaint.due_on = add_working_days(timezone.localdate(now), days)
    complaint.unit = unit
    complaint.routed_at = now
    complaint.status = Status.ROUTED
    if category:
        complaint.category = category
    save_audited(actor, complaint)
    notify(unit_recipients(unit), "complaints/mail/routed", {"complaint": complaint})
    return complaint


@transaction.atomic
def complaint_answer(*, actor, complaint: Complaint, answer: str, note: str = "") -> Complaint:
    """Write the answer the sender sees on the tracking page (and by e-mail, if they gave an
    address) and close the complaint; `note` stays internal."""
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("unit").get(pk=complaint.pk)
    _require_answer(actor, complaint)
    _require_open(complaint)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer the sender will see.")})
    complaint.answer = answer
    complaint.answered_at = timezone.now()
    complaint.answered_by = actor
    complaint.status = Status.CLOSED
    save_audited(actor, complaint)
    if (note or "").strip():
        save_audited(
            actor, ComplaintMessage(complaint=complaint, kind=MessageKind.NOTE, text=note.strip(), author=actor)
        )
    if not complaint.anonymous and complaint.contact_email:
        notify(
            [Sender(complaint.contact_email, complaint.language)], "complaints/mail/answered", {"complaint": complaint}
        )
    return complaint


@transaction.atomic
def complaint_note(*, actor, complaint: Complaint, text: str) -> ComplaintMessage:
    """An internal note of the people handling the complaint; the sender never sees it."""
    _require_answer(actor, complaint)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    return save_audited(actor, ComplaintMessage(complaint=complaint, kind=MessageKind.NOTE, text=text, author=actor))


@transaction.atomic
def settings_save(*, actor, obj: ComplaintSettings) -> ComplaintSettings:
    _require_handle(actor, obj.institution_id)
    return save_audited(actor, obj)


def overdue_remind(*, today=None, every_days: int = 7) -> int:
    """Tell each institution's quality department which complaints are past their due date;
    a complaint is listed again at most every `every_days` days. Returns e-mails queued."""
    today = today or timezone.localdate()
    due = (
        Complaint.objects.overdue(today)
        .filter(
            Q(overdue_reminded_on__isnull=True)
            | Q(overdue_reminded_on__lte=today - datetime.timedelta(days=every_days))
        )
        .select_related("unit")
        .order_by("institution_id", "due_on", "id")
    )
    by_institution = {}
    for complaint in due:
        by_institution.setdefault(complaint.institution_id, []).append(complaint)
    sent = 0
    for institution_id, complaints in by_institution.items():
        with transaction.atomic():
            sent += notify(quality_department(institution_id), "complaints/mail/overdue", {"complaints": complaints})
            for complaint in complaints:
                complaint.overdue_reminded_on = today
                save_audited(None, complaint, validate=False)
    return sent
