"""Every write to the organisation goes through here: permission first, then validation,
then the save and its audit log entry, in one transaction."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import record, save_audited, snapshot
from sapat.core.models import AuditAction, User

from . import access
from .access import Perm
from .choices import Role
from .models import (
    AcademicYear,
    ContingentFigure,
    Institution,
    Person,
    Position,
    Programme,
    RoleAssignment,
    Semester,
    StudentGroup,
    Unit,
)


def _original(instance):
    return None if instance._state.adding else type(instance)._base_manager.get(pk=instance.pk)


def _save_in_scope(actor, perm, instance, unit_of):
    """Save a record the actor may write both where it was and where it is going."""
    original = _original(instance)
    if original is not None:
        access.require(actor, perm, unit_of(original))
    access.require(actor, perm, unit_of(instance))
    return save_audited(actor, instance)


# --- institutions and units ---------------------------------------------------------------


@transaction.atomic
def institution_create(*, actor, institution: Institution, root: Unit) -> Institution:
    """Only a superuser (or the demo loader) founds an institution with its root unit."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only a system administrator can add an institution."))
    institution.full_clean()
    institution.save()
    root.institution = institution
    root.parent = None
    save_audited(actor, root)
    # Logged once its top unit exists, so that the entry falls in the institution's scope.
    record(actor=actor, instance=institution, action=AuditAction.CREATE, after=snapshot(institution))
    return institution


@transaction.atomic
def unit_create(*, actor, unit: Unit) -> Unit:
    if unit.parent_id is None:
        raise ValidationError({"parent": _("Choose the unit this one belongs to.")})
    access.require(actor, Perm.MANAGE_UNITS, unit.parent)
    if not unit.parent.is_active:
        raise ValidationError({"parent": _("A closed unit cannot get new sub-units.")})
    unit.institution_id = unit.parent.institution_id
    return save_audited(actor, unit)


@transaction.atomic
def unit_update(*, actor, unit: Unit) -> Unit:
    """Rename, re-type, change head or move. A move needs the right at both ends."""
    original = _original(unit)
    access.require(actor, Perm.MANAGE_UNITS, original)
    if unit.parent_id != original.parent_id:
        if original.parent_id is None or unit.parent_id is None:
            raise ValidationError({"parent": _("The institution's top unit cannot be moved.")})
        access.require(actor, Perm.MANAGE_UNITS, unit.parent)
        if not unit.parent.is_active:
            raise ValidationError({"parent": _("A closed unit cannot get new sub-units.")})
    unit.institution_id = original.institution_id
    return save_audited(actor, unit)


@transaction.atomic
def unit_close(*, actor, unit: Unit, closed_on=None) -> Unit:
    access.require(actor, Perm.MANAGE_UNITS, unit)
    if unit.parent_id is None:
        raise ValidationError(_("The institution's top unit cannot be closed."))
    closed_on = closed_on or timezone.localdate()
    # A sub-unit closing later than this one is still open on the closing day.
    open_children = unit.children.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=closed_on)).exists()
    if open_children:
        raise ValidationError(_("Close or move its sub-units first."))
    unit.closed_on = closed_on
    return save_audited(actor, unit)


@transaction.atomic
def unit_reopen(*, actor, unit: Unit) -> Unit:
    access.require(actor, Perm.MANAGE_UNITS, unit)
    if unit.parent and not unit.parent.is_active:
        raise ValidationError(_("Reopen the parent unit first."))
    unit.closed_on = None
    return save_audited(actor, unit)


# --- people, positions, accounts, roles -------------------------------------------------


@transaction.atomic
def person_save(*, actor, person: Person) -> Person:
    person.institution_id = person.unit.institution_id
    return _save_in_scope(actor, Perm.MANAGE_PEOPLE, person, lambda p: p.unit)


@transaction.atomic
def position_save(*, actor, position: Position) -> Position:
    return _save_in_scope(actor, Perm.MANAGE_PEOPLE, position, lambda p: p.unit)


@transaction.atomic
def position_end(*, actor, position: Position, end_date=None) -> Position:
    position.end_date = end_date or timezone.localdate()
    return position_save(actor=actor, position=position)


@transaction.atomic
def account_create(*, actor, person: Person, username: str, email: str = "", password: str | None = None):
    """Open an account for a person. Without a password, a random one is set and the person
    uses "forgot password" to choose their own. Returns (user, password)."""
    access.require(actor, Perm.MANAGE_ACCESS, person.unit)
    if person.user_id:
        raise ValidationError(_("This person already has an account."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    password = password or secrets.token_urlsafe(12)
    user = User(
        username=username, email=email or person.email, first_name=person.first_name, last_name=person.last_name
    )
    user.set_password(password)
    # Not linked to the person yet: name the scope, or only a superuser could read the entry.
    save_audited(actor, user, validate=False, unit_id=person.unit_id)
    person.user = user
    save_audited(actor, person)
    return user, password


@transaction.atomic
def account_set_active(*, actor, user: User, active: bool) -> User:
    person = getattr(user, "person", None)
    if person is None:
        raise ValidationError(_("This account is not linked to a person."))
    access.require(actor, Perm.MANAGE_ACCESS, person.unit)
    # Nor an account whose roles reach beyond the actor's: a faculty's administrator may not
    # switch off the university's.
    held = access.grants(user)
    if (user.is_superuser or any(g.unit_id is None for g in held)) and not actor.is_superuser:
        raise PermissionDenied(_("Only a system administrator can change access to every institution."))
    for unit in Unit.objects.filter(pk__in={g.unit_id for g in held if g.unit_id}):
        access.require(actor, Perm.MANAGE_ACCESS, unit)
    if user == actor and not active:
        raise ValidationError(_("You cannot switch off your own account."))
    user.is_active = active
    return save_audited(actor, user, validate=False)


@transaction.atomic
def role_grant(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    if assignment.role == Role.ANALYST or assignment.unit_id is None:
        if not actor.is_superuser:
            raise PermissionDenied(_("Only a system administrator can grant access to every institution."))
    else:
        access.require(actor, Perm.MANAGE_ACCESS, assignment.unit)
    if assignment.role == Role.ADMIN and not (actor.is_superuser or Role.ADMIN in access.roles_held(actor)):
        raise PermissionDenied(_("Only an administrator can make another administrator."))
    return save_audited(actor, assignment)


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Roles are ended, not deleted, so the log shows who could do what, when."""
    if assignment.unit_id is None:
        if not actor.is_superuser:
            raise PermissionDenied(_("Only a system administrator can change access to every institution."))
    else:
        access.require(actor, Perm.MANAGE_ACCESS, assignment.unit)
    today = timezone.localdate()
    if assignment.valid_until is not None and assignment.valid_until < today:
        return assignment  # already over: moving its end would rewrite who could do what, when
    yesterday = today - datetime.timedelta(days=1)
    assignment.valid_until = max(yesterday, assignment.valid_from)
    if assignment.valid_until >= today:
        # Granted today: end it by moving its start into the past too.
        assignment.valid_from = assignment.valid_until = yesterday
    return save_audited(actor, assignment)


def user_set_language(*, user: User, language: str) -> None:
    """A preference, not a quality record: saved without an audit entry."""
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- academic frame ------------------------------------------------------------------------


def _root_unit(institution_id):
    return Unit.objects.get(institution_id=institution_id, parent__isnull=True)


@transaction.atomic
def academic_year_save(*, actor, year: AcademicYear) -> AcademicYear:
    return _save_in_scope(actor, Perm.MANAGE_CALENDAR, year, lambda y: _root_unit(y.institution_id))


@transaction.atomic
def semester_save(*, actor, semester: Semester) -> Semester:
    return _save_in_scope(actor, Perm.MANAGE_CALENDAR, semester, lambda s: _root_unit(s.academic_year.institution_id))


@transaction.atomic
def programme_save(*, actor, programme: Programme) -> Programme:
    programme.institution_id = programme.unit.institution_id
    return _save_in_scope(actor, Perm.MANAGE_PROGRAMMES, programme, lambda p: p.unit)


@transaction.atomic
def group_save(*, actor, group: StudentGroup) -> StudentGroup:
    return _save_in_scope(actor, Perm.MANAGE_PROGRAMMES, group, lambda g: g.programme.unit)


@transaction.atomic
def contingent_save(*, actor, figure: ContingentFigure) -> ContingentFigure:
    """Create or correct a programme's figures for a year (one row per programme and year)."""
    existing = ContingentFigure.objects.filter(
        programme_id=figure.programme_id, academic_year_id=figure.academic_year_id
    ).first()
    if existing is not None and figure.pk is None:
        figure.pk = existing.pk
        figure.created_at = existing.created_at
        figure._state.adding = False
    return _save_in_scope(actor, Perm.ENTER_CONTINGENT, figure, lambda f: f.programme.unit)
