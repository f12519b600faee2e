"""Writes: the questionnaire library, questionnaire versions, campaigns, their slots and
tokens. Every step checks the right to manage surveys in the campaign's unit and is audited.
Answers themselves are stored by `answering` (no account, no audit: they are anonymous)."""

import json
import secrets
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from sapat.core.audit import record, save_audited
from sapat.core.models import AuditAction
from sapat.core.notify import notify
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.choices import UnitType
from sapat.org.models import Person, StudentGroup, Unit

from .choices import CampaignStatus, QuestionKind, Stakeholder
from .models import Answer, Campaign, Invitation, Question, Questionnaire, Section, Slot, Token

LIBRARY_PATH = Path(__file__).parent / "data" / "library.json"
FACULTY_TYPES = {UnitType.FACULTY, UnitType.INSTITUTE, UnitType.COLLEGE, UnitType.BRANCH, UnitType.HIGHER_SCHOOL}
# Unambiguous to read aloud and to type from a paper slip: no 0/O, 1/l/I.
TOKEN_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
TOKEN_LENGTH = 10


def _require(actor, unit) -> None:
    """`actor` None is the system itself (a command, the demo loader)."""
    if actor is not None:
        access.require(actor, Perm.MANAGE_SURVEYS, unit)


def root_unit(institution_id) -> Unit:
    return Unit.objects.get(institution_id=institution_id, parent=None)


def _labels(triple) -> dict:
    return dict(zip(("ky", "ru", "en"), triple, strict=True))


# --- the library -------------------------------------------------------------------------
@transaction.atomic
def library_load(*, actor, institution, path=LIBRARY_PATH) -> int:
    """Load the shipped questionnaires into an institution; a key already there is kept as
    it is (the institution may have edited it). Returns how many were added."""
    _require(actor, root_unit(institution.pk))
    pack = json.loads(Path(path).read_text(encoding="utf-8"))
    scales = {name: [_labels(t) for t in points] for name, points in pack["scales"].items()}
    present = set(Questionnaire.objects.filter(institution=institution).values_list("key", flat=True))
    added = 0
    for spec in pack["questionnaires"]:
        if spec["key"] in present:
            continue
        questionnaire = Questionnaire(
            institution=institution,
            key=spec["key"],
            stakeholder=spec["stakeholder"],
            per_teaching_slot=spec.get("per_teaching_slot", False),
            pack_version=pack["version"],
            **{f"name_{c}": v for c, v in _labels(spec["name"]).items()},
            **{f"intro_{c}": v for c, v in _labels(spec.get("intro", ["", "", ""])).items()},
        )
        save_audited(actor, questionnaire, note=_("Loaded from the library"))
        order = 0
        for s_order, s_spec in enumerate(spec["sections"]):
            section = Section.objects.create(questionnaire=questionnaire, order=s_order, title=_labels(s_spec["title"]))
            for q in s_spec["questions"]:
                order += 1
                show_if = q.get("show_if") or {}
                Question.objects.create(
                    questionnaire=questionnaire,
                    section=section,
                    order=order,
                    code=q["code"],
                    kind=q["kind"],
                    text=_labels(q["text"]),
                    required=q.get("required", False),
                    options=[_labels(o) for o in q.get("options", [])],
                    allow_other=q.get("allow_other", False),
                    items=[_labels(i) for i in q.get("items", [])],
                    scale_labels=scales[q["scale"]] if "scale" in q else [],
                    min_value=q.get("min"),
                    max_value=q.get("max"),
                    show_if_code=show_if.get("code", ""),
                    show_if_values=show_if.get("values", []),
                )
        added += 1
    return added


# --- questionnaire versions --------------------------------------------------------------
def _require_manage(actor, institution_id):
    _require(actor, root_unit(institution_id))


def has_answers(questionnaire) -> bool:
    return Answer.objects.filter(question__questionnaire=questionnaire).exists()


def _copy(actor, questionnaire) -> Questionnaire:
    latest = Questionnaire.objects.filter(institution=questionnaire.institution, key=questionnaire.key).order_by(
        "-version"
    )[0]
    sections = list(questionnaire.sections.prefetch_related("questions"))
    new = Questionnaire.objects.get(pk=questionnaire.pk)
    new.pk, new.id, new._state.adding, new.version = None, None, True, latest.version + 1
    save_audited(actor, new, note=_("New version: the earlier one already has answers"))
    for section in sections:
        questions = list(section.questions.all())
        section.pk, section.questionnaire = None, new
        section.save()
        for q in questions:
            q.pk, q.questionnaire, q.section = None, new, section
        Question.objects.bulk_create(questions)
    return new


@transaction.atomic
def questionnaire_editable(*, actor, questionnaire) -> Questionnaire:
    """The version to edit: this one while nobody has answered it, otherwise a new version
    (old results stay tied to the old one)."""
    _require_manage(actor, questionnaire.institution_id)
    if has_answers(questionnaire):
        return _copy(actor, questionnaire)
    return questionnaire


def _validate_question(question: Question) -> None:
    errors = {}
    if not question.text.get("ky"):
        errors["text_ky"] = _("Write the question in Kyrgyz.")
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(question.options) < 2:
        errors["options"] = _("A choice needs at least two options.")
    if question.kind == QuestionKind.MATRIX and not question.items:
        errors["items"] = _("A matrix needs at least one item.")
    points = len(question.scale_labels)
    if question.kind == QuestionKind.LIKERT and points and points not in (3, 4, 5, 7):
        errors["scale"] = _("A Likert scale has 3, 4, 5 or 7 points.")
    if question.show_if_code:
        earlier = question.questionnaire.questions.filter(code=question.show_if_code, order__lt=question.order)
        if not earlier.exists():
            errors["show_if_code"] = _("The condition must name an earlier question of this questionnaire.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def question_save(*, actor, questionnaire, question: Question | None, data: dict) -> Question:
    """Add or change a question. `data` holds the fields of `Question` (texts as dicts).
    Returns the question saved, which is in a new version when the old one has answers."""
    target = questionnaire_editable(actor=actor, questionnaire=questionnaire)
    if question is not None and target.pk != questionnaire.pk:
        question = target.questions.get(code=question.code)
    if question is None:
        last = target.questions.order_by("-order").first()
        section = target.sections.order_by("-order").first() or Section.objects.create(
            questionnaire=target, title={"ky": target.name_ky}
        )
        question = Question(questionnaire=target, section=section, order=(last.order if last else 0) + 1)
    for field, value in data.items():
        setattr(question, field, value)
    if target.questions.filter(code=question.code).exclude(pk=question.pk).exists():
        raise ValidationError({"code": _("Another question of this questionnaire has this code.")})
    _validate_question(question)
    question.save()
    target.save(update_fields=["updated_at"])  # drops the cached form of this version
    note = _("Question %(code)s saved") % {"code": question.code}
    record(actor=actor, instance=target, action=AuditAction.UPDATE, note=note)
    return question


# --- sections and order ------------------------------------------------------------------
def _section_in(target, section) -> Section:
    """`section` of the version edited, or its copy in the new version just made."""
    if section.questionnaire_id == target.pk:
        return section
    old = list(Section.objects.filter(questionnaire_id=section.questionnaire_id).values_list("pk", flat=True))
    return list(target.sections.all())[old.index(section.pk)]


def _renumber(target, sections) -> None:
    """Number the sections and, across them, the questions in the order given; a condition
    must still read an earlier question."""
    seen, changed = set(), []
    for s_order, (section, questions) in enumerate(sections):
        if section.order != s_order:
            section.order = s_order
            section.save(update_fields=["order"])
        for question in questions:
            if question.show_if_code and question.show_if_code not in seen:
                raise ValidationError(
                    _("Question %(code)s would come before question %(earlier)s, which its condition reads.")
                    % {"code": question.code, "earlier": question.show_if_code}
                )
            seen.add(question.code)
            question.section = section
            question.order = len(seen)
            changed.append(question)
    Question.objects.bulk_update(changed, ["section", "order"])


def _layout(target) -> list:
    questions = list(target.questions.order_by("section__order", "section_id", "order", "id"))
    return [(s, [q for q in questions if q.section_id == s.pk]) for s in target.sections.all()]


def _edited(actor, target, note) -> None:
    target.save(update_fields=["updated_at"])  # drops the cached form of this version
    record(actor=actor, instance=target, action=AuditAction.UPDATE, note=note)


@transaction.atomic
def section_save(*, actor, questionnaire, section: Section | None, title: dict) -> Section:
    """Add a section at the end, or rename one (in a new version when answers exist)."""
    if not (title.get("ky") or "").strip():
        raise ValidationError({"title_ky": _("Write the title in Kyrgyz.")})
    target = questionnaire_editable(actor=actor, questionnaire=questionnaire)
    if section is None:
        last = target.sections.order_by("-order").first()
        section = Section(questionnaire=target, order=(last.order + 1) if last else 0)
    else:
        section = _section_in(target, section)
    section.title = {c: (title.get(c) or "").strip() for c in ("ky", "ru", "en")}
    section.save(update_fields=None if section.pk is None else ["title"])
    _edited(actor, target, _("Section “%(title)s” saved") % {"title": section.title["ky"]})
    return section


@transaction.atomic
def section_move(*, actor, questionnaire, section: Section, step: int) -> Questionnaire:
    """Move a section one place up (-1) or down (+1), its questions with it."""
    target = questionnaire_editable(actor=actor, questionnaire=questionnaire)
    layout = _layout(target)
    index = [s.pk for s, _q in layout].index(_section_in(target, section).pk)
    other = index + step
    if step not in (-1, 1) or not 0 <= other < len(layout):
        raise ValidationError(_("The section cannot move further."))
    layout[index], layout[other] = layout[other], layout[index]
    _renumber(target, layout)
    _edited(actor, target, _("Sections reordered"))
    return target


@transaction.atomic
def question_move(*, actor, questionnaire, question: Question, step: int) -> Questionnaire:
    """Move a question one place up (-1) or down (+1); past the first or last question of
    its section it goes to the end of the section above or the start of the one below."""
    target = questionnaire_editable(actor=actor, questionnaire=questionnaire)
    layout = _layout(target)
    s_index, questions = next((i, qs) for i, (_s, qs) in enumerate(layout) if question.code in {q.code for q in qs})
    index = [q.code for q in questions].index(question.code)
    moving = questions[index]
    if step not in (-1, 1):
        raise ValidationError(_("The question cannot move further."))
    if 0 <= index + step < len(questions):
        questions[index], questions[index + step] = questions[index + step], questions[index]
    elif 0 <= s_index + step < len(layout):
        questions.pop(index)
        neighbour = layout[s_index + step][1]
        if step < 0:
            neighbour.append(moving)
        else:
            neighbour.insert(0, moving)
    else:
        raise ValidationError(_("The question cannot move further."))
    _renumber(target, layout)
    _edited(actor, target, _("Question %(code)s moved") % {"code": moving.code})
    return target


# --- campaigns ---------------------------------------------------------------------------
def faculty_of(unit: Unit) -> Unit:
    """The faculty-level unit at or above `unit` (the unit itself when there is none)."""
    if unit.unit_type in FACULTY_TYPES:
        return unit
    ids = unit.ancestor_ids
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids, unit_type__in=FACULTY_TYPES)}
    return next((found[pk] for pk in reversed(ids) if pk in found), unit)


@transaction.atomic
def campaign_create(*, actor, campaign: Campaign, units=(), programmes=(), groups=()) -> Campaign:
    _require(actor, campaign.unit)
    if campaign.audience == Stakeholder.STUDENTS and not (units or programmes or groups):
        raise ValidationError({"target_groups": _("Choose the students: units, programmes or groups.")})
    if campaign.questionnaire.per_teaching_slot and campaign.audience != Stakeholder.STUDENTS:
        raise ValidationError({"audience": _("Teaching is evaluated by students.")})
    campaign.status = CampaignStatus.DRAFT
    save_audited(actor, campaign)
    campaign.target_units.set(units)
    campaign.target_programmes.set(programmes)
    campaign.target_groups.set(groups)
    if not campaign.questionnaire.per_teaching_slot:
        _build_slots(campaign)
    return campaign


def target_groups_of(campaign):
    q = Q(pk__in=campaign.target_groups.all()) | Q(programme__in=campaign.target_programmes.all())
    for unit in campaign.target_units.all():
        q |= Q(programme__unit__path__startswith=unit.path)
    return StudentGroup.objects.filter(q, programme__institution_id=campaign.institution_id, is_active=True)


def _build_slots(campaign):
    """Student surveys: a slot per group; others: one slot for the whole campaign."""
    if campaign.audience == Stakeholder.STUDENTS:
        for group in target_groups_of(campaign).select_related("programme__unit"):
            unit = group.programme.unit
            Slot.objects.get_or_create(
                campaign=campaign,
                group=group,
                discipline="",
                teacher=None,
                defaults={
                    "programme": group.programme,
                    "unit": unit,
                    "faculty": faculty_of(unit),
                    "expected": group.student_count,
                },
            )
    else:
        Slot.objects.get_or_create(
            campaign=campaign,
            group=None,
            discipline="",
            teacher=None,
            defaults={"unit": campaign.unit, "faculty": faculty_of(campaign.unit)},
        )


def slot_add_teaching(*, actor, campaign, group, discipline, teacher) -> tuple[Slot, bool]:
    """A discipline–teacher pair of a group (from the teaching-load list). Its results count
    towards the teacher's department and faculty."""
    _require(actor, campaign.unit)
    if not campaign.questionnaire.per_teaching_slot:
        raise ValidationError(_("This campaign's questionnaire is not asked per discipline and teacher."))
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("The teaching load can only be changed while the campaign is a draft."))
    if group.programme.institution_id != campaign.institution_id or teacher.institution_id != campaign.institution_id:
        raise ValidationError(_("The group and the teacher must belong to the campaign's institution."))
    return Slot.objects.get_or_create(
        campaign=campaign,
        group=group,
        discipline=discipline.strip(),
        teacher=teacher,
        defaults={
            "programme": group.programme,
            "unit": teacher.unit,
            "faculty": faculty_of(teacher.unit),
            "expected": group.student_count,
        },
    )


def _set_status(actor, campaign, status, allowed_from):
    _require(actor, campaign.unit)
    if campaign.status not in allowed_from:
        raise ValidationError(_("This cannot be done in the campaign's present state."))
    campaign.status = status
    return save_audited(actor, campaign)


@transaction.atomic
def campaign_open(*, actor, campaign) -> Campaign:
    if not campaign.slots.exists():
        raise ValidationError(_("The campaign has nobody to ask yet: import the teaching load or choose the groups."))
    return _set_status(actor, campaign, CampaignStatus.OPEN, {CampaignStatus.DRAFT})


@transaction.atomic
def campaign_close(*, actor, campaign) -> Campaign:
    return _set_status(actor, campaign, CampaignStatus.CLOSED, {CampaignStatus.OPEN})


# --- tokens ------------------------------------------------------------------------------
def _code() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _i in range(TOKEN_LENGTH))


@transaction.atomic
def tokens_generate(*, actor, campaign, slot=None, count=None) -> int:
    """Issue tokens up to each slot's expected number of respondents (or `count` more for one
    slot). Tokens name no person: they are handed out in the classroom or sent by mail."""
    _require(actor, campaign.unit)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("The campaign is closed."))
    slots = [slot] if slot is not None else list(campaign.slots.all())
    issued = dict(Token.objects.filter(slot__in=slots).values("slot").annotate(n=Count("pk")).values_list("slot", "n"))
    tokens = []
    for s in slots:
        wanted = count if count is not None else max(s.expected - issued.get(s.pk, 0), 0)
        if wanted < 0 or wanted > 2000:
            raise ValidationError(_("Issue between 1 and 2000 tokens at a time."))
        tokens.extend(Token(campaign=campaign, slot=s, code=_code()) for _i in range(wanted))
    Token.objects.bulk_create(tokens)
    record(
        actor=actor,
        instance=campaign,
        action=AuditAction.UPDATE,
        note=_("Tokens issued: %(n)d") % {"n": len(tokens)},
    )
    return len(tokens)


# --- invitations by e-mail ---------------------------------------------------------------
LANGS = ("ky", "ru", "en")


def parse_addresses(text: str) -> list[tuple[str, str]]:
    """'address' or 'address, language' per line (language ky, ru or en; Kyrgyz when left
    out). Every bad line is named; nothing is kept when one is bad."""
    found, errors = {}, []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if not parts[0]:
            continue
        address, lang = parts[0].lower(), (parts[1].lower() if len(parts) > 1 and parts[1] else "ky")
        try:
            validate_email(address)
        except ValidationError:
            errors.append(_("Line %(n)d: “%(text)s” is not an e-mail address.") % {"n": number, "text": parts[0][:80]})
            continue
        if lang not in LANGS:
            errors.append(_("Line %(n)d: the language is ky, ru or en.") % {"n": number})
            continue
        found.setdefault(address, lang)
    if errors:
        raise ValidationError(errors)
    return list(found.items())


def staff_addresses(campaign) -> list[tuple[str, str]]:
    """Staff of the campaign's units (or of its organising unit) with an e-mail address, each
    with the language of their account."""
    units = list(campaign.target_units.all()) or [campaign.unit]
    q = Q()
    for unit in units:
        q |= Q(unit__path__startswith=unit.path)
    people = Person.objects.filter(q, institution_id=campaign.institution_id, left_on__isnull=True).select_related(
        "user"
    )
    found = {}
    for person in people:
        address = (person.email or (person.user.email if person.user else "")).strip().lower()
        lang = (person.user.language if person.user else "") or "ky"
        if address:
            found.setdefault(address, lang if lang in LANGS else "ky")
    return list(found.items())


def _invitation_slot(campaign) -> Slot:
    if campaign.audience == Stakeholder.STUDENTS:
        raise ValidationError(_("Student surveys are handed out per group: print slips or share the links."))
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Open the campaign first: the links must work when the mail arrives."))
    slot = campaign.slots.order_by("pk").first()
    if slot is None:
        raise ValidationError(_("The campaign has nobody to ask yet: import the teaching load or choose the groups."))
    return slot


def _mail(invitations, campaign, base_url, template) -> int:
    recipients = [
        SimpleNamespace(
            email=inv.email,
            user=None,
            language=inv.language,
            link=f"{base_url.rstrip('/')}{inv.token.get_absolute_url()}?lang={inv.language}",
        )
        for inv in invitations
    ]
    return notify(recipients, template, {"campaign": campaign})


@transaction.atomic
def invitations_send(*, actor, campaign, base_url, addresses=None) -> int:
    """Mail a one-time link to each address not invited yet: the given list (graduates,
    employers, parents), or the staff of the campaign's units. `base_url` is the site's
    address for the links. Returns how many were invited."""
    _require(actor, campaign.unit)
    campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    slot = _invitation_slot(campaign)
    wanted = addresses if addresses is not None else staff_addresses(campaign)
    if not wanted:
        raise ValidationError(_("Nobody to invite: no e-mail addresses."))
    invited = {e.lower() for e in campaign.invitations.values_list("email", flat=True)}
    new = [(address, lang) for address, lang in wanted if address.lower() not in invited]
    tokens = Token.objects.bulk_create(Token(campaign=campaign, slot=slot, code=_code()) for _i in new)
    invitations = Invitation.objects.bulk_create(
        Invitation(campaign=campaign, email=address, language=lang, token=token)
        for (address, lang), token in zip(new, tokens, strict=True)
    )
    _mail(invitations, campaign, base_url, "surveys/mail/invitation")
    record(
        actor=actor, instance=campaign, action=AuditAction.UPDATE, note=_("Invitations sent: %(n)d") % {"n": len(new)}
    )
    return len(new)


@transaction.atomic
def invitations_remind(*, actor, campaign, base_url) -> int:
    """Mail the link again to those whose token is still unused. Who answered is known only
    as 'no unused token any more'; which answer is theirs is not (see `Invitation`)."""
    _require(actor, campaign.unit)
    _invitation_slot(campaign)
    waiting = list(
        Invitation.objects.filter(campaign=campaign, token__isnull=False, token__used=False).select_related("token")
    )
    _mail(waiting, campaign, base_url, "surveys/mail/reminder")
    Invitation.objects.filter(pk__in=[i.pk for i in waiting]).update(reminders=F("reminders") + 1)
    record(
        actor=actor, instance=campaign, action=AuditAction.UPDATE, note=_("Reminders sent: %(n)d") % {"n": len(waiting)}
    )
    return len(waiting)
