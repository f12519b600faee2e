"""Builds the demo institutions from their data modules (`data_batsu`, `data_oshsu`), then their
documents and records (`documents_loader`, `data_documents`).

One walk serves both: the institution and its root unit through
`services.institution_create`, everything else through `save_audited` with no actor (the
system), so every row has its "create" entry in the audit log. The services' own permission
checks need a signed-in actor, which a loader does not have; the validation (`full_clean`) and
the audit entry are the same.

Made-up people and figures come from `random.Random(spec.seed)`: the same data on every
machine. An institution whose code already exists is left alone, so loading twice changes
nothing."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sapat.core.audit import save_audited
from sapat.core.models import User
from sapat.org import services
from sapat.org.choices import (
    AcademicTitle,
    Degree,
    Gender,
    Post,
    StaffCategory,
    UnitType,
)
from sapat.org.models import (
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

from . import data_batsu, data_names, data_oshsu, documents_loader
from .accreditation_loader import load_accreditation
from .analysis_loader import load_analyses
from .audits_loader import load_audits
from .complaints_loader import load_complaints
from .data_common import (
    ACADEMIC_YEARS,
    ANALYST_ACCOUNT,
    CONTINGENT_YEARS,
    CURRENT_YEAR,
    DEMO_PASSWORD,
    LEVEL_YEARS,
    academic_year_dates,
    semester_dates,
)
from .improvement_loader import load_improvement
from .indicators_loader import load_indicators, load_satisfaction_indicators
from .objective_indicators_loader import load_objective_indicators
from .policy_loader import load_policies
from .process_loader import load_process_registers
from .raising_loader import load_raised
from .risks_loader import load_risks
from .roadmap_loader import load_roadmaps
from .self_evaluation_loader import load_self_evaluations
from .spec import AccountSpec, InstitutionSpec, ProgrammeSpec, UnitSpec
from .surveys_loader import load_surveys

INSTITUTIONS: tuple[InstitutionSpec, ...] = (data_batsu.INSTITUTION, data_oshsu.INSTITUTION)

EMAIL_DOMAIN = "example.org"

# How a made-up head of each kind of unit is appointed: post, title, staff category, and the
# degree profile (see DEGREE_ODDS).
HEAD_OF_TYPE = {
    UnitType.FACULTY: (Post.DEAN, "Факультеттин деканы", StaffCategory.TEACHING, "leader"),
    UnitType.INSTITUTE: (Post.INSTITUTE_DIRECTOR, "Институттун директору", StaffCategory.MANAGEMENT, "leader"),
    UnitType.COLLEGE: (Post.COLLEGE_DIRECTOR, "Колледждин директору", StaffCategory.MANAGEMENT, "college_leader"),
    UnitType.BRANCH: (Post.UNIT_HEAD, "Филиалдын директору", StaffCategory.MANAGEMENT, "leader"),
    UnitType.HIGHER_SCHOOL: (Post.UNIT_HEAD, "Жогорку мектептин директору", StaffCategory.MANAGEMENT, "leader"),
    UnitType.DEPARTMENT: (Post.DEPARTMENT_HEAD, "Кафедра башчысы", StaffCategory.TEACHING, "head"),
    UnitType.CYCLE_COMMISSION: (
        Post.UNIT_HEAD,
        "Предметтик цикл комиссиясынын төрагасы",
        StaffCategory.TEACHING,
        "college",
    ),
    UnitType.ADMIN_DEPARTMENT: (Post.UNIT_HEAD, "Бөлүм башчысы", StaffCategory.MANAGEMENT, "staff"),
    UnitType.CENTRE: (Post.UNIT_HEAD, "Борбордун директору", StaffCategory.MANAGEMENT, "staff"),
    UnitType.SERVICE: (Post.UNIT_HEAD, "Кызматтын жетекчиси", StaffCategory.MANAGEMENT, "staff"),
    UnitType.OTHER: (Post.UNIT_HEAD, "Жетекчи", StaffCategory.MANAGEMENT, "staff"),
}
TOP_ACADEMIC_TYPES = {
    UnitType.FACULTY,
    UnitType.INSTITUTE,
    UnitType.COLLEGE,
    UnitType.BRANCH,
    UnitType.HIGHER_SCHOOL,
}
TEACHING_TYPES = {UnitType.DEPARTMENT, UnitType.CYCLE_COMMISSION}

# (degree, academic title, weight) by profile. Teachers come out at about 45 % with a degree,
# heads of departments and deans far more; college teachers seldom (seed 004 §5.1: one
# candidate of sciences among the 26 teachers of the college's Pedagogy department).
DEGREE_ODDS = {
    "leader": (
        (Degree.DOCTOR, AcademicTitle.PROFESSOR, 20),
        (Degree.CANDIDATE, AcademicTitle.DOCENT, 55),
        (Degree.CANDIDATE, AcademicTitle.NONE, 10),
        (Degree.PHD, AcademicTitle.NONE, 5),
        (Degree.NONE, AcademicTitle.NONE, 10),
    ),
    "head": (
        (Degree.DOCTOR, AcademicTitle.PROFESSOR, 10),
        (Degree.CANDIDATE, AcademicTitle.DOCENT, 50),
        (Degree.CANDIDATE, AcademicTitle.NONE, 15),
        (Degree.PHD, AcademicTitle.NONE, 10),
        (Degree.NONE, AcademicTitle.NONE, 15),
    ),
    "teacher": (
        (Degree.DOCTOR, AcademicTitle.PROFESSOR, 3),
        (Degree.CANDIDATE, AcademicTitle.DOCENT, 20),
        (Degree.CANDIDATE, AcademicTitle.NONE, 14),
        (Degree.PHD, AcademicTitle.NONE, 8),
        (Degree.NONE, AcademicTitle.NONE, 55),
    ),
    "college_leader": (
        (Degree.CANDIDATE, AcademicTitle.DOCENT, 30),
        (Degree.NONE, AcademicTitle.NONE, 70),
    ),
    "college": (
        (Degree.CANDIDATE, AcademicTitle.NONE, 8),
        (Degree.NONE, AcademicTitle.NONE, 92),
    ),
    "staff": (
        (Degree.CANDIDATE, AcademicTitle.NONE, 12),
        (Degree.NONE, AcademicTitle.NONE, 88),
    ),
}
FEMALE_SHARE = {"teacher": 0.62, "college": 0.75, "staff": 0.55, "head": 0.45, "leader": 0.3, "college_leader": 0.5}


def demo_accounts() -> list[tuple[str, AccountSpec]]:
    """Every demo login with the code of its institution ("" for the analyst)."""
    rows = [(inst.code, account) for inst in INSTITUTIONS for account in inst.accounts]
    rows.append(("", ANALYST_ACCOUNT))
    return rows


def walk(spec: UnitSpec, parent_code=None, inside_college=False):
    """The unit tree depth-first: (spec, parent code, lies inside a college)."""
    yield spec, parent_code, inside_college
    for child in spec.children:
        yield from walk(child, spec.code, inside_college or spec.unit_type == UnitType.COLLEGE)


# --- contingent ---------------------------------------------------------------------------


@dataclass
class Cohort:
    year: int
    admitted: int
    size: int
    graduated_in: int | None = None


@dataclass
class ProgrammeHistory:
    figures: dict[int, dict] = field(default_factory=dict)  # start year -> figures
    cohorts: list[Cohort] = field(default_factory=list)


def simulate_contingent(spec: ProgrammeSpec, rng: random.Random) -> ProgrammeHistory:
    """Cohorts admitted each year, losing a few students a year and graduating after the
    length of study. Enrolled counts everyone studying in the year, the year's admissions
    included; graduated and expelled are what happened during the year."""
    length = spec.years or LEVEL_YEARS[spec.level]
    first = spec.first_intake or (CONTINGENT_YEARS.start - length)
    trend = rng.uniform(-0.03, 0.05)
    history = ProgrammeHistory()
    studying: list[Cohort] = []
    for year in range(first, CURRENT_YEAR + 1):
        admitted = 0
        if spec.last_intake is None or year <= spec.last_intake:
            admitted = max(5, round(spec.intake * (1 + trend * (year - 2021)) * rng.uniform(0.85, 1.15)))
            cohort = Cohort(year, admitted, admitted)
            history.cohorts.append(cohort)
            studying.append(cohort)
        if year == CURRENT_YEAR:
            break  # the current year's groups are what is studying now
        enrolled = sum(c.size for c in studying)
        expelled = graduated = 0
        for cohort in list(studying):
            rate = rng.uniform(0.03, 0.07) if cohort.year == year else rng.uniform(0.005, 0.035)
            lost = round(cohort.size * rate)
            cohort.size -= lost
            expelled += lost
            if year - cohort.year + 1 == length:
                graduated += cohort.size
                cohort.graduated_in = year
                studying.remove(cohort)
        if year in CONTINGENT_YEARS and enrolled:
            employed = round(graduated * rng.uniform(*spec.employment))
            history.figures[year] = {
                "admitted": admitted,
                "enrolled": enrolled,
                "graduated": graduated,
                "expelled": expelled,
                "employed": employed,
            }
    return history


def plan_groups(spec: ProgrammeSpec, history: ProgrammeHistory) -> list[tuple[str, int, int, bool]]:
    """(name, admission year, students, studying) for 2 to 6 groups: the cohorts studying now,
    newest first, a big cohort split into groups of at most 35. The demo stops at 6 groups, so
    a large programme shows only its newest groups. A programme with fewer than two cohorts
    left shows its last graduated groups too."""
    groups = []
    studying = sorted((c for c in history.cohorts if c.graduated_in is None), key=lambda c: -c.year)
    for cohort in studying:
        needed = math.ceil(cohort.size / 35)
        for index in range(min(needed, 6 - len(groups))):
            share = cohort.size // needed + (1 if index < cohort.size % needed else 0)
            groups.append((f"{spec.group_prefix}-{index + 1}-{cohort.year % 100:02d}", cohort.year, share, True))
        if len(groups) >= 6:
            break
    graduated = sorted((c for c in history.cohorts if c.graduated_in is not None), key=lambda c: -c.year)
    for cohort in graduated:
        if len(groups) >= 2:
            break
        groups.append((f"{spec.group_prefix}-1-{cohort.year % 100:02d}", cohort.year, cohort.size, False))
    return groups


# --- the loader ---------------------------------------------------------------------------


class InstitutionLoader:
    def __init__(self, spec: InstitutionSpec):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.units: dict[str, Unit] = {}
        self.unit_specs: dict[str, UnitSpec] = {}
        self.parent_of: dict[str, str | None] = {}
        self.in_college: dict[str, bool] = {}
        self.people: dict[str, Person] = {}  # the data module's people by their key
        self.heads: dict[str, Person] = {}
        self.head_since: dict[str, date] = {}
        self.quality: dict[str, Person] = {}
        # Made-up teachers of each teaching unit: programme leaders and quality responsibles
        # are picked among them, so no invented post is pinned on a person the seed names.
        self.teachers: dict[str, list[Person]] = {}
        self.joined: dict[int, date] = {}  # person id -> start of their first position
        self.taken_names: set[str] = {p.name for p in spec.people}

    @transaction.atomic
    def load(self) -> Institution:
        self._units()
        self._named_people()
        self._staff()
        self._former_staff()
        self._set_heads()
        self._calendar()
        self._programmes()
        self._accounts()
        self._close_units()
        return self.institution

    # units

    def _units(self):
        spec, root_spec = self.spec, self.spec.root
        self.institution = Institution(
            code=spec.code,
            kind=spec.kind,
            name_ky=spec.ky,
            name_ru=spec.ru,
            name_en=spec.en,
            short_name_ky=spec.short_ky,
            short_name_ru=spec.short_ru,
            short_name_en=spec.short_en,
        )
        root = Unit(
            unit_type=root_spec.unit_type,
            code=root_spec.code,
            name_ky=root_spec.ky,
            name_ru=root_spec.ru,
            name_en=root_spec.en,
            opened_on=root_spec.opened_on,
        )
        services.institution_create(actor=None, institution=self.institution, root=root)
        for unit_spec, parent_code, in_college in walk(root_spec):
            code = unit_spec.code
            self.unit_specs[code], self.parent_of[code], self.in_college[code] = unit_spec, parent_code, in_college
            if parent_code is None:
                self.units[code] = root
                continue
            unit = Unit(
                institution=self.institution,
                parent=self.units[parent_code],
                unit_type=unit_spec.unit_type,
                code=code,
                name_ky=unit_spec.ky,
                name_ru=unit_spec.ru,
                name_en=unit_spec.en,
                opened_on=unit_spec.opened_on,
            )
            self.units[code] = save_audited(None, unit)

    def _close_units(self):
        """Closed units are created open and closed last, as in life: their people held
        their posts while they were open."""
        for code, unit_spec in self.unit_specs.items():
            if unit_spec.closed_on:
                unit = self.units[code]
                unit.closed_on = unit_spec.closed_on
                save_audited(None, unit)

    # people

    def _person(self, unit, names, gender, category, degree="", academic_title="", left_on=None) -> Person:
        last, first, middle = names
        person = Person(
            institution=self.institution,
            unit=unit,
            last_name=last,
            first_name=first,
            middle_name=middle,
            gender=gender,
            staff_category=category,
            degree=degree,
            academic_title=academic_title,
            left_on=left_on,
        )
        return save_audited(None, person)

    def _position(self, person, unit, post, title, start, end=None) -> Position:
        self.joined[person.pk] = min(start, self.joined.get(person.pk, start))
        position = Position(person=person, unit=unit, post=post, title=title, start_date=start, end_date=end)
        return save_audited(None, position)

    def _named_people(self):
        for spec in self.spec.people:
            unit = self.units[spec.unit]
            person = self._person(
                unit,
                spec.name_parts,
                spec.resolved_gender,
                spec.category,
                spec.degree,
                spec.academic_title,
                spec.left_on,
            )
            self._position(person, unit, spec.post, spec.title, spec.since, spec.until)
            for extra in spec.more_positions:
                self._position(person, self.units[extra.unit], extra.post, extra.title, extra.start, extra.end)
            self.people[spec.key] = person
            for code in spec.head_of:
                self.heads[code], self.head_since[code] = person, spec.since
            for code in spec.quality_of:
                self.quality[code] = person

    def _new_name(self, gender) -> tuple[str, str, str]:
        rng, female = self.rng, gender == Gender.FEMALE
        for _ in range(500):
            first = rng.choice(data_names.FEMALE_FIRST_NAMES if female else data_names.MALE_FIRST_NAMES)
            father = rng.choice(data_names.FATHER_NAMES)
            if rng.random() < data_names.PATRONYMIC_SURNAME_SHARE:
                last, middle = f"{father[0]} {'кызы' if female else 'уулу'}", ""
            else:
                last = rng.choice(data_names.LAST_NAMES) + ("а" if female else "")
                middle = father[2] if female else father[1]
            full = " ".join(part for part in (last, first, middle) if part)
            if full not in self.taken_names:
                self.taken_names.add(full)
                return last, first, middle
        raise RuntimeError("Ran out of made-up names; add some to data_names.")

    def _made_up(self, unit, post, title, since, category, profile, until=None, left_on=None) -> Person:
        """A made-up person with one position. `title` may be a function of the person's
        academic title (a teacher's post follows it: docent, professor)."""
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < FEMALE_SHARE[profile] else Gender.MALE
        names = self._new_name(gender)
        odds = DEGREE_ODDS[profile]
        degree, academic_title, _ = rng.choices(odds, weights=[weight for *_, weight in odds])[0]
        person = self._person(unit, names, gender, category, degree, academic_title, left_on)
        self._position(person, unit, post, title(academic_title) if callable(title) else title, since, until)
        return person

    def _year(self, low, high, month=9, day=1) -> date:
        return date(self.rng.randint(low, high), month, day)

    def _staff(self):
        """Made-up heads where the data names none, quality responsibles, teachers, specialists."""
        for code, unit_spec in self.unit_specs.items():
            unit, kind = self.units[code], unit_spec.unit_type
            if kind in (UnitType.INSTITUTION, UnitType.COUNCIL):
                continue
            if unit_spec.closed_on:
                self._former_head(unit_spec)
                continue
            in_college = self.in_college[code]
            post, title, category, profile = HEAD_OF_TYPE[kind]
            if in_college and kind == UnitType.DEPARTMENT:
                profile = "college"
            if code not in self.heads:
                since = self._year(2012, 2024)
                head = self._made_up(unit, post, unit_spec.head_title or title, since, category, profile)
                self.heads[code], self.head_since[code] = head, since
            if kind in TEACHING_TYPES:
                self._teachers(unit_spec, in_college)
            elif kind in TOP_ACADEMIC_TYPES:
                if code not in self.quality:
                    self.quality[code] = self._made_up(
                        unit,
                        Post.UNIT_QUALITY,
                        self.spec.unit_quality_title,
                        self._year(2019, 2024),
                        StaffCategory.TEACHING,
                        "college" if in_college or kind == UnitType.COLLEGE else "teacher",
                    )
            else:
                # An office answers for its own quality through its head.
                self.quality.setdefault(code, self.heads[code])
            for _ in range(unit_spec.specialists):
                self._made_up(
                    unit,
                    unit_spec.specialist_post,
                    unit_spec.specialist_title,
                    self._year(2008, 2025),
                    StaffCategory.TEACHING_SUPPORT,
                    "staff",
                )

    def _teachers(self, unit_spec: UnitSpec, in_college: bool):
        rng, code, unit = self.rng, unit_spec.code, self.units[unit_spec.code]
        count = unit_spec.teachers if unit_spec.teachers is not None else rng.randint(2, 4)

        def title(academic_title):
            if in_college:
                return "Мугалим"
            if academic_title == AcademicTitle.PROFESSOR:
                return "Профессор"
            if academic_title == AcademicTitle.DOCENT:
                return "Доцент"
            return rng.choice(("Окутуучу", "Ага окутуучу"))

        staff = self.teachers.setdefault(code, [])
        for _ in range(count):
            since = self._year(1996, 2024)
            profile = "college" if in_college else "teacher"
            staff.append(self._made_up(unit, Post.TEACHER, title, since, StaffCategory.TEACHING, profile))
        if not staff:
            return
        # Now and then the department changed heads; the former head still teaches there.
        head_since = self.head_since[code]
        former = staff[0]
        start = max(self.joined[former.pk], date(head_since.year - rng.randint(4, 8), 9, 1))
        if rng.random() < 0.35 and start < head_since:
            self._position(former, unit, Post.DEPARTMENT_HEAD, "Кафедра башчысы", start, head_since - timedelta(1))
        # The department's quality responsible: one of its teachers.
        if code not in self.quality:
            person = staff[-1]
            self.quality[code] = person
            since = max(self.joined[person.pk], date(2021, 9, 1))
            self._position(person, unit, Post.UNIT_QUALITY, self.spec.department_quality_title, since)

    def _former_head(self, unit_spec: UnitSpec):
        """A closed department keeps its last head in the history: the data's where it names
        one, else a made-up teacher who moved to a sibling department."""
        code = unit_spec.code
        if any(position.unit == code for person in self.spec.people for position in person.more_positions):
            return
        parent = self.unit_specs[self.parent_of[code]]
        sibling = next(
            s.code for s in parent.children if s.code != code and not s.closed_on and s.unit_type in TEACHING_TYPES
        )
        moved_on = unit_spec.closed_on + timedelta(1)
        former = self._made_up(self.units[sibling], Post.TEACHER, "Доцент", moved_on, StaffCategory.TEACHING, "head")
        start = max(unit_spec.opened_on or date(2012, 9, 1), date(2012, 9, 1))
        self._position(former, self.units[code], Post.DEPARTMENT_HEAD, "Кафедра башчысы", start, unit_spec.closed_on)

    def _former_staff(self):
        """People who left: their only position ended on the day they left."""
        departments = [c for c, s in self.unit_specs.items() if s.unit_type in TEACHING_TYPES and not s.closed_on]
        for _ in range(self.spec.former_staff):
            code = self.rng.choice(departments)
            left = date(self.rng.randint(2019, 2025), 6, 30)
            in_college = self.in_college[code]
            self._made_up(
                self.units[code],
                Post.TEACHER,
                "Мугалим" if in_college else "Окутуучу",
                self._year(2005, 2016),
                StaffCategory.TEACHING,
                "college" if in_college else "teacher",
                until=left,
                left_on=left,
            )

    def _set_heads(self):
        for code, unit in self.units.items():
            head, quality = self.heads.get(code), self.quality.get(code)
            if head or quality:
                unit.head, unit.quality_responsible = head, quality
                save_audited(None, unit)

    # academic frame

    def _calendar(self):
        self.years = {}
        for start_year in ACADEMIC_YEARS:
            start, end = academic_year_dates(start_year)
            year = AcademicYear(institution=self.institution, start_year=start_year, start_date=start, end_date=end)
            self.years[start_year] = save_audited(None, year)
            for kind, (first_day, last_day) in semester_dates(start_year).items():
                semester = Semester(academic_year=year, kind=kind, start_date=first_day, end_date=last_day)
                save_audited(None, semester)

    def _programmes(self):
        led: dict[str, int] = {}
        for spec in self.spec.programmes:
            unit = self.units[spec.unit]
            staff = self.teachers.get(spec.unit) or [self.heads[spec.unit]]
            candidates = [p for p in staff if p.degree] or staff
            leader = candidates[led.get(spec.unit, 0) % len(candidates)]
            led[spec.unit] = led.get(spec.unit, 0) + 1
            programme = Programme(
                institution=self.institution,
                unit=unit,
                code=spec.code,
                name_ky=spec.ky,
                name_ru=spec.ru,
                name_en=spec.en,
                level=spec.level,
                study_form=spec.study_form,
                language=spec.language,
                leader=leader,
                is_active=spec.last_intake is None,
            )
            save_audited(None, programme)
            since = max(self.joined[leader.pk], date(2022, 9, 1))
            self._position(leader, unit, Post.PROGRAMME_LEADER, f"«{spec.ky}» программасынын жетекчиси", since)
            history = simulate_contingent(spec, self.rng)
            for name, admission_year, students, studying in plan_groups(spec, history):
                group = StudentGroup(
                    programme=programme,
                    name=name,
                    admission_year=admission_year,
                    student_count=students,
                    is_active=studying,
                )
                save_audited(None, group)
            for start_year, figures in history.figures.items():
                save_audited(
                    None, ContingentFigure(programme=programme, academic_year=self.years[start_year], **figures)
                )

    # accounts

    def _accounts(self):
        for account in self.spec.accounts:
            create_account(account, self.people[account.person], self.units[account.unit])


def create_account(account: AccountSpec, person: Person | None, unit: Unit | None) -> User:
    """A demo login with the shared password, linked to its person, holding one role. Not a
    superuser, even the administrator: what the demo shows is the role."""
    user = User(username=account.username, email=f"{account.username}@{EMAIL_DOMAIN}")
    if person is not None:
        user.first_name, user.last_name = person.first_name, person.last_name
    user.is_superuser = user.is_staff = False
    user.set_password(DEMO_PASSWORD)
    save_audited(None, user, validate=False)
    if person is not None:
        person.user = user
        person.email = person.email or user.email
        save_audited(None, person)
    today = timezone.localdate()
    valid_until = today + timedelta(days=account.valid_days) if account.valid_days else None
    save_audited(
        None, RoleAssignment(user=user, role=account.role, unit=unit, valid_from=today, valid_until=valid_until)
    )
    return user


# --- entry point --------------------------------------------------------------------------


def load(write=print) -> dict[str, str]:
    """Load every demo institution that is not there yet, then the analyst. Returns what
    happened to each: "created" or "skipped"."""
    outcome = {}
    for spec in INSTITUTIONS:
        if Institution.objects.filter(code=spec.code).exists():
            outcome[spec.code] = "skipped"
            write(f"{spec.code}: already there, left as it is.")
            # Its documents, if it was loaded before the demo had any.
            outcome[f"{spec.code} documents"] = documents_loader.load(
                Institution.objects.get(code=spec.code), write=write
            )
            continue
        taken = User.objects.filter(username__in=[a.username for a in spec.accounts]).values_list("username", flat=True)
        if taken:
            raise DemoConflict(
                f"{spec.code}: the user name(s) {', '.join(sorted(taken))} already exist; "
                "the demo cannot be loaded next to them."
            )
        loader = InstitutionLoader(spec)
        loader.load()
        outcome[spec.code] = "created"
        summary = ", ".join(
            f"{model.objects.filter(**{lookup: spec.code}).count()} {label}" for label, model, lookup in COUNTED
        )
        write(f"{spec.code}: created — {summary}.")
        outcome[f"{spec.code} documents"] = documents_loader.load(loader.institution, write=write)
    if User.objects.filter(username=ANALYST_ACCOUNT.username).exists():
        outcome["analyst"] = "skipped"
    else:
        with transaction.atomic():
            create_account(ANALYST_ACCOUNT, None, None)
        outcome["analyst"] = "created"
    outcome.update({f"{code} processes": done for code, done in load_process_registers(write).items()})
    outcome.update({f"{code} policy": done for code, done in load_policies(write).items()})
    outcome.update({f"{code} risks": done for code, done in load_risks(write).items()})
    outcome.update({f"{code} nonconformities": done for code, done in load_improvement(write).items()})
    outcome.update({f"{code} indicators": done for code, done in load_indicators(write).items()})
    outcome.update({f"{code} objective indicators": d for code, d in load_objective_indicators(write).items()})
    outcome.update({f"{code} audits": done for code, done in load_audits(write).items()})
    outcome.update({f"{code} analyses": done for code, done in load_analyses(write).items()})
    outcome.update({f"{code} complaints": done for code, done in load_complaints(write).items()})
    outcome.update({f"{code} raised": done for code, done in load_raised(write).items()})
    outcome.update({f"{code} roadmap": done for code, done in load_roadmaps(write).items()})
    outcome.update({f"{code} surveys": done for code, done in load_surveys(write).items()})
    outcome.update({f"{code} satisfaction": d for code, d in load_satisfaction_indicators(write).items()})
    outcome.update({f"{code} accreditation": done for code, done in load_accreditation(write).items()})
    outcome.update({f"{code} self-evaluation": done for code, done in load_self_evaluations(write).items()})
    return outcome


class DemoConflict(Exception):
    pass


# What the command reports per institution: label, model, the lookup to the institution code.
COUNTED = (
    ("units", Unit, "institution__code"),
    ("people", Person, "institution__code"),
    ("positions", Position, "person__institution__code"),
    ("programmes", Programme, "institution__code"),
    ("student groups", StudentGroup, "programme__institution__code"),
    ("contingent rows", ContingentFigure, "programme__institution__code"),
)


def login_rows() -> list[tuple[str, str, str, str]]:
    """(user name, password, role, where) for every demo login that exists."""
    rows = []
    for _institution, account in demo_accounts():
        assignment = (
            RoleAssignment.objects.filter(user__username=account.username, role=account.role)
            .select_related("unit__institution")
            .first()
        )
        if assignment is None:
            continue
        unit = assignment.unit
        if unit is None:
            where = "every institution"
        elif unit.parent_id is None:
            where = f"{unit.institution.short_name_ky}, whole institution"
        else:
            where = f"{unit.institution.short_name_ky} / {unit.code} {unit.name_ky}"
        rows.append((account.username, DEMO_PASSWORD, account.role, where))
    return rows
