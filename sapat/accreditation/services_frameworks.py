"""Loading criteria frameworks and their mappings from pack files.

A pack is JSON (format described in `packs/README.md`). `pack_problems` lists everything
wrong with one — malformed structure, missing levels, duplicate codes, missing translations —
and a pack with any problem loads nothing. A loaded (code, version) is never changed: the same
content again is a no-op, other content under the same version is refused (a changed
framework is a new version, hence a new row).

The ISO 9001:2015 clause skeleton is not a second copy: it is built from the audits app's
clause pack (`sapat/audits/packs/iso9001_2015.json`)."""

import hashlib
import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sapat.core.audit import delete_audited, record, save_audited
from sapat.core.models import AuditAction
from sapat.org import access

from .models_frameworks import (
    Coverage,
    Criterion,
    CriterionElement,
    CriterionGroup,
    CriterionMapping,
    Framework,
    FrameworkKind,
    FrameworkLevel,
    LevelDescriptor,
)

PACKS = Path(__file__).resolve().parent / "packs"
ISO_CLAUSES = Path(__file__).resolve().parents[1] / "audits" / "packs" / "iso9001_2015.json"
LANGS = ("ky", "ru", "en")
PACK_FORMAT = 1
MAX_PACK_BYTES = 2_000_000


class PackError(ValidationError):
    """A pack that cannot be loaded; `problems` lists every reason, in the user's language."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(self.problems)


# --- reading and checking ------------------------------------------------------------------


def read_pack(raw: bytes | str) -> dict:
    """The pack's JSON object, or PackError when the file is not one."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_PACK_BYTES:
            raise PackError([_("The file is too large for a framework (at most 2 MB).")])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PackError([_("The file is not UTF-8 text.")]) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PackError(
            [_("The file is not valid JSON (line %(line)d, column %(col)d).") % {"line": exc.lineno, "col": exc.colno}]
        ) from None
    if not isinstance(data, dict):
        raise PackError([_("The file must hold one JSON object describing the framework.")])
    return data


def _text_problems(value, where: str, problems: list, *, required=LANGS):
    if not isinstance(value, dict):
        problems.append(_("%(where)s: the text must be an object with ky, ru and en.") % {"where": where})
        return
    for lang in required:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(_("%(where)s: the %(lang)s translation is missing.") % {"where": where, "lang": lang})


def pack_problems(data: dict) -> list[str]:
    """Everything wrong with a framework pack, in the user's language (empty: loadable)."""
    problems: list[str] = []
    if data.get("format") != PACK_FORMAT:
        problems.append(_('Unknown pack format: expected "format": %(n)d.') % {"n": PACK_FORMAT})
    code = data.get("code")
    if not isinstance(code, str) or not code or not all(c.isalnum() or c in "-_" for c in code):
        problems.append(_("The framework code is missing or has characters other than letters, digits, - and _."))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(_("The version must be a whole number from 1."))
    if data.get("kind") not in FrameworkKind.values:
        problems.append(_("The kind must be one of: %(kinds)s.") % {"kinds": ", ".join(FrameworkKind.values)})
    _text_problems(data.get("name"), _("Framework name"), problems)

    levels = data.get("levels")
    level_keys: list[str] = []
    if not isinstance(levels, list):
        problems.append(_('"levels" must be a list (empty for a framework without compliance levels).'))
        levels = []
    for i, level in enumerate(levels, 1):
        if not isinstance(level, dict) or not isinstance(level.get("key"), str) or not level.get("key"):
            problems.append(_("Level %(n)d has no key.") % {"n": i})
            continue
        if level["key"] in level_keys:
            problems.append(_("Duplicate level key: %(code)s.") % {"code": level["key"]})
        level_keys.append(level["key"])
        _text_problems(level.get("name"), _("Level %(code)s") % {"code": level["key"]}, problems)

    groups = data.get("groups")
    if not isinstance(groups, list) or not groups:
        problems.append(_("The framework has no groups of criteria."))
        groups = []
    group_codes: set[str] = set()
    criterion_codes: set[str] = set()
    for gi, group in enumerate(groups, 1):
        if not isinstance(group, dict) or not isinstance(group.get("code"), str) or not group.get("code"):
            problems.append(_("Group %(n)d has no code.") % {"n": gi})
            continue
        gcode = group["code"]
        if gcode in group_codes:
            problems.append(_("Duplicate group code: %(code)s.") % {"code": gcode})
        group_codes.add(gcode)
        _text_problems(group.get("name"), _("Group %(code)s") % {"code": gcode}, problems)
        criteria = group.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            problems.append(_("Group %(code)s has no criteria.") % {"code": gcode})
            continue
        for ci, criterion in enumerate(criteria, 1):
            _criterion_problems(criterion, gcode, ci, level_keys, criterion_codes, problems)
    return problems


def _criterion_problems(criterion, gcode, index, level_keys, seen, problems):
    if not isinstance(criterion, dict) or not isinstance(criterion.get("code"), str) or not criterion.get("code"):
        problems.append(_("Criterion %(n)d of group %(code)s has no code.") % {"n": index, "code": gcode})
        return
    code = criterion["code"]
    where = _("Criterion %(code)s") % {"code": code}
    if code in seen:
        problems.append(_("Duplicate criterion code: %(code)s.") % {"code": code})
    seen.add(code)
    _text_problems(criterion.get("title"), where, problems)
    descriptors = criterion.get("levels", {})
    if not isinstance(descriptors, dict):
        problems.append(_('%(where)s: "levels" must be an object keyed by level.') % {"where": where})
        descriptors = {}
    for key in level_keys:
        if key not in descriptors:
            problems.append(_("%(where)s: the level %(level)s is missing.") % {"where": where, "level": key})
        elif descriptors[key] is not None:  # null: the source leaves this level empty
            _text_problems(descriptors[key], f"{where} · {key}", problems)
    for key in descriptors:
        if key not in level_keys:
            problems.append(_("%(where)s: unknown level %(level)s.") % {"where": where, "level": key})
    if level_keys and sum(1 for key in level_keys if descriptors.get(key) is not None) < 2:
        problems.append(_("%(where)s: at least two levels need a descriptor.") % {"where": where})
    elements = criterion.get("elements", [])
    if not isinstance(elements, list):
        problems.append(_('%(where)s: "elements" must be a list.') % {"where": where})
        elements = []
    for ei, element in enumerate(elements, 1):
        _text_problems(element, _("%(where)s, element %(n)d") % {"where": where, "n": ei}, problems)


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- loading --------------------------------------------------------------------------------


def _texts(prefix: str, value: dict) -> dict:
    return {f"{prefix}_{lang}": (value or {}).get(lang, "").strip() for lang in LANGS}


@transaction.atomic
def load_pack(data: dict, *, institution=None, actor=None) -> tuple[Framework, bool]:
    """Load one framework pack; returns (framework, created). Loads all of it or nothing."""
    problems = pack_problems(data)
    if problems:
        raise PackError(problems)
    fingerprint = digest(data)
    existing = Framework.objects.filter(institution=institution, code=data["code"], version=data["version"]).first()
    if existing:
        if existing.digest != fingerprint:
            raise PackError(
                [
                    _(
                        "Version %(version)d of %(code)s is already loaded with other content; "
                        "give the changed framework a new version."
                    )
                    % {"version": data["version"], "code": data["code"]}
                ]
            )
        return existing, False
    framework = Framework(
        institution=institution,
        code=data["code"],
        version=data["version"],
        kind=data["kind"],
        source=str(data.get("source", ""))[:300],
        digest=fingerprint,
        **_texts("name", data["name"]),
    )
    framework.full_clean()
    framework.save()
    # Bulk inserts (they return keys on PostgreSQL and SQLite): `migrate` and every test
    # database flush load the shipped packs, so this stays a handful of queries.
    levels = FrameworkLevel.objects.bulk_create(
        FrameworkLevel(framework=framework, key=level["key"], rank=rank, **_texts("name", level["name"]))
        for rank, level in enumerate(data["levels"])
    )
    level_by_key = {level.key: level for level in levels}
    groups = CriterionGroup.objects.bulk_create(
        CriterionGroup(framework=framework, code=g["code"], order=order, **_texts("name", g["name"]))
        for order, g in enumerate(data["groups"])
    )
    pairs = [(group, c) for group, g in zip(groups, data["groups"], strict=True) for c in g["criteria"]]
    criteria = Criterion.objects.bulk_create(
        Criterion(framework=framework, group=group, code=c["code"], order=order, **_texts("title", c["title"]))
        for order, (group, c) in enumerate(pairs, start=1)
    )
    descriptors, elements = [], []
    for criterion, (_group, criterion_data) in zip(criteria, pairs, strict=True):
        for key, text in criterion_data.get("levels", {}).items():
            if text is not None:
                descriptors.append(
                    LevelDescriptor(criterion=criterion, level=level_by_key[key], **_texts("text", text))
                )
        for eorder, element in enumerate(criterion_data.get("elements", [])):
            elements.append(CriterionElement(criterion=criterion, order=eorder, **_texts("text", element)))
    LevelDescriptor.objects.bulk_create(descriptors)
    CriterionElement.objects.bulk_create(elements)
    if actor is not None:  # an institution's import; shipped packs are data loaded by migrate
        note = f"pack {framework.code} v{framework.version}"
        record(actor=actor, instance=framework, action=AuditAction.CREATE, after={"code": framework.code}, note=note)
    return framework, True


def iso_pack() -> dict:
    """The ISO 9001:2015 clause skeleton as a framework pack, from the audits app's clauses:
    clauses 4–10 are the groups, their sub-clauses the criteria (no compliance levels)."""
    source = json.loads(ISO_CLAUSES.read_text(encoding="utf-8"))
    groups = []
    for clause in source["clauses"]:
        text = {lang: clause[lang] for lang in LANGS}
        if "." not in clause["number"]:
            groups.append({"code": clause["number"], "name": text, "criteria": []})
        else:
            groups[-1]["criteria"].append({"code": clause["number"], "title": text})
    return {
        "format": PACK_FORMAT,
        "code": "iso9001-2015",
        "version": source["version"],
        "kind": FrameworkKind.STANDARD,
        "source": source["standard"],
        "name": {
            "ky": "ISO 9001:2015 Сапат менеджмент системалары. Талаптар",
            "ru": "ISO 9001:2015 Системы менеджмента качества. Требования",
            "en": "ISO 9001:2015 Quality management systems. Requirements",
        },
        "levels": [],
        "groups": groups,
    }


def shipped_packs() -> list[dict]:
    packs = [read_pack(path.read_text(encoding="utf-8")) for path in sorted(PACKS.glob("*.json"))]
    return packs + [iso_pack()]


def _framework_by(ref: dict) -> Framework:
    return Framework.objects.get(institution=None, code=ref["code"], version=ref["version"])


@transaction.atomic
def load_mapping_pack(data: dict) -> int:
    """Shipped mappings between shipped frameworks; returns how many rows were added."""
    source_fw, target_fw = _framework_by(data["source"]), _framework_by(data["target"])
    sources = {c.code: c for c in source_fw.criteria.all()}
    targets = {c.code: c for c in target_fw.criteria.all()}
    existing = set(
        CriterionMapping.objects.filter(institution=None, source__framework=source_fw).values_list(
            "source_id", "target_id"
        )
    )
    new = []
    for link in data["links"]:
        if link["coverage"] not in Coverage.values:
            raise PackError([_("Unknown coverage: %(code)s.") % {"code": link["coverage"]}])
        for target_code in link["to"]:
            source, target = sources[link["from"]], targets[target_code]
            if (source.pk, target.pk) not in existing:
                existing.add((source.pk, target.pk))
                new.append(
                    CriterionMapping(source=source, target=target, coverage=link["coverage"], note=link.get("note", ""))
                )
    CriterionMapping.objects.bulk_create(new)
    added = len(new)
    return added


def load_shipped(*, actor=None) -> list[tuple[Framework, bool]]:
    """Load every shipped pack and mapping not loaded yet (idempotent)."""
    loaded = [load_pack(pack, actor=actor) for pack in shipped_packs()]
    for path in sorted((PACKS / "mappings").glob("*.json")):
        load_mapping_pack(read_pack(path.read_text(encoding="utf-8")))
    return loaded


def load_shipped_after_migrate(sender, **kwargs):
    # Only once the app's tables exist (migrate to an earlier state skips it).
    plan = kwargs.get("plan") or []
    if any(migration.app_label == sender.label and backwards for migration, backwards in plan):
        return
    load_shipped()


# --- an institution's own framework ----------------------------------------------------------


def can_manage(user, institution_id) -> bool:
    """The quality department keeps frameworks, mappings and the register of its institution."""
    ids = access.institution_ids(user, access.Perm.MANAGE_ACCREDITATION)
    return ids is None or institution_id in ids


def require_manage(user, institution_id) -> None:
    if user is None:
        return  # the system itself (the demo loader, commands)
    if not can_manage(user, institution_id):
        raise PermissionDenied(_("You do not have permission to do this here."))


def framework_import(*, actor, institution, raw: bytes) -> Framework:
    """An institution imports its own framework (e.g. an agency's standards) from a pack file."""
    require_manage(actor, institution.pk)
    data = read_pack(raw)
    framework, created = load_pack(data, institution=institution, actor=actor)
    if not created:
        raise PackError([_("This version of the framework is already loaded.")])
    return framework


def mapping_save(*, actor, mapping: CriterionMapping) -> CriterionMapping:
    """Add or change an institution's mapping between two criteria of frameworks it sees."""
    require_manage(actor, mapping.institution_id)
    for criterion in (mapping.source, mapping.target):
        if criterion.framework.institution_id not in (None, mapping.institution_id):
            raise ValidationError(_("The criterion belongs to another institution's framework."))
    if mapping.source.framework_id == mapping.target.framework_id:
        raise ValidationError(_("A mapping links criteria of two different frameworks."))
    return save_audited(actor, mapping)


@transaction.atomic
def mapping_delete(*, actor, mapping: CriterionMapping) -> None:
    """Remove an institution's own mapping (shipped mappings are data and stay)."""
    if mapping.institution_id is None:
        raise ValidationError(_("A mapping shipped with Sapat cannot be removed."))
    require_manage(actor, mapping.institution_id)
    delete_audited(actor, mapping)
