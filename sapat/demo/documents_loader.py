"""The demo institutions' documents and records (`data_documents`): document types, the policy
and the Quality Manual approved by the Academic Council, the 18 documented procedures at every
stage of their life, a unit regulation, external documents, acquaintance requests with a
realistic share read, record types and records, some past their retention period.

The rows are made as the services make them (`sapat.documents.services`): codes from the
type's pattern and counter, models validated, each row logged with `save_audited` with no actor
(the system). The services themselves need a signed-in actor with rights, which a loader does
not have; they are not called. Acquaintance requests are bulk-created, as `bring_into_force`
does. Dates are counted back from today, so the demo always has documents overdue for review,
due soon, in agreement and registered for next week.

An institution that already has document types is left alone: loading twice changes nothing,
and a database loaded before the documents existed gets them on the next run."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from sapat.core.audit import save_audited
from sapat.documents import services
from sapat.documents.choices import (
    AgreementDecision,
    ApproverKind,
    DocumentStatus,
    ReviewOutcome,
    RevisionState,
)
from sapat.documents.models import (
    Acquaintance,
    AgreementStep,
    Document,
    DocumentReview,
    DocumentType,
    LanguageVersion,
    Record,
    RecordType,
    Revision,
    add_months,
)
from sapat.org.choices import Post, UnitType
from sapat.org.models import Institution, Person, Position, Unit

from . import data_documents
from .data_documents import InstitutionDocuments, procedure_text

TOP_ACADEMIC_TYPES = {UnitType.FACULTY, UnitType.INSTITUTE, UnitType.COLLEGE, UnitType.BRANCH, UnitType.HIGHER_SCHOOL}

MANUAL_TEXT = (
    "1. Жалпы жоболор\n"
    "Сапат боюнча жетектеме {short}нун сапат менеджменти системасынын (СМС) негизги жоболорун, түзүлүшүн, "
    "процесстерин жана алардын өз ара байланышын ISO 9001:2015 стандартынын талаптарына ылайык сүрөттөйт. "
    "Жетектеме бардык структуралык бөлүмдөр жана кызматкерлер үчүн милдеттүү.\n\n"
    "2. Колдонуу чөйрөсү\n"
    "СМС жогорку жана орто кесиптик билим берүүнү, дипломдон кийинки билим берүүнү жана илимий-изилдөө "
    "ишмердигин камтыйт. Негизги продукция – билим берүү кызматы.\n\n"
    "3. Документтештирилген маалымат\n"
    "СМСтин документтери төрт деңгээлге бөлүнөт: сапат саясаты жана жетектеме; документтештирилген "
    "процедуралар; бөлүмдөр жөнүндө жоболор жана инструкциялар; жазуулар. Укуктук-ченемдик документтер базалык "
    "деңгээлди түзөт.\n\n"
    "4. Жетектеменин актуалдуулугу\n"
    "Жетектеменин актуалдуулугун сапат бөлүмү жылына бир жолу текшерет; текшерүүлөр жана өзгөртүүлөр "
    "өзгөрүүлөрдү каттоо барагында белгиленет. Түп нускасы сапат бөлүмүндө сакталат."
)

POLICY_TEXT = (
    "{short}нун миссиясы – мамлекеттик билим берүү стандарттарына жана коомдун муктаждыктарына жооп берген "
    "сапаттуу билим берүү кызматын көрсөтүү.\n\n"
    "Сапат жаатындагы саясаттын негизги жоболору:\n"
    "1. Билим берүү ишмердигин мамлекеттик стандарттарга жана квалификациялуу адистерге болгон коомдун "
    "муктаждыктарына шайкеш келтирүү.\n"
    "2. Бардык кызыкдар тараптар менен туруктуу, өз ара пайдалуу мамилелерди түзүү жана алардын талаптарын "
    "изилдөө.\n"
    "3. Бардык деңгээлдеги жетекчилердин жеке жоопкерчилиги; ар бир кызматкер өз милдеттерин жана "
    "ыйгарым укуктарын так билет.\n"
    "4. Окутуучулардын, кызматкерлердин жана студенттердин квалификациясын жана шыктануусун тынымсыз "
    "жогорулатуу.\n"
    "5. Билим берүүнү илим менен интеграциялоо.\n"
    "6. Университетти санариптештирүү.\n\n"
    "Саясат сайтта жарыяланат, ар бир деңгээлде колдонулат жана зарыл болгондо кайра каралат."
)

REGULATION_TEXT = (
    "1. Жалпы жоболор\n"
    "{unit} – {short}нун сапат менеджменти системасын иштеп чыгууга, колдоого жана өркүндөтүүгө жооп берген "
    "структуралык бөлүм. Бөлүм ректорго баш ийет.\n\n"
    "2. Милдеттери\n"
    "2.1. СМСтин документтерин иштеп чыгуу жана аларды башкаруу.\n"
    "2.2. Ички аудиттерди уюштуруу жана алардын жыйынтыктарын талдоо.\n"
    "2.3. Керектөөчүлөрдүн канааттануусун сурамжылоо.\n"
    "2.4. Жетекчиликтин анализине маалымат даярдоо.\n\n"
    "3. Укуктары жана жоопкерчилиги\n"
    "Бөлүм структуралык бөлүмдөрдөн СМСке тиешелүү маалыматты сурап алууга укуктуу. Бөлүмдүн башчысы "
    "бөлүмдүн милдеттеринин аткарылышына жеке жооп берет."
)


def _at(day: date, hour=9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class DocumentsLoader:
    def __init__(self, institution: Institution, spec: InstitutionDocuments):
        self.institution, self.spec = institution, spec
        self.rng = random.Random(f"documents-{spec.code}")
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.units = {u.code: u for u in Unit.objects.filter(institution=institution).select_related("head__user")}
        self.root = next(u for u in self.units.values() if u.parent_id is None)
        self.short = institution.short_name_ky
        self.rector = self.root.head
        self.quality_unit = self.units[spec.quality_unit]
        self.quality_head = self.quality_unit.head
        self.council = next(u for u in self.units.values() if u.unit_type == UnitType.COUNCIL and u.code == "ОК")
        self.academic = [
            u for u in self.units.values() if u.parent_id == self.root.pk and u.unit_type in TOP_ACADEMIC_TYPES
        ]
        self.vice_rector = self._holder(Post.VICE_RECTOR_ACADEMIC) or self.quality_head
        # The dean on agreement sheets: a head of a faculty or institute with a demo login, if any.
        heads = [u.head for u in self.academic if u.head is not None and u.is_active]
        self.dean = next((h for h in heads if h.user_id), heads[0] if heads else self.quality_head)
        self.types: dict[str, DocumentType] = {}
        self.counts = {"documents": 0, "revisions": 0, "requests": 0, "read": 0, "record types": 0, "records": 0}

    def _holder(self, post) -> Person | None:
        position = (
            Position.objects.current()
            .filter(person__institution=self.institution, post=post)
            .select_related("person__user")
            .order_by("start_date", "id")
            .first()
        )
        return position.person if position else None

    @transaction.atomic
    def load(self) -> dict[str, int]:
        self._types()
        self._level_one()
        self._procedures()
        self._regulation()
        self._externals()
        self._records()
        self._reindex()
        return self.counts

    # --- types ------------------------------------------------------------------------------

    def _types(self):
        for spec in data_documents.DOCUMENT_TYPES:
            council = spec.approver_kind == ApproverKind.COUNCIL
            doc_type = DocumentType(
                institution=self.institution,
                code=spec.code,
                name_ky=spec.ky,
                name_ru=spec.ru,
                name_en=spec.en,
                level=spec.level,
                code_pattern=spec.code_pattern,
                approver_kind=spec.approver_kind,
                approver=self.rector if spec.approver == "rector" and not council else None,
                approval_body=self.council if council else None,
                review_months=spec.review_months,
            )
            self.types[spec.code] = save_audited(None, doc_type)

    # --- building blocks ----------------------------------------------------------------------

    def _author(self, owner):
        person = owner if owner is not None and owner.user_id else self.quality_head
        return person.user if person is not None and person.user_id else None

    def _document(self, type_code, unit, titles, owner, *, readers=(), **fields) -> Document:
        doc_type = self.types[type_code]
        document = Document(
            institution=self.institution,
            doc_type=doc_type,
            unit=unit,
            title_ky=titles[0],
            title_ru=titles[1],
            title_en=titles[2],
            owner=owner,
            institution_wide=True,
            review_months=doc_type.review_months,
            **fields,
        )
        document.code = services._next_code(document)
        save_audited(None, document)
        if readers:
            document.distributed_units.set(readers)
        self.counts["documents"] += 1
        return document

    def _revision(
        self,
        document,
        number,
        state,
        text,
        *,
        effective=None,
        approved_on=None,
        protocol=None,
        ended_on=None,
        summary="",
        clauses="",
    ) -> Revision:
        council = document.doc_type.approver_kind == ApproverKind.COUNCIL
        approved = approved_on is not None
        registered_on = None
        if effective is not None and approved:
            registered_on = max(approved_on, effective - timedelta(days=self.rng.randint(0, 3)))
        revision = Revision(
            document=document,
            number=number,
            state=state,
            summary=summary,
            clauses=clauses,
            author=self._author(document.owner),
            effective_date=effective,
            approved_on=approved_on,
            approved_by=(self.quality_head if council else document.doc_type.approver) if approved else None,
            approval_body=self.council if council and approved else None,
            protocol_number=protocol[0] if protocol else "",
            protocol_date=protocol[1] if protocol else None,
            registered_on=registered_on,
            ended_on=ended_on,
        )
        save_audited(None, revision)
        save_audited(None, LanguageVersion(revision=revision, language="ky", text=text))
        self.counts["revisions"] += 1
        return revision

    def _in_force(self, document, revision):
        """What bringing into force leaves behind: the document's status and next review, and
        the readers asked to read the revision, a share of them having read it."""
        document.status = DocumentStatus.IN_FORCE
        document.next_review_on = add_months(revision.effective_date, document.review_months)
        save_audited(None, document)
        age = (self.today - revision.effective_date).days
        share = 0.9 if age > 300 else 0.75 if age > 120 else 0.55 if age > 30 else 0.25
        asked = _at(revision.effective_date)
        rows = []
        for person in services.distribution_people(document):
            confirmed = None
            if self.rng.random() < share:
                confirmed = min(
                    asked + timedelta(days=self.rng.randint(1, 40), hours=self.rng.randint(0, 8)),
                    self.now - timedelta(hours=1),
                )
                self.counts["read"] += 1
            rows.append(Acquaintance(revision=revision, person=person, requested_at=asked, confirmed_at=confirmed))
        Acquaintance.objects.bulk_create(rows, ignore_conflicts=True)
        self.counts["requests"] += len(rows)

    def _approved_before(self, effective: date) -> date:
        return effective - timedelta(days=self.rng.randint(3, 10))

    def _agreement(self, revision, *, all_agreed: bool):
        for order, person in enumerate((self.vice_rector, self.dean), start=1):
            agreed = order == 1 or all_agreed
            save_audited(
                None,
                AgreementStep(
                    revision=revision,
                    order=order,
                    person=person,
                    decision=AgreementDecision.AGREED if agreed else AgreementDecision.PENDING,
                    decided_at=self.now - timedelta(days=self.rng.randint(1, 4) + (2 - order) * 3) if agreed else None,
                ),
            )

    # --- level 1 ------------------------------------------------------------------------------

    def _level_one(self):
        spec, short = self.spec, self.short
        owner, unit = self.quality_head, self.quality_unit
        # The policy: approved by the Academic Council a year and a half ago, checked since.
        policy = self._document(
            "СП",
            unit,
            (
                spec.policy_title,
                "Миссия, стратегия, стратегические цели и политика в области качества",
                "Mission, strategy, strategic objectives and quality policy",
            ),
            owner,
            readers=[self.root],
        )
        protocol_date = self.today - timedelta(days=540)
        revision = self._revision(
            policy,
            1,
            RevisionState.IN_FORCE,
            POLICY_TEXT.format(short=short),
            effective=protocol_date + timedelta(days=3),
            approved_on=protocol_date,
            protocol=("3", protocol_date),
        )
        self._in_force(policy, revision)
        reviewed_on = self.today - timedelta(days=100)
        save_audited(
            None,
            DocumentReview(
                document=policy,
                reviewed_on=reviewed_on,
                reviewed_by=self.quality_head,
                outcome=ReviewOutcome.CURRENT,
                note="Саясат өнүгүү концепциясына шайкеш; өзгөртүү талап кылынбайт.",
            ),
        )
        policy.next_review_on = add_months(reviewed_on, policy.review_months)
        save_audited(None, policy)

        # The Quality Manual: its first revision replaced by the second, both approved by the
        # Academic Council with their protocols.
        manual = self._document(
            "СЖ", unit, (spec.manual_title, "Руководство по качеству", "Quality Manual"), owner, readers=[self.root]
        )
        first_protocol = spec.manual_first_protocol
        number, days_ago = spec.manual_protocol
        second_date = self.today - timedelta(days=days_ago)
        second_effective = second_date + timedelta(days=5)
        self._revision(
            manual,
            1,
            RevisionState.OBSOLETE,
            MANUAL_TEXT.format(short=short),
            effective=first_protocol[1] + timedelta(days=2),
            approved_on=first_protocol[1],
            protocol=first_protocol,
            ended_on=second_effective,
        )
        revision = self._revision(
            manual,
            2,
            RevisionState.IN_FORCE,
            MANUAL_TEXT.format(short=short),
            effective=second_effective,
            approved_on=second_date,
            protocol=(number, second_date),
            summary="Уюштуруу түзүмү жаңыланды; процесстердин реестри жана документтерди башкаруу бөлүмү толукталды.",
            clauses="5.1, 5.4.3, 1-тиркеме",
        )
        self._in_force(manual, revision)

    # --- level 2 ------------------------------------------------------------------------------

    def _procedure_owner(self, number, unit):
        post = self.spec.procedure_owner_posts.get(number)
        if post:
            return self._holder(post) or unit.head
        return unit.head

    def _procedures(self):
        spec = self.spec
        for index, (procedure, title) in enumerate(zip(data_documents.PROCEDURES, spec.procedure_titles, strict=True)):
            number = procedure.number
            assert number == f"2.{index + 1}"
            unit = self.units[spec.procedure_units[number]]
            owner = self._procedure_owner(number, unit)
            readers = [unit, *self.academic] if procedure.readers == "all" else [unit]
            document = self._document("ДП", unit, (title, procedure.ru, procedure.en), owner, readers=readers)
            text = procedure_text(procedure, self.short, unit.name_ky)
            if number in spec.in_agreement or number in spec.awaiting_approval:
                waiting = number in spec.awaiting_approval
                revision = self._revision(
                    document, 1, RevisionState.APPROVAL if waiting else RevisionState.AGREEMENT, text
                )
                self._agreement(revision, all_agreed=waiting)
            elif number in spec.drafts:
                self._revision(document, 1, RevisionState.DRAFT, text)
            elif number in spec.two_revisions:
                first_effective = self.today - timedelta(days=self.rng.randint(650, 760))
                second_effective = self.today - timedelta(days=self.rng.randint(120, 180))
                self._revision(
                    document,
                    1,
                    RevisionState.OBSOLETE,
                    text,
                    effective=first_effective,
                    approved_on=self._approved_before(first_effective),
                    ended_on=second_effective,
                )
                revision = self._revision(
                    document,
                    2,
                    RevisionState.IN_FORCE,
                    text,
                    effective=second_effective,
                    approved_on=self._approved_before(second_effective),
                    summary="Ички аудиттердин программасын бекитүү мөөнөтү жана аудиторлорду дайындоо тартиби "
                    "тактоодон өттү.",
                    clauses="4.1, 4.2",
                )
                self._in_force(document, revision)
            else:
                if number in spec.overdue:
                    effective = self.today - timedelta(days=self.rng.randint(430, 600))
                elif number in spec.due_soon:
                    effective = add_months(self.today + timedelta(days=10), -document.review_months)
                else:
                    effective = self.today - timedelta(days=self.rng.randint(40, 320))
                revision = self._revision(
                    document,
                    1,
                    RevisionState.IN_FORCE,
                    text,
                    effective=effective,
                    approved_on=self._approved_before(effective),
                )
                self._in_force(document, revision)
                if number in spec.registered_next:
                    coming = self.today + timedelta(days=6)
                    self._revision(
                        document,
                        2,
                        RevisionState.REGISTERED,
                        text,
                        effective=coming,
                        approved_on=self.today - timedelta(days=5),
                        summary="Силлабустарды жаңылоо мөөнөтү жана сессиянын жыйынтыктарын талдоо тартиби өзгөртүлдү.",
                        clauses="4.2, 4.5",
                    )

    # --- level 3 and external documents ---------------------------------------------------------

    def _regulation(self):
        unit = self.quality_unit
        document = self._document(
            "БЖ",
            unit,
            (f"{unit.name_ky} жөнүндө жобо", f"Положение: {unit.name_ru}", f"Regulation: {unit.name_en}"),
            self.quality_head,
            readers=[unit],
        )
        effective = self.today - timedelta(days=self.rng.randint(380, 520))
        revision = self._revision(
            document,
            1,
            RevisionState.IN_FORCE,
            REGULATION_TEXT.format(unit=unit.name_ky, short=self.short),
            effective=effective,
            approved_on=self._approved_before(effective),
        )
        self._in_force(document, revision)

    def _externals(self):
        groups = {"root": [self.root], "quality": [self.quality_unit], "academic": [self.quality_unit, *self.academic]}
        for spec in self.spec.externals:
            document = self._document(
                "ТД",
                self.quality_unit,
                (spec.title_ky, spec.title_ru, spec.title_en),
                self.quality_head,
                readers=groups[spec.readers],
                issuer=spec.issuer,
                external_number=spec.number,
                external_date=spec.dated,
            )
            received = self.today - timedelta(days=spec.received_days_ago)
            revision = Revision(
                document=document,
                number=1,
                state=RevisionState.IN_FORCE,
                author=self._author(self.quality_head),
                effective_date=received,
                registered_on=received,
                approved_on=spec.dated,
            )
            save_audited(None, revision)
            save_audited(None, LanguageVersion(revision=revision, language="ky", text=spec.note))
            self.counts["revisions"] += 1
            self._in_force(document, revision)

    # --- records --------------------------------------------------------------------------------

    def _records(self):
        kinds = {}
        for spec in self.spec.record_types:
            kinds[spec.key] = save_audited(
                None,
                RecordType(
                    institution=self.institution,
                    name_ky=spec.ky,
                    name_ru=spec.ru,
                    name_en=spec.en,
                    retention_months=spec.retention_months,
                    unit=self.units[spec.keeper],
                    description=spec.description,
                ),
            )
            self.counts["record types"] += 1
        for spec in self.spec.records:
            if spec.dated > self.today:
                continue  # (a record of a year still to come, when the demo is loaded early)
            record_type = kinds[spec.record_type]
            record = save_audited(
                None,
                Record(
                    record_type=record_type,
                    unit=self.units[spec.unit] if spec.unit else record_type.unit,
                    title=spec.title,
                    dated=spec.dated,
                    location=spec.location,
                ),
            )
            self.counts["records"] += 1
            if spec.disposal_act:
                act = spec.disposal_act
                record.disposed_on = date.fromisoformat(act.rsplit(", ", 1)[1])
                record.disposed_by, record.disposal_note = self.quality_head, act
                save_audited(None, record)

    def _reindex(self):
        """The search index, where the documents module keeps one, is brought up to date."""
        try:
            from sapat.documents import search
        except ImportError:
            return
        rebuild = getattr(search, "rebuild", None)
        if rebuild is not None:
            rebuild(list(Document.objects.filter(institution=self.institution).values_list("pk", flat=True)))


def has_documents(institution: Institution) -> bool:
    return DocumentType.objects.filter(institution=institution).exists()


def load(institution: Institution, write=print) -> str:
    """The documents of one demo institution, unless it has some already: "created" or "skipped"."""
    spec = data_documents.INSTITUTIONS.get(institution.code)
    if spec is None:
        return "skipped"
    if has_documents(institution):
        write(f"{institution.code}: documents present, left as they are.")
        return "skipped"
    counts = DocumentsLoader(institution, spec).load()
    write(
        f"{institution.code}: documents — {counts['documents']} documents, {counts['revisions']} revisions, "
        f"{counts['requests']} requests to read ({counts['read']} read), {counts['record types']} record types, "
        f"{counts['records']} records."
    )
    return "created"
