"""Building blocks for tests: a small institution with a faculty tree, people and accounts
holding roles. Everything goes through the services, as real use does."""

import itertools

from sapat.core.models import User
from sapat.org import services
from sapat.org.choices import (
    InstitutionKind,
    ProgrammeLevel,
    StaffCategory,
    StudyForm,
    TeachingLanguage,
    UnitType,
)
from sapat.org.models import Institution, Person, Programme, RoleAssignment, Unit

_seq = itertools.count(1)


def institution(code=None, **kwargs) -> Institution:
    code = code or f"inst{next(_seq)}"
    inst = Institution(
        code=code,
        kind=kwargs.pop("kind", InstitutionKind.UNIVERSITY),
        name_ky=f"{code} университети",
        short_name_ky=code.upper(),
        **kwargs,
    )
    root = Unit(unit_type=UnitType.INSTITUTION, code=code.upper(), name_ky=f"{code} университети")
    services.institution_create(actor=None, institution=inst, root=root)
    return inst


def root_of(inst) -> Unit:
    return Unit.objects.get(institution=inst, parent__isnull=True)


def unit(parent, code=None, unit_type=UnitType.FACULTY, **kwargs) -> Unit:
    code = code or f"U{next(_seq)}"
    u = Unit(
        parent=parent,
        institution=parent.institution,
        unit_type=unit_type,
        code=code,
        name_ky=kwargs.pop("name_ky", f"Бөлүм {code}"),
        **kwargs,
    )
    u.full_clean()
    u.save()
    return u


def person(unit, last_name=None, **kwargs) -> Person:
    p = Person(
        institution=unit.institution,
        unit=unit,
        last_name=last_name or f"Асанов{next(_seq)}",
        first_name=kwargs.pop("first_name", "Бакыт"),
        staff_category=kwargs.pop("staff_category", StaffCategory.TEACHING),
        **kwargs,
    )
    p.full_clean()
    p.save()
    return p


def user_with_role(role, unit=None, username=None, **grant) -> User:
    """An account linked to a person of `unit`, holding `role` there."""
    username = username or f"{role}{next(_seq)}"
    user = User.objects.create_user(username=username, password="pass-Word-42")
    if unit is not None:
        p = person(unit)
        p.user = user
        p.save()
    RoleAssignment.objects.create(user=user, role=role, unit=unit, **grant)
    return user


def programme(unit, code=None, **kwargs) -> Programme:
    p = Programme(
        institution=unit.institution,
        unit=unit,
        code=code or f"5{next(_seq):05d}",
        name_ky=kwargs.pop("name_ky", "Программа"),
        level=kwargs.pop("level", ProgrammeLevel.BACHELOR),
        study_form=kwargs.pop("study_form", StudyForm.FULL_TIME),
        language=kwargs.pop("language", TeachingLanguage.KYRGYZ),
        **kwargs,
    )
    p.full_clean()
    p.save()
    return p
