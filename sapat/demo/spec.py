"""The shapes the demo data modules fill in. Plain records, no database: `data_batsu` and
`data_oshsu` describe an institution with them and `loader` turns them into rows."""

from dataclasses import dataclass
from datetime import date

from sapat.org.choices import Gender, Post, StaffCategory, StudyForm, TeachingLanguage


@dataclass(frozen=True)
class UnitSpec:
    code: str
    unit_type: str
    ky: str
    ru: str
    en: str
    children: tuple["UnitSpec", ...] = ()
    opened_on: date | None = None
    closed_on: date | None = None
    # The title written on the head's position when the loader makes up the head.
    head_title: str = ""
    # Made-up teachers for a department (None: 2 to 4), specialists for an office.
    teachers: int | None = None
    specialists: int = 0
    specialist_post: str = Post.SPECIALIST
    specialist_title: str = "Адис"


def unit(code, unit_type, ky, ru, en, *children, **options) -> UnitSpec:
    return UnitSpec(code, unit_type, ky, ru, en, tuple(children), **options)


@dataclass(frozen=True)
class PositionSpec:
    unit: str  # unit code
    post: str
    title: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class PersonSpec:
    """A person named in the seed (or a made-up person the demo logins need).

    `name` is written as in the seed's registers: last name, first name, patronymic;
    "Эргешали кызы Айчүрөк" is last name "Эргешали кызы" and first name "Айчүрөк"."""

    key: str
    name: str
    unit: str  # the main unit's code
    post: str
    title: str
    since: date
    until: date | None = None  # the main position ended (someone who left)
    category: str = StaffCategory.MANAGEMENT
    gender: str = ""  # read from the patronymic when left blank
    degree: str = ""
    academic_title: str = ""
    head_of: tuple[str, ...] = ()
    quality_of: tuple[str, ...] = ()
    # Process codes of the seed's register this person owns (for the process register).
    processes: tuple[str, ...] = ()
    more_positions: tuple[PositionSpec, ...] = ()
    left_on: date | None = None
    source: str = ""  # where the seed names the person

    @property
    def name_parts(self) -> tuple[str, str, str]:
        return split_name(self.name)

    @property
    def resolved_gender(self) -> str:
        return self.gender or guess_gender(*self.name_parts)


def split_name(full_name: str) -> tuple[str, str, str]:
    """Kyrgyz "Last First Patronymic", with "X уулу" / "X кызы" as a two-word last name."""
    words = full_name.split()
    if len(words) >= 3 and words[1] in ("уулу", "кызы"):
        return f"{words[0]} {words[1]}", words[2], " ".join(words[3:])
    if len(words) < 2:
        raise ValueError(f"A person needs at least a last and a first name: {full_name!r}")
    return words[0], words[1], " ".join(words[2:])


def guess_gender(last_name: str, first_name: str, middle_name: str) -> str:
    if last_name.endswith(" кызы") or middle_name.endswith(("вна", "кызы")):
        return Gender.FEMALE
    if last_name.endswith(" уулу") or middle_name.endswith(("вич", "уулу")):
        return Gender.MALE
    raise ValueError(f"Give the gender of {last_name} {first_name} {middle_name} explicitly.")


@dataclass(frozen=True)
class ProgrammeSpec:
    unit: str
    code: str
    ky: str
    ru: str
    en: str
    level: str
    group_prefix: str
    intake: int  # typical yearly admissions
    study_form: str = StudyForm.FULL_TIME
    language: str = TeachingLanguage.KYRGYZ
    years: int | None = None  # length of study; by level when None
    first_intake: int | None = None  # a programme opened recently
    last_intake: int | None = None  # a programme that stopped admitting
    employment: tuple[float, float] = (0.55, 0.8)  # share of graduates employed


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str
    unit: str | None  # unit code where the role is held; None for the analyst
    person: str | None  # PersonSpec key; None for the analyst
    valid_days: int | None = None  # time-boxed roles (experts)


@dataclass(frozen=True)
class InstitutionSpec:
    code: str
    kind: str
    ky: str
    ru: str
    en: str
    short_ky: str
    short_ru: str
    short_en: str
    root: UnitSpec
    people: tuple[PersonSpec, ...]
    programmes: tuple[ProgrammeSpec, ...]
    accounts: tuple[AccountSpec, ...]
    seed: int  # for the made-up people and figures: the same data on every run
    unit_quality_title: str  # the title of a faculty's / institute's quality responsible
    department_quality_title: str
    former_staff: int = 2  # made-up people who left, with their ended positions
