"""Who may do what, where. The permission matrix below is the single source of truth; the
README's table is generated from it (`manage.py permission_matrix`).

A role is held in a unit and applies to that unit and everything below it. Permissions in
INSTITUTION_WIDE apply to the whole institution of the unit the role is held in (the
structure of one's own university is not secret). Analysts hold their role with no unit:
read-only, every institution."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role


class Perm:
    VIEW_ORG = "org.view"
    MANAGE_UNITS = "org.manage_units"
    MANAGE_PEOPLE = "org.manage_people"
    MANAGE_PROGRAMMES = "org.manage_programmes"
    ENTER_CONTINGENT = "org.enter_contingent"
    MANAGE_CALENDAR = "org.manage_calendar"
    IMPORT_DATA = "org.import"
    MANAGE_ACCESS = "org.manage_access"
    VIEW_AUDIT = "core.view_audit"
    MANAGE_DOCUMENTS = "documents.manage"
    CONFIGURE_DOCUMENTS = "documents.configure"
    MANAGE_RECORDS = "documents.records"
    MANAGE_PROCESSES = "processes.manage"
    ENTER_INDICATOR_VALUES = "processes.enter_values"
    VIEW_AUDITS = "audits.view"
    MANAGE_AUDITS = "audits.manage"
    APPROVE_AUDIT_PROGRAMME = "audits.approve_programme"
    HANDLE_COMPLAINTS = "complaints.handle"
    ANSWER_COMPLAINTS = "complaints.answer"
    REGISTER_NC = "improvement.register"
    HANDLE_NC = "improvement.handle"
    APPROVE_NC_PLAN = "improvement.approve_plan"
    MANAGE_NC = "improvement.manage"
    VIEW_NC = "improvement.view"
    MANAGE_SURVEYS = "surveys.manage"
    VIEW_SURVEY_RESULTS = "surveys.results"
    VIEW_ACCREDITATION = "accreditation.view"
    MANAGE_ACCREDITATION = "accreditation.manage"


PERM_LABELS = {
    Perm.VIEW_ORG: _("See the structure, people and programmes"),
    Perm.MANAGE_UNITS: _("Create, rename, move and close units"),
    Perm.MANAGE_PEOPLE: _("Keep staff records and positions"),
    Perm.MANAGE_PROGRAMMES: _("Keep programmes and student groups"),
    Perm.ENTER_CONTINGENT: _("Enter contingent figures"),
    Perm.MANAGE_CALENDAR: _("Keep academic years and semesters"),
    Perm.IMPORT_DATA: _("Import from XLSX or CSV"),
    Perm.MANAGE_ACCESS: _("Manage accounts and roles"),
    Perm.VIEW_AUDIT: _("Read the audit log"),
    Perm.MANAGE_DOCUMENTS: _("Prepare, register and withdraw documents"),
    Perm.CONFIGURE_DOCUMENTS: _("Set up document and record types"),
    Perm.MANAGE_RECORDS: _("Keep records and dispose of them"),
    Perm.MANAGE_PROCESSES: _("Keep the process register and process maps"),
    Perm.ENTER_INDICATOR_VALUES: _("Enter indicator values of the unit"),
    Perm.VIEW_AUDITS: _("See the audit programme, audits and their reports"),
    Perm.MANAGE_AUDITS: _("Draft the audit programme, keep the auditor pool, run audits"),
    Perm.APPROVE_AUDIT_PROGRAMME: _("Approve the audit programme and its amendments"),
    Perm.HANDLE_COMPLAINTS: _("Receive complaints and suggestions and route them to units"),
    Perm.ANSWER_COMPLAINTS: _("Answer complaints and suggestions routed to the unit"),
    Perm.REGISTER_NC: _("Register nonconformities"),
    Perm.HANDLE_NC: _("Analyse nonconformities of the unit and plan actions"),
    Perm.APPROVE_NC_PLAN: _("Approve action plans for the unit"),
    Perm.MANAGE_NC: _("Run nonconformities and actions (quality department)"),
    Perm.VIEW_NC: _("Read all nonconformities and actions"),
    Perm.MANAGE_SURVEYS: _("Build questionnaires, run survey campaigns and issue tokens"),
    Perm.VIEW_SURVEY_RESULTS: _("See survey results of the unit's teachers and programmes"),
    Perm.VIEW_ACCREDITATION: _("See criteria frameworks and the accreditation register"),
    Perm.MANAGE_ACCREDITATION: _("Import frameworks, map criteria, keep the accreditation register"),
}

ALL_PERMS = frozenset(PERM_LABELS)
INSTITUTION_WIDE = frozenset({Perm.VIEW_ORG, Perm.REGISTER_NC, Perm.VIEW_AUDITS, Perm.VIEW_ACCREDITATION})
# Roles that may never write, whatever a future matrix row says; they keep only reading rights.
READ_ONLY_ROLES = frozenset({Role.EXPERT, Role.ANALYST})
READ_PERMS = frozenset({Perm.VIEW_ORG, Perm.VIEW_NC, Perm.VIEW_ACCREDITATION})

# Complaints are seen only by the quality department and the unit a complaint is routed to
# (issue 5): not by the system administrator, nor by top management.
COMPLAINT_PERMS = frozenset({Perm.HANDLE_COMPLAINTS, Perm.ANSWER_COMPLAINTS})
# Likewise nonconformities: the people involved, the quality department, top management and
# analysts (reading) see them; the system administrator registers them like anyone at work.
NC_PERMS = frozenset({Perm.HANDLE_NC, Perm.APPROVE_NC_PLAN, Perm.MANAGE_NC, Perm.VIEW_NC})

MATRIX: dict[str, frozenset[str]] = {
    # Indicator values come from the unit head, the quality department and the indicator's
    # responsible person (issue 4), not from whoever runs the installation.
    Role.ADMIN: ALL_PERMS - COMPLAINT_PERMS - NC_PERMS - {Perm.ENTER_INDICATOR_VALUES},
    # The rector approves the audit programme (004 §8.1); the quality department drafts it.
    Role.TOP_MANAGEMENT: frozenset(
        {
            Perm.VIEW_ORG,
            Perm.VIEW_AUDIT,
            Perm.REGISTER_NC,
            Perm.VIEW_NC,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.VIEW_AUDITS,
            Perm.APPROVE_AUDIT_PROGRAMME,
            Perm.VIEW_ACCREDITATION,
        }
    ),
    Role.QUALITY_DEPARTMENT: ALL_PERMS - {Perm.MANAGE_ACCESS, Perm.APPROVE_AUDIT_PROGRAMME},
    Role.UNIT_HEAD: frozenset(
        {
            Perm.VIEW_ORG,
            Perm.MANAGE_UNITS,
            Perm.MANAGE_PEOPLE,
            Perm.MANAGE_PROGRAMMES,
            Perm.ENTER_CONTINGENT,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_DOCUMENTS,
            Perm.MANAGE_RECORDS,
            Perm.ENTER_INDICATOR_VALUES,
            Perm.VIEW_AUDITS,
            Perm.ANSWER_COMPLAINTS,
            Perm.REGISTER_NC,
            Perm.HANDLE_NC,
            Perm.APPROVE_NC_PLAN,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.VIEW_ACCREDITATION,
        }
    ),
    # The seeds make unit quality responsibles keep their unit's QMS documents current.
    Role.UNIT_QUALITY: frozenset(
        {
            Perm.VIEW_ORG,
            Perm.ENTER_CONTINGENT,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_DOCUMENTS,
            Perm.MANAGE_RECORDS,
            Perm.VIEW_AUDITS,
            Perm.ANSWER_COMPLAINTS,
            Perm.REGISTER_NC,
            Perm.HANDLE_NC,
            Perm.VIEW_SURVEY_RESULTS,
            Perm.VIEW_ACCREDITATION,
        }
    ),
    Role.PROCESS_OWNER: frozenset({Perm.VIEW_ORG, Perm.REGISTER_NC, Perm.VIEW_AUDITS}),
    Role.AUDITOR: frozenset({Perm.VIEW_ORG, Perm.VIEW_AUDIT, Perm.REGISTER_NC, Perm.VIEW_AUDITS}),
    # Anyone at work may find a nonconformity in their daily work (seed 004 §11.2).
    Role.STAFF: frozenset({Perm.VIEW_ORG, Perm.REGISTER_NC}),
    # Experts see only what an accreditation project grants them; nothing of the organisation.
    Role.EXPERT: frozenset(),
    Role.ANALYST: frozenset({Perm.VIEW_ORG, Perm.VIEW_NC, Perm.VIEW_ACCREDITATION}),
}


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int | None
    unit_path: str | None
    institution_id: int | None  # None: every institution (analyst)


def grants(user) -> list[Grant]:
    """The user's roles in force today, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_sapat_grants", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    rows = (
        user.role_assignments.filter(valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("role", "unit_id", "unit__path", "unit__institution_id")
    )
    user._sapat_grants = [Grant(*row) for row in rows]
    return user._sapat_grants


def _grants_with(user, perm: str) -> list[Grant]:
    return [
        g
        for g in grants(user)
        if perm in MATRIX.get(g.role, ()) and not (g.role in READ_ONLY_ROLES and perm not in READ_PERMS)
    ]


def _covers(grant: Grant, perm: str, unit) -> bool:
    if grant.institution_id is None:
        return True
    if perm in INSTITUTION_WIDE:
        return unit.institution_id == grant.institution_id
    return unit.path.startswith(grant.unit_path)


def can(user, perm: str, unit=None) -> bool:
    """May `user` use `perm` on a record of `unit` (or anywhere at all, with no unit)?"""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    held = _grants_with(user, perm)
    if unit is None:
        return bool(held)
    return any(_covers(g, perm, unit) for g in held)


def require(user, perm: str, unit=None) -> None:
    if not can(user, perm, unit):
        raise PermissionDenied(_("You do not have permission to do this here."))


def unit_q(user, perm: str, prefix: str = "unit") -> Q:
    """A filter for records whose unit (reached by `prefix`) lies in the user's scope."""
    if getattr(user, "is_superuser", False):
        return Q()
    sep = "__" if prefix else ""
    q = Q(pk__in=[])
    for g in _grants_with(user, perm):
        if g.institution_id is None:
            return Q()
        if perm in INSTITUTION_WIDE:
            q |= Q(**{f"{prefix}{sep}institution_id": g.institution_id})
        else:
            q |= Q(**{f"{prefix}{sep}path__startswith": g.unit_path})
    return q


def institution_ids(user, perm: str = Perm.VIEW_ORG) -> set[int] | None:
    """Institutions the user may see; None means all of them."""
    if getattr(user, "is_superuser", False):
        return None
    ids = set()
    for g in _grants_with(user, perm):
        if g.institution_id is None:
            return None
        ids.add(g.institution_id)
    return ids


def sees_institution(user, institution_id) -> bool:
    """Whether a signed-in user may see the institution at all (anonymous: never)."""
    if user is None or not user.is_authenticated:
        return False
    ids = institution_ids(user)
    return ids is None or institution_id in ids


def roles_held(user) -> set[str]:
    return {g.role for g in grants(user)}
