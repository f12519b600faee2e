"""Import of a LimeSurvey survey structure file (`.lss`) into a Sapat questionnaire.

Both layouts of the file are read: LimeSurvey 3 (texts and language in the rows of
`groups`, `questions`, `subquestions`, `answers`) and LimeSurvey 4 and later (texts in
`group_l10ns`, `question_l10ns`, `answer_l10ns`). The XML is parsed by defusedxml with
DTDs refused: an upload is never allowed to declare entities or fetch anything.

The import is all or nothing: a file that is not a LimeSurvey survey, or one that maps to
no question, creates nothing. Anything that cannot be mapped (a question type Sapat has no
equivalent for, a language other than Kyrgyz, Russian or English, a condition too complex
to keep) is listed in the report kept on the questionnaire."""

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sapat.core.audit import save_audited

from .choices import QuestionKind
from .models import Question, Questionnaire, Section

LANGS = ("ky", "ru", "en")
YES_NO = [{"ky": "Ооба", "ru": "Да", "en": "Yes"}, {"ky": "Жок", "ru": "Нет", "en": "No"}]
GENDER = [{"ky": "Аял", "ru": "Женский", "en": "Female"}, {"ky": "Эркек", "ru": "Мужской", "en": "Male"}]
FIVE_POINTS = [{c: str(i) for c in LANGS} for i in range(1, 6)]
TEN_POINTS = [{c: str(i) for c in LANGS} for i in range(1, 11)]

# LimeSurvey question types: letter -> (name, Sapat kind or None).
TYPES = {
    "L": ("List (radio)", QuestionKind.SINGLE),
    "!": ("List (dropdown)", QuestionKind.SINGLE),
    "O": ("List with comment", QuestionKind.SINGLE),
    "Y": ("Yes/No", QuestionKind.SINGLE),
    "G": ("Gender", QuestionKind.SINGLE),
    "M": ("Multiple choice", QuestionKind.MULTIPLE),
    "P": ("Multiple choice with comments", QuestionKind.MULTIPLE),
    "F": ("Array", QuestionKind.MATRIX),
    "A": ("Array (5 point choice)", QuestionKind.MATRIX),
    "B": ("Array (10 point choice)", QuestionKind.MATRIX),
    "5": ("5 point choice", QuestionKind.LIKERT),
    "N": ("Numerical input", QuestionKind.NUMBER),
    "S": ("Short free text", QuestionKind.SHORT_TEXT),
    "T": ("Long free text", QuestionKind.LONG_TEXT),
    "U": ("Huge free text", QuestionKind.LONG_TEXT),
    "X": ("Text display", None),
    "D": ("Date/Time", None),
    "R": ("Ranking", None),
    "K": ("Multiple numerical input", None),
    "Q": ("Multiple short text", None),
    "H": ("Array by column", None),
    "C": ("Array (Yes/No/Uncertain)", None),
    "E": ("Array (Increase/Same/Decrease)", None),
    "1": ("Array dual scale", None),
    ":": ("Array (Numbers)", None),
    ";": ("Array (Texts)", None),
    "|": ("File upload", None),
    "*": ("Equation", None),
    "I": ("Language switch", None),
}
# A condition Sapat can keep: one earlier question equal to one or more of its answer codes.
CONDITION = re.compile(r"^\(*\s*(\w+)(?:\.NAOK)?\s*==\s*[\"']([^\"']+)[\"']\s*\)*$")


def _text(raw) -> str:
    """LimeSurvey keeps HTML; Sapat keeps plain text."""
    return " ".join(html.unescape(strip_tags(raw or "")).split())


def sapat_language(code: str) -> str | None:
    """'ru', 'en-GB', 'ky' … → a Sapat language, or None."""
    base = re.split(r"[-_]", (code or "").strip().lower())[0]
    return base if base in LANGS else None


@dataclass
class Problem:
    code: str
    type: str
    reason: str

    def as_dict(self):
        return {"code": self.code, "type": self.type, "reason": self.reason}


@dataclass
class Parsed:
    """The file read into plain dictionaries keyed by LimeSurvey ids, texts per language."""

    sid: str = ""
    base_language: str = ""
    languages: list = field(default_factory=list)
    title: dict = field(default_factory=dict)
    intro: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)  # gid -> {"order", "title": {lang: text}}
    questions: dict = field(default_factory=dict)  # qid -> {gid, type, code, order, mandatory, other, relevance, text}
    subquestions: dict = field(default_factory=lambda: defaultdict(dict))  # parent qid -> {qid: {...}}
    answers: dict = field(default_factory=lambda: defaultdict(dict))  # qid -> {(scale, code): {"order", "text"}}
    attributes: dict = field(default_factory=lambda: defaultdict(dict))  # qid -> {name: value}


def _rows(root, table):
    element = root.find(table)
    if element is None:
        return []
    return [{child.tag: (child.text or "") for child in row} for row in element.iterfind("rows/row")]


def _not_limesurvey():
    return ValidationError(_("This is not a LimeSurvey survey structure file (.lss)."))


def parse(data: bytes) -> Parsed:
    """Read the file; ValidationError with a clear message for anything else."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ValidationError(_("The file declares a document type or entities: it is refused for safety.")) from None
    except (ParseError, ValueError):
        raise _not_limesurvey() from None
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        raise _not_limesurvey()
    p = Parsed()
    survey = (_rows(root, "surveys") or [{}])[0]
    p.sid = survey.get("sid", "").strip()
    p.base_language = survey.get("language", "").strip()
    p.languages = [e.text.strip() for e in root.iterfind("languages/language") if e.text and e.text.strip()]
    if not p.languages:
        p.languages = [p.base_language, *survey.get("additional_languages", "").split()]
    for row in _rows(root, "surveys_languagesettings"):
        lang = row.get("surveyls_language", "")
        p.title[lang] = _text(row.get("surveyls_title"))
        p.intro[lang] = _text(row.get("surveyls_description")) or _text(row.get("surveyls_welcometext"))
    for row in _rows(root, "groups"):
        group = p.groups.setdefault(row["gid"], {"order": int(row.get("group_order") or 0), "title": {}})
        if "group_name" in row:  # LimeSurvey 3: one row per language
            group["title"][row.get("language", "")] = _text(row["group_name"])
    for row in _rows(root, "group_l10ns"):
        if row.get("gid") in p.groups:
            p.groups[row["gid"]]["title"][row.get("language", "")] = _text(row.get("group_name"))
    every = {}
    for table in ("questions", "subquestions"):
        for row in _rows(root, table):
            parent = row.get("parent_qid", "0") or "0"
            target = p.questions if parent == "0" else p.subquestions[parent]
            entry = target.setdefault(
                row["qid"],
                {
                    "gid": row.get("gid", ""),
                    "type": row.get("type", ""),
                    "code": row.get("title", "").strip(),
                    "order": int(row.get("question_order") or 0),
                    "scale": row.get("scale_id", "0") or "0",
                    "mandatory": row.get("mandatory", "") == "Y",
                    "other": row.get("other", "") == "Y",
                    "relevance": (row.get("relevance") or "").strip(),
                    "text": {},
                },
            )
            if "question" in row:
                entry["text"][row.get("language", "")] = _text(row["question"])
            every[row["qid"]] = entry
    for row in _rows(root, "question_l10ns"):
        if row.get("qid") in every:
            every[row["qid"]]["text"][row.get("language", "")] = _text(row.get("question"))
    by_aid = {}
    for row in _rows(root, "answers"):
        key = (row.get("scale_id", "0") or "0", row.get("code", "").strip())
        entry = p.answers[row.get("qid", "")].setdefault(key, {"order": int(row.get("sortorder") or 0), "text": {}})
        if "answer" in row:
            entry["text"][row.get("language", "")] = _text(row["answer"])
        if row.get("aid"):
            by_aid[row["aid"]] = entry
    for row in _rows(root, "answer_l10ns"):
        if row.get("aid") in by_aid:
            by_aid[row["aid"]]["text"][row.get("language", "")] = _text(row.get("answer"))
    for row in _rows(root, "question_attributes"):
        p.attributes[row.get("qid", "")][row.get("attribute", "")] = (row.get("value") or "").strip()
    if not p.questions:
        raise ValidationError(_("The LimeSurvey file has no questions."))
    return p


class Mapper:
    """Turns a parsed file into Sapat labels and questions, collecting what is lost."""

    def __init__(self, parsed: Parsed):
        self.p = parsed
        self.problems: list[Problem] = []
        self.lang_map = {}  # LimeSurvey code -> Sapat language (the first file language that matches)
        for code in parsed.languages:
            lang = sapat_language(code)
            if lang is None:
                self.problems.append(Problem("", code, _("Sapat keeps Kyrgyz, Russian and English only.")))
            elif lang not in self.lang_map.values():
                self.lang_map[code] = lang
        if not self.lang_map:
            raise ValidationError(_("The survey has none of the languages Sapat keeps (Kyrgyz, Russian, English)."))
        # Kyrgyz is required: without it the Kyrgyz text is taken from the first language kept.
        self.fallback = None
        if "ky" not in self.lang_map.values():
            self.fallback = next(iter(self.lang_map))
            self.problems.append(
                Problem(
                    "", self.fallback, _("The survey has no Kyrgyz: the Kyrgyz texts are copied from this language.")
                )
            )

    def label(self, texts: dict) -> dict:
        result = {c: "" for c in LANGS}
        for code, lang in self.lang_map.items():
            result[lang] = texts.get(code, "")
        if not result["ky"]:
            result["ky"] = texts.get(self.fallback or "", "") or next((v for v in result.values() if v), "")
        return result

    def _options(self, qid, scale="0") -> list[dict]:
        answers = self.p.answers.get(qid, {})
        chosen = sorted(((a["order"], code, a) for (s, code), a in answers.items() if s == scale), key=lambda t: t[0])
        return [(code, self.label(a["text"])) for _o, code, a in chosen]

    def _subquestions(self, qid) -> list[dict]:
        subs = sorted(
            (s for s in self.p.subquestions.get(qid, {}).values() if s["scale"] == "0"), key=lambda s: s["order"]
        )
        return [(s["code"], self.label(s["text"])) for s in subs]

    def _lost(self, q, reason):
        name = TYPES.get(q["type"], (q["type"], None))[0]
        self.problems.append(Problem(q["code"], f"{q['type']} · {name}", reason))

    def question(self, q) -> dict | None:
        """The fields of a Sapat question, or None (the question is reported)."""
        letter = q["type"]
        name, kind = TYPES.get(letter, (letter, None))
        if kind is None:
            self._lost(q, _("Sapat has no question of this kind."))
            return None
        fields = {"kind": kind, "text": self.label(q["text"]), "required": q["mandatory"], "codes": []}
        if letter in ("L", "!", "O"):
            options = self._options(q["qid"])
            fields["codes"] = [c for c, _label in options]
            fields["options"] = [label for _c, label in options]
            fields["allow_other"] = q["other"]
            if letter == "O":
                self._lost(q, _("Imported as a single choice: the comment box is dropped."))
        elif letter == "Y":
            fields["codes"], fields["options"] = ["Y", "N"], YES_NO
        elif letter == "G":
            fields["codes"], fields["options"] = ["F", "M"], GENDER
        elif letter in ("M", "P"):
            subs = self._subquestions(q["qid"])
            fields["codes"] = [c for c, _label in subs]
            fields["options"] = [label for _c, label in subs]
            fields["allow_other"] = q["other"]
            if letter == "P":
                self._lost(q, _("Imported as a multiple choice: the comments are dropped."))
        elif letter in ("F", "A", "B"):
            items = self._subquestions(q["qid"])
            if letter == "F":
                scale = [label for _c, label in self._options(q["qid"])]
            else:
                scale = FIVE_POINTS if letter == "A" else TEN_POINTS
            fields["items"] = [label for _c, label in items]
            fields["scale_labels"] = scale
            if not items or len(scale) < 2:
                self._lost(q, _("The array has no rows or fewer than two answer options."))
                return None
            if len(items) == 1 and len(scale) in (3, 4, 5, 7):  # one row: a plain Likert question
                fields["kind"], fields["items"] = QuestionKind.LIKERT, []
                fields["text"] = {c: " — ".join(p for p in (fields["text"][c], items[0][1][c]) if p) for c in LANGS}
        elif letter == "5":
            fields["scale_labels"] = FIVE_POINTS
        elif letter == "N":
            attrs = self.p.attributes.get(q["qid"], {})
            for attr, target in (("min_num_value_n", "min_value"), ("max_num_value_n", "max_value")):
                try:
                    fields[target] = int(float(attrs[attr])) if attrs.get(attr) else None
                except ValueError:
                    fields[target] = None
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(fields["options"]) < 2:
            self._lost(q, _("A choice needs at least two options."))
            return None
        return fields

    def condition(self, q, codes_seen: dict) -> tuple[str, list]:
        """(show_if_code, values) for a simple condition on an earlier choice; '' otherwise."""
        relevance = q["relevance"]
        if relevance in ("", "1"):
            return "", []
        parts = [part.strip() for part in re.split(r"\s+or\s+|\|\|", relevance)]
        matches = [CONDITION.match(part) for part in parts]
        names = {m.group(1) for m in matches if m}
        if all(matches) and len(names) == 1:
            (name,) = names
            earlier = codes_seen.get(name)
            if earlier is not None:
                sapat_code, answer_codes = earlier
                values = [answer_codes.index(m.group(2)) + 1 for m in matches if m.group(2) in answer_codes]
                if len(values) == len(matches):
                    return sapat_code, values
        self._lost(
            q,
            _("The condition “%(condition)s” is not kept: the question is always shown.")
            % {"condition": relevance[:200]},
        )
        return "", []


def _code(raw: str, taken: set) -> str:
    base = slugify(raw)[:36] or "q"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


@transaction.atomic
def import_lss(*, actor, institution, data: bytes, stakeholder, key="", per_teaching_slot=False) -> Questionnaire:
    """Create a questionnaire from a LimeSurvey file. Refuses (ValidationError, nothing
    created) a file that is not one, or one of which no question can be mapped."""
    from .services import _require_manage

    _require_manage(actor, institution.pk)
    parsed = parse(data)
    mapper = Mapper(parsed)
    key = slugify(key or f"limesurvey-{parsed.sid or 'survey'}")[:60]
    if Questionnaire.objects.filter(institution=institution, key=key).exists():
        raise ValidationError({"key": _("A questionnaire with this key exists already: choose another key.")})
    name = mapper.label(parsed.title)
    if not name["ky"]:
        name = {c: _("Imported from LimeSurvey") if c == "ky" else "" for c in LANGS} | {
            c: v for c, v in name.items() if v
        }
    intro = mapper.label(parsed.intro)
    questionnaire = Questionnaire(
        institution=institution,
        key=key,
        stakeholder=stakeholder,
        per_teaching_slot=per_teaching_slot,
        **{f"name_{c}": name[c][:300] for c in LANGS},
        **{f"intro_{c}": intro[c] for c in LANGS},
    )
    pending = []  # (section index, fields) of mapped questions
    sections = []
    codes_seen, taken, order = {}, set(), 0
    for gid, group in sorted(parsed.groups.items(), key=lambda kv: (kv[1]["order"], kv[0])):
        title = mapper.label(group["title"])
        questions = sorted(
            ({"qid": qid, **q} for qid, q in parsed.questions.items() if q["gid"] == gid), key=lambda q: q["order"]
        )
        mapped = []
        for q in questions:
            fields = mapper.question(q)
            if fields is None:
                continue
            show_if_code, show_if_values = mapper.condition(q, codes_seen)
            order += 1
            code = _code(q["code"], taken)
            codes_seen[q["code"]] = (code, fields.pop("codes"))
            mapped.append(
                {**fields, "code": code, "order": order, "show_if_code": show_if_code, "show_if_values": show_if_values}
            )
        if mapped:
            sections.append(title)
            pending.extend((len(sections) - 1, fields) for fields in mapped)
    if not pending:
        raise ValidationError(_("None of the questions of the file could be imported."))
    questionnaire.import_report = [p.as_dict() for p in mapper.problems]
    save_audited(actor, questionnaire, note=_("Imported from LimeSurvey"))
    saved_sections = [
        Section.objects.create(questionnaire=questionnaire, order=i, title=title) for i, title in enumerate(sections)
    ]
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, section=saved_sections[index], **fields) for index, fields in pending
    )
    return questionnaire
