"""Every step of the audit programme, the auditor pool and an audit: permission first, then
state and validation, then the save with its audit log entry, in one transaction;
notifications go out on commit.

Who does what (004 §8.1): the quality department (MANAGE_AUDITS at the institution's top
unit) drafts the programme, keeps the pool, prepares audits and approves reports after the
lead auditor; the rector (APPROVE_AUDIT_PROGRAMME) approves the programme and its
amendments; the audit team answers the checklist and writes the report; the people the
report is distributed to acknowledge it. `actor=None` is the system itself (the demo loader)."""

import datetime
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapat.core.audit import delete_audited, record, save_audited
from sapat.core.models import AuditAction, User
from sapat.core.notify import notify
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.choices import Role
from sapat.org.models import Person, Unit
from sapat.processes.models import ProcessOwnership

from .choices import DEFAULT_FINDING_SCALE, AmendmentReason, Answer, AuditState, RecipientKind, VersionState
from .models import (
    Audit,
    Auditor,
    AuditorTraining,
    AuditProgramme,
    ChecklistItem,
    Finding,
    FindingCategory,
    ProgrammeEntry,
    ProgrammeVersion,
    ReportRecipient,
)

PACK_DIR = Path(__file__).resolve().parent / "packs"
ACKNOWLEDGE_DAYS = 10  # the unit's time to acknowledge a distributed report, by default

# --- who may ---------------------------------------------------------------------------------


def _root(institution_id) -> Unit | None:
    return Unit.objects.filter(institution_id=institution_id, parent__isnull=True).first()


def _can_at_root(user, perm, institution_id) -> bool:
    root = _root(institution_id)
    return root is not None and access.can(user, perm, root)


def person_of(user) -> Person | None:
    return getattr(user, "person", None) if user is not None and user.is_authenticated else None


def can_manage(user, institution_id) -> bool:
    return _can_at_root(user, Perm.MANAGE_AUDITS, institution_id)


def can_approve_programme(user, institution_id) -> bool:
    return _can_at_root(user, Perm.APPROVE_AUDIT_PROGRAMME, institution_id)


def can_view(user, institution_id) -> bool:
    return _can_at_root(user, Perm.VIEW_AUDITS, institution_id)


def can_see_audit(user, audit: Audit) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if can_view(user, audit.institution_id):
        return True
    person = person_of(user)
    return person is not None and (is_team_member(user, audit) or audit.recipients.filter(person_id=person.pk).exists())


def is_lead(user, audit: Audit) -> bool:
    person = person_of(user)
    return person is not None and audit.lead_auditor_id is not None and audit.lead_auditor.person_id == person.pk


def is_team_member(user, audit: Audit) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return is_lead(user, audit) or audit.team.filter(person_id=person.pk).exists()


def can_work_on(user, audit: Audit) -> bool:
    """The audit team and the quality department work on the checklist and the report."""
    return is_team_member(user, audit) or can_manage(user, audit.institution_id)


def _require(actor, allowed: bool, message: str) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def _require_manage(actor, institution_id):
    _require(actor, can_manage(actor, institution_id), _("Only the quality department may do this."))


def _require_work(actor, audit):
    _require(actor, can_work_on(actor, audit), _("Only the audit team or the quality department may do this."))


def _require_audit_state(audit: Audit, *states):
    if audit.state not in states:
        raise ValidationError(
            _("This cannot be done while the audit is at the stage “%(state)s”.") % {"state": audit.get_state_display()}
        )


def _m2m_label(objects) -> str:
    return "; ".join(sorted(str(obj) for obj in objects))


def _set_links(actor, instance, field: str, objects) -> None:
    """Replace a many-to-many and log the lists before and after as one entry."""
    manager = getattr(instance, field)
    before, after = list(manager.all()), list(objects)
    if {o.pk for o in before} == {o.pk for o in after}:
        return
    manager.set(after)
    record(
        actor=actor,
        instance=instance,
        action=AuditAction.UPDATE,
        before={field: _m2m_label(before)},
        after={field: _m2m_label(after)},
    )


def _same_institution(institution_id, field, objects, message):
    if objects is not None and any(o.institution_id != institution_id for o in objects):
        raise ValidationError({field: message})


def _check_links(institution_id, units, processes, programmes):
    _same_institution(institution_id, "units", units, _("The unit belongs to another institution."))
    _same_institution(institution_id, "processes", processes, _("The process belongs to another institution."))
    _same_institution(institution_id, "programmes", programmes, _("The programme belongs to another institution."))


def _management(institution_id) -> list[Person]:
    """The people holding the top-management role at the institution's top unit (the rector)."""
    root = _root(institution_id)
    users = User.objects.filter(
        role_assignments__role=Role.TOP_MANAGEMENT, role_assignments__unit=root, is_active=True
    ).values("pk")
    return list(Person.objects.filter(user__in=users))


# --- independence and training ---------------------------------------------------------------


def _own_units(person: Person, on) -> list[Unit]:
    """The units a person works in: their main unit and the units of their positions on `on`."""
    units = {person.unit_id: person.unit}
    for position in person.positions.current(on).select_related("unit"):
        units[position.unit_id] = position.unit
    return list(units.values())


def independence_problems(auditor: Auditor, *, units=(), processes=(), on=None) -> list[str]:
    """Why `auditor` may not audit these units and processes (empty: independent). An
    auditor is not independent of the unit they work in — itself, a unit above it short of
    the whole institution, or a unit below it — nor of a process they own (004 §8.1)."""
    on = on or timezone.localdate()
    problems = []
    own = [u for u in _own_units(auditor.person, on) if u.parent_id is not None]
    for unit in units:
        if unit.parent_id is None:
            continue  # the whole institution: everyone works in it
        for mine in own:
            if mine.path.startswith(unit.path) or unit.path.startswith(mine.path):
                problems.append(
                    _("%(person)s works in %(unit)s and cannot audit it.")
                    % {"person": auditor.person.full_name, "unit": unit.name}
                )
                break
    owned = ProcessOwnership.objects.current(on).filter(
        person_id=auditor.person_id, process__in=[p.pk for p in processes]
    )
    for ownership in owned.select_related("process"):
        problems.append(
            _("%(person)s owns the process %(process)s and cannot audit it.")
            % {"person": auditor.person.full_name, "process": ownership.process}
        )
    return problems


def training_warnings(auditors) -> list[str]:
    """A warning (not a refusal) for every auditor with no training on record."""
    return [
        _("%(person)s has no auditor training on record.") % {"person": a.person.full_name}
        for a in auditors
        if not a.trainings.exists()
    ]


def _check_team(institution_id, lead, team, *, units, processes, on):
    members = ([lead] if lead else []) + [a for a in team if not lead or a.pk != lead.pk]
    problems = []
    for auditor in members:
        if auditor.institution_id != institution_id:
            raise ValidationError({"team": _("The auditor belongs to another institution.")})
        if not auditor.is_active:
            problems.append(_("%(person)s is not in the auditor pool.") % {"person": auditor.person.full_name})
        problems += independence_problems(auditor, units=units, processes=processes, on=on)
    if problems:
        raise ValidationError({"team": problems})
    return members


# --- the programme ---------------------------------------------------------------------------


def current_version(programme: AuditProgramme) -> ProgrammeVersion | None:
    """The version in force, or the first draft while nothing is approved yet."""
    versions = list(programme.versions.all())
    approved = [v for v in versions if v.state == VersionState.APPROVED]
    return approved[-1] if approved else (versions[-1] if versions else None)


def open_version(programme: AuditProgramme) -> ProgrammeVersion | None:
    """A draft or submitted version not yet approved."""
    return programme.versions.filter(state__in=[VersionState.DRAFT, VersionState.SUBMITTED]).first()


@transaction.atomic
def programme_create(*, actor, institution, academic_year) -> AuditProgramme:
    _require_manage(actor, institution.pk)
    if AuditProgramme.objects.filter(institution=institution, academic_year=academic_year).exists():
        raise ValidationError({"academic_year": _("A programme for this academic year already exists.")})
    programme = save_audited(actor, AuditProgramme(institution=institution, academic_year=academic_year))
    save_audited(actor, ProgrammeVersion(programme=programme, number=1))
    return programme


def _require_draft(version: ProgrammeVersion):
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("An approved or submitted version is not changed; start an amendment instead."))


@transaction.atomic
def entry_save(*, actor, entry: ProgrammeEntry, units=None, processes=None, programmes=None, team=None):
    """Add or change a line of a draft version; `units`, `processes`, `programmes` and `team`,
    when given, replace the links. The team is checked for independence."""
    version = (
        ProgrammeVersion.objects.select_for_update(of=("self",)).select_related("programme").get(pk=entry.version_id)
    )
    if not entry._state.adding and ProgrammeEntry.objects.get(pk=entry.pk).version_id != version.pk:
        raise ValidationError(_("A programme entry stays in its version."))
    institution_id = version.programme.institution_id
    _require_manage(actor, institution_id)
    _require_draft(version)
    _check_links(institution_id, units, processes, programmes)
    all_units = list(units) if units is not None else ([] if entry._state.adding else list(entry.units.all()))
    all_processes = (
        list(processes) if processes is not None else ([] if entry._state.adding else list(entry.processes.all()))
    )
    all_team = list(team) if team is not None else ([] if entry._state.adding else list(entry.team.all()))
    entry.full_clean()
    members = _check_team(
        institution_id, entry.lead_auditor, all_team, units=all_units, processes=all_processes, on=entry.start_date
    )
    save_audited(actor, entry)
    _set_links(actor, entry, "units", all_units)
    _set_links(actor, entry, "processes", all_processes)
    if programmes is not None:
        _set_links(actor, entry, "programmes", programmes)
    _set_links(actor, entry, "team", members)
    return entry


@transaction.atomic
def entry_delete(*, actor, entry: ProgrammeEntry) -> None:
    version = (
        ProgrammeVersion.objects.select_for_update(of=("self",)).select_related("programme").get(pk=entry.version_id)
    )
    _require_manage(actor, version.programme.institution_id)
    _require_draft(version)
    delete_audited(actor, entry)


def _lock_version(version) -> ProgrammeVersion:
    return (
        ProgrammeVersion.objects.select_for_update(of=("self",))
        .select_related("programme__academic_year")
        .get(pk=version.pk)
    )


@transaction.atomic
def version_submit(*, actor, version: ProgrammeVersion) -> ProgrammeVersion:
    """The head of the quality department submits the draft to the rector."""
    version = _lock_version(version)
    _require_manage(actor, version.programme.institution_id)
    _require_draft(version)
    if not version.entries.exists():
        raise ValidationError(_("Add at least one audit to the programme first."))
    version.state, version.submitted_at, version.return_comment = VersionState.SUBMITTED, timezone.now(), ""
    save_audited(actor, version, note=_("submitted for approval"))
    notify(_management(version.programme.institution_id), "audits/mail/programme_submitted", {"version": version})
    return version


@transaction.atomic
def version_approve(*, actor, version: ProgrammeVersion, approved_on=None) -> ProgrammeVersion:
    """The rector approves; the version in force until then is superseded and stays visible."""
    version = _lock_version(version)
    institution_id = version.programme.institution_id
    _require(actor, can_approve_programme(actor, institution_id), _("Only the rector approves the audit programme."))
    if version.state != VersionState.SUBMITTED:
        raise ValidationError(_("Only a submitted version can be approved."))
    approved_on = approved_on or timezone.localdate()
    previous = version.programme.versions.filter(state=VersionState.APPROVED).first()
    if previous is not None:
        if previous.approved_on and approved_on < previous.approved_on:
            raise ValidationError({"approved_on": _("The date is before the approval of the version in force.")})
        previous.state = VersionState.SUPERSEDED
        save_audited(actor, previous, note=_("superseded by version %(n)s") % {"n": version.number})
    version.state, version.approved_on = VersionState.APPROVED, approved_on
    version.approved_by = actor if actor is not None and actor.pk else None
    save_audited(actor, version, note=_("approved"))
    return version


@transaction.atomic
def version_return(*, actor, version: ProgrammeVersion, comment: str) -> ProgrammeVersion:
    version = _lock_version(version)
    _require(
        actor,
        can_approve_programme(actor, version.programme.institution_id),
        _("Only the rector approves the audit programme."),
    )
    if version.state != VersionState.SUBMITTED:
        raise ValidationError(_("Only a submitted version can be returned."))
    if not (comment or "").strip():
        raise ValidationError({"return_comment": _("Say why you return the programme.")})
    version.state, version.return_comment = VersionState.DRAFT, comment.strip()
    return save_audited(actor, version, note=_("returned"))


@transaction.atomic
def amendment_start(*, actor, programme: AuditProgramme, reason: str, reason_text: str = "") -> ProgrammeVersion:
    """A new draft version copying the entries in force, with the reason for the change."""
    programme = AuditProgramme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    _require_manage(actor, programme.institution_id)
    in_force = programme.versions.filter(state=VersionState.APPROVED).first()
    if in_force is None:
        raise ValidationError(_("The programme is not approved yet: change the draft itself."))
    if open_version(programme) is not None:
        raise ValidationError(_("An amendment is already being prepared."))
    if reason not in AmendmentReason.values:
        raise ValidationError({"reason": _("Choose the reason for the amendment.")})
    number = programme.versions.aggregate(n=Max("number"))["n"] + 1
    version = save_audited(
        actor,
        ProgrammeVersion(programme=programme, number=number, reason=reason, reason_text=(reason_text or "").strip()),
    )
    for old in in_force.entries.prefetch_related("units", "processes", "programmes", "team"):
        new = ProgrammeEntry(
            version=version,
            key=old.key,
            subject=old.subject,
            planned_month=old.planned_month,
            start_date=old.start_date,
            end_date=old.end_date,
            lead_auditor_id=old.lead_auditor_id,
            criteria=old.criteria,
        )
        new.save()
        new.units.set(old.units.all())
        new.processes.set(old.processes.all())
        new.programmes.set(old.programmes.all())
        new.team.set(old.team.all())
    return version


ENTRY_FIELDS = (
    ("subject", gettext_lazy("what is audited")),
    ("when", gettext_lazy("when")),
    ("lead", gettext_lazy("lead auditor")),
    ("team", gettext_lazy("audit team")),
    ("units", gettext_lazy("units")),
    ("processes", gettext_lazy("processes")),
    ("programmes", gettext_lazy("educational programmes")),
    ("criteria", gettext_lazy("audit criteria")),
)


def _entry_view(entry) -> dict:
    return {
        "subject": entry.subject,
        "when": entry.when,
        "lead": str(entry.lead_auditor or ""),
        "team": _m2m_label(entry.team.all()),
        "units": _m2m_label(entry.units.all()),
        "processes": _m2m_label(entry.processes.all()),
        "programmes": _m2m_label(entry.programmes.all()),
        "criteria": entry.criteria,
    }


def version_diff(version: ProgrammeVersion) -> dict | None:
    """What changed against the previous version: entries added, removed and changed (with
    the fields before and after). None for the first version."""
    previous = version.programme.versions.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        return None
    related = ("units", "processes", "programmes", "team")
    before = {e.key: e for e in previous.entries.select_related("lead_auditor__person").prefetch_related(*related)}
    after = {e.key: e for e in version.entries.select_related("lead_auditor__person").prefetch_related(*related)}
    changed = []
    for key in after.keys() & before.keys():
        old, new = _entry_view(before[key]), _entry_view(after[key])
        fields = [(label, old[name], new[name]) for name, label in ENTRY_FIELDS if old[name] != new[name]]
        if fields:
            changed.append((after[key], fields))
    return {
        "previous": previous,
        "added": [after[k] for k in after.keys() - before.keys()],
        "removed": [before[k] for k in before.keys() - after.keys()],
        "changed": changed,
    }


# --- auditors --------------------------------------------------------------------------------


@transaction.atomic
def auditor_save(*, actor, auditor: Auditor) -> Auditor:
    if not auditor._state.adding:
        auditor.institution_id = Auditor.objects.get(pk=auditor.pk).institution_id
    _require_manage(actor, auditor.institution_id)
    return save_audited(actor, auditor)


@transaction.atomic
def training_save(*, actor, training: AuditorTraining) -> AuditorTraining:
    _require_manage(actor, training.auditor.institution_id)
    return save_audited(actor, training)


# --- the scale of findings -------------------------------------------------------------------


def finding_scale(institution_id) -> list[FindingCategory]:
    """The institution's categories in use; the default scale is written the first time."""
    categories = list(FindingCategory.objects.filter(institution_id=institution_id, is_active=True))
    if categories or FindingCategory.objects.filter(institution_id=institution_id).exists():
        return categories
    with transaction.atomic():
        for order, (code, nc, ky, ru, en) in enumerate(DEFAULT_FINDING_SCALE, start=1):
            FindingCategory.objects.get_or_create(
                institution_id=institution_id,
                code=code,
                defaults={"name_ky": ky, "name_ru": ru, "name_en": en, "is_nonconformity": nc, "order": order},
            )
    return list(FindingCategory.objects.filter(institution_id=institution_id, is_active=True))


@transaction.atomic
def category_save(*, actor, category: FindingCategory) -> FindingCategory:
    if not category._state.adding:
        category.institution_id = FindingCategory.objects.get(pk=category.pk).institution_id
    _require_manage(actor, category.institution_id)
    return save_audited(actor, category)


# --- an audit: preparation -------------------------------------------------------------------


def next_code(institution_id, year: int) -> str:
    prefix = f"ИА-{year}-"
    taken = Audit.objects.filter(institution_id=institution_id, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def _lock_audit(audit) -> Audit:
    return Audit.objects.select_for_update(of=("self",)).select_related("lead_auditor__person").get(pk=audit.pk)


@transaction.atomic
def audit_save(*, actor, audit: Audit, units=None, processes=None, programmes=None) -> Audit:
    """Plan an audit or change its preparation: scope, criteria, dates, audited units,
    processes and programmes. The team already named must stay independent of them."""
    if not audit._state.adding:
        original = _lock_audit(audit)
        audit.institution_id, audit.state = original.institution_id, original.state
        _require_audit_state(original, AuditState.PREPARATION)
    _require_manage(actor, audit.institution_id)
    _check_links(audit.institution_id, units, processes, programmes)
    if audit.entry_id:
        if audit.entry.version.programme.institution_id != audit.institution_id:
            raise ValidationError({"entry": _("The programme entry belongs to another institution.")})
        audit.programme_key = audit.entry.key
    if not (audit.code or "").strip() and audit.start_date:
        audit.code = next_code(audit.institution_id, audit.start_date.year)
    audit.full_clean()
    if not audit._state.adding:
        _check_team(
            audit.institution_id,
            audit.lead_auditor,
            list(audit.team.all()),
            units=list(units) if units is not None else list(audit.units.all()),
            processes=list(processes) if processes is not None else list(audit.processes.all()),
            on=audit.start_date,
        )
    save_audited(actor, audit)
    for field, objects in (("units", units), ("processes", processes), ("programmes", programmes)):
        if objects is not None:
            _set_links(actor, audit, field, objects)
    return audit


@transaction.atomic
def audit_from_entry(*, actor, entry: ProgrammeEntry, start_date=None, end_date=None) -> Audit:
    """Plan the audit a line of the approved programme calls for, with its scope and team."""
    entry = ProgrammeEntry.objects.select_related("version__programme", "lead_auditor").get(pk=entry.pk)
    version = entry.version
    if version.state != VersionState.APPROVED:
        raise ValidationError(_("Audits are planned from the programme in force."))
    if entry.audits.exists() or Audit.objects.filter(programme_key=entry.key).exists():
        raise ValidationError(_("This programme entry already has its audit."))
    start_date = start_date or entry.start_date
    if start_date is None:
        raise ValidationError({"start_date": _("Give the first day of the audit.")})
    audit = Audit(
        institution_id=version.programme.institution_id,
        entry=entry,
        title=entry.subject,
        criteria=entry.criteria,
        start_date=start_date,
        end_date=end_date or entry.end_date or start_date,
        lead_auditor=entry.lead_auditor,
    )
    audit = audit_save(
        actor=actor,
        audit=audit,
        units=list(entry.units.all()),
        processes=list(entry.processes.all()),
        programmes=list(entry.programmes.all()),
    )
    audit_set_team(actor=actor, audit=audit, lead=entry.lead_auditor, team=list(entry.team.all()))
    return audit


@transaction.atomic
def audit_set_team(*, actor, audit: Audit, lead: Auditor | None, team) -> list[str]:
    """Name the lead auditor and the team (the lead is always in it). Refused when someone is
    not independent; returns warnings for members without training on record."""
    audit = _lock_audit(audit)
    _require_manage(actor, audit.institution_id)
    _require_audit_state(audit, AuditState.PREPARATION)
    members = _check_team(
        audit.institution_id,
        lead,
        list(team),
        units=list(audit.units.all()),
        processes=list(audit.processes.all()),
        on=audit.start_date,
    )
    audit.lead_auditor = lead
    save_audited(actor, audit)
    _set_links(actor, audit, "team", members)
    newcomers = [a.person for a in members]
    notify(newcomers, "audits/mail/team", {"audit": audit})
    return training_warnings(members)


# --- the checklist ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def iso_clauses() -> list[dict]:
    """The ISO 9001:2015 clause skeleton (numbers and titles in ky/ru/en), clauses 4 to 10."""
    with open(PACK_DIR / "iso9001_2015.json", encoding="utf-8") as f:
        return json.load(f)["clauses"]


def clause_title(clause: dict) -> str:
    from django.utils.translation import get_language

    lang = (get_language() or "ky")[:2]
    return clause.get(lang) or clause["ky"]


def _next_order(audit) -> int:
    return (audit.checklist.aggregate(n=Max("order"))["n"] or 0) + 1


def _require_checklist_editable(actor, audit):
    _require_work(actor, audit)
    _require_audit_state(audit, AuditState.PREPARATION, AuditState.CONDUCT)


def _add_items(actor, audit, items) -> int:
    order = _next_order(audit)
    for offset, item in enumerate(items):
        item.audit, item.order = audit, order + offset
        save_audited(actor, item)
    return len(items)


@transaction.atomic
def checklist_from_processes(*, actor, audit: Audit) -> int:
    """Questions on each audited process and on each document that governs it."""
    audit = _lock_audit(audit)
    _require_checklist_editable(actor, audit)
    items = []
    for process in audit.processes.prefetch_related("documents").order_by("sort_key"):
        items.append(
            ChecklistItem(
                process=process,
                question=_(
                    "Is the process “%(process)s” carried out as its map describes: inputs, outputs, resources, "
                    "participants?"
                )
                % {"process": process},
                clause="4.4",
            )
        )
        items.append(
            ChecklistItem(
                process=process,
                question=_("Are the objectives and indicators of the process monitored and the results analysed?"),
                clause="9.1",
            )
        )
        for document in process.documents.all():
            items.append(
                ChecklistItem(
                    process=process,
                    document=document,
                    question=_(
                        "Is the work done as the document %(code)s “%(title)s” requires, and are its records kept?"
                    )
                    % {"code": document.code, "title": document.title},
                    clause="7.5",
                )
            )
    if not items:
        raise ValidationError(_("Name the audited processes first."))
    return _add_items(actor, audit, items)


@transaction.atomic
def checklist_from_clauses(*, actor, audit: Audit, clauses) -> int:
    """One question per chosen ISO 9001 clause, in the language of the page."""
    audit = _lock_audit(audit)
    _require_checklist_editable(actor, audit)
    known = {c["number"]: c for c in iso_clauses()}
    chosen = [known[n] for n in clauses if n in known]
    if not chosen:
        raise ValidationError({"clauses": _("Choose at least one clause.")})
    items = [
        ChecklistItem(
            clause=c["number"],
            question=_("Are the requirements of clause %(number)s “%(title)s” met?")
            % {"number": c["number"], "title": clause_title(c)},
        )
        for c in chosen
    ]
    return _add_items(actor, audit, items)


@transaction.atomic
def checklist_copy(*, actor, audit: Audit, source: Audit) -> int:
    """The questions (not the answers) of an earlier audit of the institution."""
    audit = _lock_audit(audit)
    _require_checklist_editable(actor, audit)
    if source.institution_id != audit.institution_id or source.pk == audit.pk:
        raise ValidationError({"source": _("Choose another audit of the institution.")})
    items = [
        ChecklistItem(clause=i.clause, process_id=i.process_id, document_id=i.document_id, question=i.question)
        for i in source.checklist.all()
    ]
    if not items:
        raise ValidationError({"source": _("That audit has no checklist.")})
    return _add_items(actor, audit, items)


@transaction.atomic
def item_save(*, actor, item: ChecklistItem) -> ChecklistItem:
    audit = _lock_audit(item.audit)
    _require_checklist_editable(actor, audit)
    if not item._state.adding and ChecklistItem.objects.get(pk=item.pk).audit_id != audit.pk:
        raise ValidationError(_("A question stays in its audit."))
    if item._state.adding and not item.order:
        item.order = _next_order(audit)
    return save_audited(actor, item)


@transaction.atomic
def item_delete(*, actor, item: ChecklistItem) -> None:
    audit = _lock_audit(item.audit)
    _require_checklist_editable(actor, audit)
    item = ChecklistItem.objects.get(pk=item.pk)
    if item.answer:
        raise ValidationError(_("An answered question is not deleted."))
    delete_audited(actor, item)


@transaction.atomic
def item_answer(*, actor, item: ChecklistItem, answer: str, notes: str = "") -> ChecklistItem:
    """An auditor of the team answers a question while the audit is conducted."""
    item = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("audit__lead_auditor__person")
        .get(pk=item.pk)
    )
    _require(actor, actor is None or is_team_member(actor, item.audit), _("Only the audit team answers the checklist."))
    _require_audit_state(item.audit, AuditState.CONDUCT)
    if answer not in (Answer.CONFORMS, Answer.NONCONFORMS, Answer.NOT_APPLICABLE):
        raise ValidationError({"answer": _("Choose an answer.")})
    item.answer, item.notes = answer, (notes or "").strip()
    item.answered_by = actor if actor is not None and actor.pk else None
    item.answered_at = timezone.now()
    return save_audited(actor, item)


# --- an audit: the stages --------------------------------------------------------------------


@transaction.atomic
def audit_start(*, actor, audit: Audit) -> Audit:
    """Preparation → conduct: the team, the lead and the checklist must be in place."""
    audit = _lock_audit(audit)
    _require(
        actor,
        can_manage(actor, audit.institution_id) or is_lead(actor, audit),
        _("Only the lead auditor or the quality department may do this."),
    )
    _require_audit_state(audit, AuditState.PREPARATION)
    errors = []
    if audit.lead_auditor_id is None:
        errors.append(_("Name the lead auditor."))
    if not audit.checklist.exists():
        errors.append(_("Build the checklist first."))
    if not (audit.units.exists() or audit.processes.exists() or audit.programmes.exists()):
        errors.append(_("Name what is audited: units, processes or programmes."))
    if errors:
        raise ValidationError(errors)
    audit.state = AuditState.CONDUCT
    return save_audited(actor, audit, note=_("conduct started"))


def _first_nonconformity_category(institution_id) -> FindingCategory | None:
    return next((c for c in finding_scale(institution_id) if c.is_nonconformity), None)


@transaction.atomic
def audit_finish_conduct(*, actor, audit: Audit) -> Audit:
    """Conduct → report. Every question must be answered; every "does not conform" becomes a
    draft finding (of the first nonconformity category) that the team then classifies."""
    audit = _lock_audit(audit)
    _require(
        actor,
        can_manage(actor, audit.institution_id) or is_lead(actor, audit),
        _("Only the lead auditor or the quality department may do this."),
    )
    _require_audit_state(audit, AuditState.CONDUCT)
    open_count = audit.checklist.filter(answer=Answer.OPEN).count()
    if open_count:
        raise ValidationError(_("Questions without an answer: %(n)s.") % {"n": open_count})
    category = _first_nonconformity_category(audit.institution_id)
    nonconforming = audit.checklist.filter(answer=Answer.NONCONFORMS, findings__isnull=True).select_related("process")
    for item in nonconforming:
        if category is None:
            break
        finding_save(
            actor=actor,
            finding=Finding(
                audit=audit,
                category=category,
                checklist_item=item,
                process=item.process,
                clause=item.clause,
                requirement=item.question,
                description=item.notes,
            ),
            _locked=audit,
        )
    audit.state = AuditState.REPORT
    return save_audited(actor, audit, note=_("conduct finished"))


@transaction.atomic
def finding_save(*, actor, finding: Finding, _locked=None) -> Finding:
    audit = _locked or _lock_audit(finding.audit)
    _require_work(actor, audit)
    _require_audit_state(audit, AuditState.CONDUCT, AuditState.REPORT)
    if finding._state.adding:
        finding.number = (audit.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    elif Finding.objects.get(pk=finding.pk).audit_id != audit.pk:
        raise ValidationError(_("A finding stays in its audit."))
    return save_audited(actor, finding)


@transaction.atomic
def finding_delete(*, actor, finding: Finding) -> None:
    audit = _lock_audit(finding.audit)
    _require_work(actor, audit)
    _require_audit_state(audit, AuditState.CONDUCT, AuditState.REPORT)
    from sapat.improvement.raising import raised_from

    raised = raised_from(finding)
    if raised is not None:
        raise ValidationError(_("This finding has raised %(record)s: it stays.") % {"record": raised})
    delete_audited(actor, finding)


@transaction.atomic
def report_save(*, actor, audit: Audit, strengths: str, conclusion: str) -> Audit:
    audit = _lock_audit(audit)
    _require_work(actor, audit)
    _require_audit_state(audit, AuditState.REPORT)
    audit.strengths, audit.conclusion = (strengths or "").strip(), (conclusion or "").strip()
    return save_audited(actor, audit)


@transaction.atomic
def report_lead_approve(*, actor, audit: Audit) -> Audit:
    audit = _lock_audit(audit)
    _require(actor, actor is None or is_lead(actor, audit), _("Only the lead auditor approves the report first."))
    _require_audit_state(audit, AuditState.REPORT)
    if not audit.conclusion.strip():
        raise ValidationError({"conclusion": _("Write the conclusion of the report first.")})
    audit.state, audit.lead_approved_at = AuditState.LEAD_APPROVED, timezone.now()
    return save_audited(actor, audit, note=_("report approved by the lead auditor"))


@transaction.atomic
def report_approve(*, actor, audit: Audit) -> Audit:
    """The head of the quality department approves the report after the lead auditor."""
    audit = _lock_audit(audit)
    _require(
        actor,
        can_manage(actor, audit.institution_id),
        _("Only the head of the quality department approves the report."),
    )
    _require_audit_state(audit, AuditState.LEAD_APPROVED)
    audit.state, audit.approved_at = AuditState.APPROVED, timezone.now()
    audit.approved_by = actor if actor is not None and actor.pk else None
    return save_audited(actor, audit, note=_("report approved"))


@transaction.atomic
def report_return(*, actor, audit: Audit, comment: str) -> Audit:
    """The quality department sends the report back to the team with a comment."""
    audit = _lock_audit(audit)
    _require(
        actor,
        can_manage(actor, audit.institution_id),
        _("Only the head of the quality department approves the report."),
    )
    _require_audit_state(audit, AuditState.LEAD_APPROVED)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why you return the report.")})
    audit.state, audit.lead_approved_at = AuditState.REPORT, None
    return save_audited(actor, audit, note=_("report returned: %(comment)s") % {"comment": comment.strip()[:200]})


def report_recipients(audit: Audit) -> list[tuple[Person, str]]:
    """The audited units' heads and quality responsibles, the audited processes' current
    owners and the institution's management, each once."""
    found: dict[int, tuple[Person, str]] = {}
    for unit in audit.units.select_related("head", "quality_responsible"):
        for person in (unit.head, unit.quality_responsible):
            if person is not None and person.left_on is None:
                found.setdefault(person.pk, (person, RecipientKind.UNIT))
    owners = ProcessOwnership.objects.current(audit.end_date).filter(
        process__in=audit.processes.all(), person__isnull=False
    )
    for ownership in owners.select_related("person"):
        found.setdefault(ownership.person_id, (ownership.person, RecipientKind.OWNER))
    for person in _management(audit.institution_id):
        found.setdefault(person.pk, (person, RecipientKind.MANAGEMENT))
    return list(found.values())


@transaction.atomic
def report_distribute(*, actor, audit: Audit, acknowledge_by=None) -> Audit:
    audit = _lock_audit(audit)
    _require_manage(actor, audit.institution_id)
    _require_audit_state(audit, AuditState.APPROVED)
    today = timezone.localdate()
    acknowledge_by = acknowledge_by or today + datetime.timedelta(
        days=getattr(settings, "AUDITS_ACKNOWLEDGE_DAYS", ACKNOWLEDGE_DAYS)
    )
    if acknowledge_by < today:
        raise ValidationError({"acknowledge_by": _("The acknowledgement date is in the past.")})
    recipients = report_recipients(audit)
    if not recipients:
        raise ValidationError(_("Nobody to distribute the report to: name the units' heads or the process owners."))
    for person, kind in recipients:
        save_audited(actor, ReportRecipient(audit=audit, person=person, kind=kind))
    audit.state, audit.distributed_on, audit.acknowledge_by = AuditState.DISTRIBUTED, today, acknowledge_by
    save_audited(actor, audit, note=_("report distributed"))
    notify([p for p, _kind in recipients], "audits/mail/report", {"audit": audit})
    return audit


@transaction.atomic
def report_acknowledge(*, actor, audit: Audit) -> ReportRecipient:
    person = person_of(actor)
    recipient = (
        ReportRecipient.objects.select_for_update(of=("self",)).filter(audit=audit, person=person).first()
        if person
        else None
    )
    if recipient is None:
        raise PermissionDenied(_("The report was not distributed to you."))
    if recipient.acknowledged_at is not None:
        raise ValidationError(_("You have already acknowledged the report."))
    recipient.acknowledged_at = timezone.now()
    return save_audited(actor, recipient, note=_("acknowledged"))


# --- reminders -------------------------------------------------------------------------------


def send_reminders(today=None) -> tuple[int, int]:
    """The team N days before an audit starts; recipients who have not acknowledged the
    report N days before it is due (and on the day). Returns the messages queued."""
    today = today or timezone.localdate()
    team_days = getattr(settings, "AUDITS_TEAM_REMINDER_DAYS", 7)
    ack_days = getattr(settings, "AUDITS_ACKNOWLEDGE_REMINDER_DAYS", 2)
    team_count = 0
    starting = Audit.objects.filter(
        state=AuditState.PREPARATION, start_date=today + datetime.timedelta(days=team_days)
    ).prefetch_related("team__person__user")
    for audit in starting:
        team_count += notify([a.person for a in audit.team.all()], "audits/mail/team_reminder", {"audit": audit})
    ack_count = 0
    due = Audit.objects.filter(
        Q(acknowledge_by=today + datetime.timedelta(days=ack_days)) | Q(acknowledge_by=today),
        state=AuditState.DISTRIBUTED,
    )
    for audit in due:
        waiting = [
            r.person for r in audit.recipients.filter(acknowledged_at__isnull=True).select_related("person__user")
        ]
        ack_count += notify(waiting, "audits/mail/acknowledge_reminder", {"audit": audit})
    return team_count, ack_count
