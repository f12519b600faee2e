from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, paginate, save_form

from . import access, selectors, services
from .access import Perm
from .choices import ProgrammeLevel, StaffCategory, StudyForm
from .forms import (
    AcademicYearForm,
    AccountForm,
    ContingentForm,
    PersonForm,
    PositionForm,
    ProgrammeForm,
    RoleForm,
    SemesterForm,
    StudentGroupForm,
    UnitForm,
)
from .models import AcademicYear, Position, Programme, RoleAssignment, Semester, StudentGroup, Unit


def _institution(request):
    institution = selectors.current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _back_or(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
@require_POST
def switch_institution(request):
    chosen = selectors.institutions_for(request.user).filter(pk=request.POST.get("institution")).first()
    if chosen is None:
        raise Http404
    request.session[selectors.SESSION_INSTITUTION] = chosen.pk
    return redirect(_back_or(request, reverse("home")))


# --- units -------------------------------------------------------------------------------


@login_required
def unit_tree(request):
    access.require(request.user, Perm.VIEW_ORG)
    institution = _institution(request)
    query = request.GET.get("q", "").strip()
    show_closed = request.GET.get("closed") == "1"
    roots = selectors.unit_tree(request.user, institution, query=query, include_closed=show_closed)
    context = {"roots": roots, "query": query, "show_closed": show_closed, "institution": institution}
    template = "org/_unit_tree.html" if request.htmx else "org/unit_tree.html"
    return render(request, template, context)


@login_required
def unit_detail(request, pk):
    unit = selectors.unit_detail(request.user, pk)
    user = request.user
    context = {
        "unit": unit,
        "ancestors": selectors.units_for(user).filter(pk__in=unit.ancestor_ids).order_by("path"),
        "children": selectors.unit_children(unit),
        "positions": selectors.unit_positions(unit),
        "programmes": selectors.programmes_for(user).filter(unit=unit),
        "can_manage": access.can(user, Perm.MANAGE_UNITS, unit),
        "can_see_history": access.can(user, Perm.VIEW_AUDIT, unit),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def unit_edit(request, pk):
    unit = selectors.unit_detail(request.user, pk)
    access.require(request.user, Perm.MANAGE_UNITS, unit)
    form = UnitForm(request.POST or None, instance=unit, user=request.user, institution=unit.institution)
    return save_form(
        request,
        form,
        lambda u: services.unit_update(actor=request.user, unit=u),
        success_url=lambda u: reverse("unit_detail", args=[u.pk]),
        template="org/form.html",
        context={"title": _("Edit unit"), "back": unit},
    )


@login_required
def unit_add(request, pk):
    parent = selectors.unit_detail(request.user, pk)
    access.require(request.user, Perm.MANAGE_UNITS, parent)
    form = UnitForm(request.POST or None, initial={"parent": parent}, user=request.user, institution=parent.institution)
    return save_form(
        request,
        form,
        lambda u: services.unit_create(actor=request.user, unit=u),
        success_url=lambda u: reverse("unit_detail", args=[u.pk]),
        template="org/form.html",
        context={"title": _("New unit"), "back": parent},
    )


def _unit_action(request, pk, action, done_message):
    unit = selectors.unit_detail(request.user, pk)
    try:
        action(actor=request.user, unit=unit)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect("unit_detail", pk=unit.pk)


@login_required
@require_POST
def unit_close(request, pk):
    return _unit_action(request, pk, services.unit_close, _("The unit is closed. Its history is kept."))


@login_required
@require_POST
def unit_reopen(request, pk):
    return _unit_action(request, pk, services.unit_reopen, _("The unit is open again."))


# --- people ------------------------------------------------------------------------------


@login_required
def person_list(request):
    access.require(request.user, Perm.VIEW_ORG)
    institution = _institution(request)
    query = request.GET.get("q", "").strip()
    people = selectors.people_for(request.user).filter(institution=institution)
    people = selectors.search_people(people, query)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = selectors.units_for(request.user).filter(pk=unit_id).first()
        if unit is not None:
            people = people.filter(unit__path__startswith=unit.path)
    category = request.GET.get("category", "")
    if category in StaffCategory.values:
        people = people.filter(staff_category=category)
    page = paginate(request, selectors.people_with_current_positions(people))
    context = {
        "page": page,
        "query": query,
        "category": category,
        "unit_id": unit_id,
        "categories": StaffCategory.choices,
        "units": selectors.units_for(request.user)
        .filter(institution=institution)
        .select_related(None)
        .only("id", "code", "name_ky", "name_ru", "name_en"),
        "can_add": access.can(request.user, Perm.MANAGE_PEOPLE),
    }
    return render(request, "org/person_list.html", context)


@login_required
def person_detail(request, pk):
    person = selectors.get_visible(selectors.people_for(request.user), pk=pk)
    user = request.user
    context = {
        "person": person,
        "positions": selectors.person_positions(person),
        "roles": selectors.person_roles(person),
        "can_manage": access.can(user, Perm.MANAGE_PEOPLE, person.unit),
        "can_manage_access": access.can(user, Perm.MANAGE_ACCESS, person.unit),
        "can_see_history": access.can(user, Perm.VIEW_AUDIT, person.unit),
    }
    return render(request, "org/person_detail.html", context)


@login_required
def person_add(request):
    access.require(request.user, Perm.MANAGE_PEOPLE)
    institution = _institution(request)
    form = PersonForm(
        request.POST or None, user=request.user, institution=institution, initial={"unit": request.GET.get("unit")}
    )
    return save_form(
        request,
        form,
        lambda p: services.person_save(actor=request.user, person=p),
        success_url=lambda p: reverse("person_detail", args=[p.pk]),
        template="org/form.html",
        context={"title": _("New person")},
    )


@login_required
def person_edit(request, pk):
    person = selectors.get_visible(selectors.people_for(request.user), pk=pk)
    access.require(request.user, Perm.MANAGE_PEOPLE, person.unit)
    form = PersonForm(request.POST or None, instance=person, user=request.user, institution=person.institution)
    return save_form(
        request,
        form,
        lambda p: services.person_save(actor=request.user, person=p),
        success_url=lambda p: reverse("person_detail", args=[p.pk]),
        template="org/form.html",
        context={"title": _("Edit person"), "back": person},
    )


@login_required
def position_add(request, pk):
    person = selectors.get_visible(selectors.people_for(request.user), pk=pk)
    access.require(request.user, Perm.MANAGE_PEOPLE, person.unit)
    form = PositionForm(
        request.POST or None,
        instance=Position(person=person),
        user=request.user,
        institution=person.institution,
        initial={"unit": person.unit_id},
    )
    return save_form(
        request,
        form,
        lambda p: services.position_save(actor=request.user, position=p),
        success_url=reverse("person_detail", args=[person.pk]),
        template="org/form.html",
        context={"title": _("New position"), "back": person},
    )


def _position(request, pk):
    return selectors.get_visible(
        Position.objects.filter(access.unit_q(request.user, Perm.VIEW_ORG)).select_related("person", "unit"), pk=pk
    )


@login_required
def position_edit(request, pk):
    position = _position(request, pk)
    access.require(request.user, Perm.MANAGE_PEOPLE, position.unit)
    form = PositionForm(
        request.POST or None, instance=position, user=request.user, institution=position.unit.institution
    )
    return save_form(
        request,
        form,
        lambda p: services.position_save(actor=request.user, position=p),
        success_url=reverse("person_detail", args=[position.person_id]),
        template="org/form.html",
        context={"title": _("Edit position"), "back": position.person},
    )


@login_required
@require_POST
def position_end(request, pk):
    position = _position(request, pk)
    try:
        services.position_end(actor=request.user, position=position)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The position has ended. It stays in the history."))
    return redirect("person_detail", pk=position.person_id)


@login_required
def account_add(request, pk):
    person = selectors.get_visible(selectors.people_for(request.user), pk=pk)
    access.require(request.user, Perm.MANAGE_ACCESS, person.unit)
    form = AccountForm(request.POST or None, initial={"email": person.email})
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.account_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Account %(name)s is open. Temporary password: %(password)s — pass it on privately.")
                % {"name": user.username, "password": password},
            )
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "org/form.html",
        {"form": form, "title": _("Open an account"), "back": person},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def role_add(request, pk):
    person = selectors.get_visible(selectors.people_for(request.user), pk=pk)
    access.require(request.user, Perm.MANAGE_ACCESS, person.unit)
    if not person.user_id:
        messages.error(request, _("Open an account for this person first."))
        return redirect("person_detail", pk=person.pk)
    form = RoleForm(
        request.POST or None,
        instance=RoleAssignment(user=person.user),
        user=request.user,
        institution=person.institution,
        initial={"unit": person.unit_id},
    )
    return save_form(
        request,
        form,
        lambda r: services.role_grant(actor=request.user, assignment=r),
        success_url=reverse("person_detail", args=[person.pk]),
        template="org/form.html",
        context={"title": _("Grant a role"), "back": person},
    )


@login_required
@require_POST
def role_end(request, pk):
    assignment = selectors.get_visible(
        RoleAssignment.objects.filter(access.unit_q(request.user, Perm.MANAGE_ACCESS)).select_related(
            "unit", "user__person"
        ),
        pk=pk,
    )
    services.role_end(actor=request.user, assignment=assignment)
    messages.success(request, _("The role has ended."))
    person = getattr(assignment.user, "person", None)  # an analyst's account may have none
    return redirect("person_detail", pk=person.pk) if person else redirect("home")


@login_required
@require_POST
def account_toggle(request, pk):
    person = selectors.get_visible(selectors.people_for(request.user), pk=pk)
    if not person.user_id:
        raise Http404
    try:
        services.account_set_active(actor=request.user, user=person.user, active=not person.user.is_active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("person_detail", pk=person.pk)


# --- programmes --------------------------------------------------------------------------


@login_required
def programme_list(request):
    access.require(request.user, Perm.VIEW_ORG)
    institution = _institution(request)
    query = request.GET.get("q", "").strip()
    programmes = selectors.programmes_for(request.user).filter(institution=institution)
    programmes = selectors.search_programmes(programmes, query)
    level = request.GET.get("level", "")
    if level in ProgrammeLevel.values:
        programmes = programmes.filter(level=level)
    form = request.GET.get("form", "")
    if form in StudyForm.values:
        programmes = programmes.filter(study_form=form)
    context = {
        "page": paginate(request, programmes),
        "query": query,
        "level": level,
        "study_form": form,
        "levels": ProgrammeLevel.choices,
        "forms": StudyForm.choices,
        "can_add": access.can(request.user, Perm.MANAGE_PROGRAMMES),
    }
    return render(request, "org/programme_list.html", context)


@login_required
def programme_detail(request, pk):
    programme = selectors.get_visible(selectors.programmes_for(request.user), pk=pk)
    user = request.user
    context = {
        "programme": programme,
        "groups": programme.groups.all(),
        "contingent": programme.contingent.select_related("academic_year").order_by("-academic_year__start_year"),
        "can_manage": access.can(user, Perm.MANAGE_PROGRAMMES, programme.unit),
        "can_enter_contingent": access.can(user, Perm.ENTER_CONTINGENT, programme.unit),
        "can_see_history": access.can(user, Perm.VIEW_AUDIT, programme.unit),
    }
    return render(request, "org/programme_detail.html", context)


@login_required
def programme_add(request):
    access.require(request.user, Perm.MANAGE_PROGRAMMES)
    form = ProgrammeForm(request.POST or None, user=request.user, institution=_institution(request))
    return save_form(
        request,
        form,
        lambda p: services.programme_save(actor=request.user, programme=p),
        success_url=lambda p: reverse("programme_detail", args=[p.pk]),
        template="org/form.html",
        context={"title": _("New programme")},
    )


def _programme_to_manage(request, pk, perm=Perm.MANAGE_PROGRAMMES) -> Programme:
    programme = selectors.get_visible(selectors.programmes_for(request.user), pk=pk)
    access.require(request.user, perm, programme.unit)
    return programme


@login_required
def programme_edit(request, pk):
    programme = _programme_to_manage(request, pk)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user, institution=programme.institution)
    return save_form(
        request,
        form,
        lambda p: services.programme_save(actor=request.user, programme=p),
        success_url=lambda p: reverse("programme_detail", args=[p.pk]),
        template="org/form.html",
        context={"title": _("Edit programme"), "back": programme},
    )


@login_required
def group_add(request, pk):
    programme = _programme_to_manage(request, pk)
    form = StudentGroupForm(request.POST or None, instance=StudentGroup(programme=programme))
    return save_form(
        request,
        form,
        lambda g: services.group_save(actor=request.user, group=g),
        success_url=reverse("programme_detail", args=[programme.pk]),
        template="org/form.html",
        context={"title": _("New student group"), "back": programme},
    )


@login_required
def group_edit(request, pk):
    group = selectors.get_visible(selectors.groups_for(request.user), pk=pk)
    programme = _programme_to_manage(request, group.programme_id)
    form = StudentGroupForm(request.POST or None, instance=group)
    return save_form(
        request,
        form,
        lambda g: services.group_save(actor=request.user, group=g),
        success_url=reverse("programme_detail", args=[programme.pk]),
        template="org/form.html",
        context={"title": _("Edit student group"), "back": programme},
    )


@login_required
def contingent_edit(request, pk):
    programme = _programme_to_manage(request, pk, Perm.ENTER_CONTINGENT)
    year_id = request.GET.get("year") or request.POST.get("academic_year")
    existing = programme.contingent.filter(academic_year_id=year_id).first() if str(year_id).isdigit() else None
    form = ContingentForm(
        request.POST or None,
        instance=existing or programme.contingent.model(programme=programme),
        institution=programme.institution,
    )
    return save_form(
        request,
        form,
        lambda f: services.contingent_save(actor=request.user, figure=f),
        success_url=reverse("programme_detail", args=[programme.pk]),
        template="org/form.html",
        context={"title": _("Contingent figures"), "back": programme},
    )


# --- academic years ----------------------------------------------------------------------


def _calendar_root(institution_id):
    """Academic years belong to the whole institution: the right is checked at its top unit."""
    return Unit.objects.filter(institution_id=institution_id, parent__isnull=True).first()


@login_required
def academic_year_list(request):
    access.require(request.user, Perm.VIEW_ORG)
    institution = _institution(request)
    context = {
        "years": selectors.academic_years_for(request.user).filter(institution=institution),
        "can_manage": access.can(request.user, Perm.MANAGE_CALENDAR, _calendar_root(institution.pk)),
    }
    return render(request, "org/academic_year_list.html", context)


@login_required
def academic_year_edit(request, pk=None):
    institution = _institution(request)
    year = (
        selectors.get_visible(selectors.academic_years_for(request.user), pk=pk)
        if pk
        else AcademicYear(institution=institution)
    )
    access.require(request.user, Perm.MANAGE_CALENDAR, _calendar_root(year.institution_id))
    form = AcademicYearForm(request.POST or None, instance=year)
    return save_form(
        request,
        form,
        lambda y: services.academic_year_save(actor=request.user, year=y),
        success_url=reverse("academic_year_list"),
        template="org/form.html",
        context={"title": _("Academic year")},
    )


@login_required
def semester_edit(request, year_pk, pk=None):
    year = selectors.get_visible(selectors.academic_years_for(request.user), pk=year_pk)
    semester = selectors.get_visible(year.semesters.all(), pk=pk) if pk else Semester(academic_year=year)
    access.require(request.user, Perm.MANAGE_CALENDAR, _calendar_root(year.institution_id))
    form = SemesterForm(request.POST or None, instance=semester)
    return save_form(
        request,
        form,
        lambda s: services.semester_save(actor=request.user, semester=s),
        success_url=reverse("academic_year_list"),
        template="org/form.html",
        context={"title": _("Semester")},
    )
