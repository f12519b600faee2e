"""The documents' own pages: the register, a document with its revisions and its workflow,
the forms that prepare a draft, the POST actions of the life cycle, file downloads and the
user's tasks. Reads go through the selectors (404 for what the user may not see); every
change is a service call (403 for what the user may not do; validation errors are shown in
the form, or as a message on the document's page)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, paginate
from sapat.lib import uploads
from sapat.org import access
from sapat.org import selectors as org_selectors
from sapat.org.access import Perm
from sapat.org.models import Person

from . import selectors, services
from .choices import AgreementDecision, ApproverKind, DocumentStatus, RevisionState
from .forms import (
    AgreementForm,
    ApproveForm,
    DecideForm,
    DocumentFilterForm,
    DocumentForm,
    ExternalRegisterForm,
    RegisterForm,
    ReturnForm,
    ReviewForm,
    RevisionForm,
    VersionForm,
    WithdrawForm,
)
from .models import Revision

LANGUAGES = dict(settings.LANGUAGES)


def _institution(request):
    institution = org_selectors.current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _person(user):
    return getattr(user, "person", None)


def _ordered_versions(revision) -> list:
    """A revision's language versions, the reader's language first."""
    order = [get_language()[:2], *LANGUAGES]
    return sorted(revision.versions.all(), key=lambda v: order.index(v.language) if v.language in order else 99)


def _anchor(document, anchor=""):
    return document.get_absolute_url() + (f"#{anchor}" if anchor else "")


# --- the register ------------------------------------------------------------------------


@login_required
def document_list(request):
    user = request.user
    institution = _institution(request)
    form = DocumentFilterForm(request.GET or None, user=user, institution=institution)
    form.is_valid()  # a filter with a wrong value is left out, the others still apply
    data = getattr(form, "cleaned_data", {})
    documents = selectors.with_in_force(selectors.documents_for(user).filter(institution=institution))
    status = data.get("status") or ""
    if status == DocumentFilterForm.ALL:
        pass
    elif status:
        documents = documents.filter(status=status)
    else:
        documents = documents.filter(status__in=[DocumentStatus.IN_FORCE, DocumentStatus.DRAFT])
    if query := (data.get("q") or "").strip():
        documents = documents.filter(
            Q(code__icontains=query)
            | Q(title_ky__icontains=query)
            | Q(title_ru__icontains=query)
            | Q(title_en__icontains=query)
        )
    if data.get("doc_type"):
        documents = documents.filter(doc_type=data["doc_type"])
    if data.get("level"):
        documents = documents.filter(doc_type__level=data["level"])
    if data.get("unit"):
        documents = documents.filter(unit__path__startswith=data["unit"].path)
    if data.get("mine"):
        person = _person(user)
        documents = documents.filter(owner=person) if person else documents.none()
    context = {
        "page": paginate(request, documents),
        "form": form,
        "filtered": any(data.get(name) for name in ("q", "doc_type", "level", "unit", "status", "mine")),
        "can_add": access.can(user, Perm.MANAGE_DOCUMENTS),
    }
    return render(request, "documents/document_list.html", context)


@login_required
def my_documents(request):
    user = request.user
    context = {
        "to_read": selectors.my_pending_acquaintances(user)
        .select_related("revision__document__unit")
        .order_by("requested_at"),
        "turns": selectors.my_agreement_turns(user)
        .select_related("revision__document__unit")
        .order_by("revision__document__code"),
        "approvals": selectors.my_approvals(user),
        "due": selectors.review_due(user),
        "drafts": selectors.my_drafts(user),
    }
    context["nothing"] = not any(context[k] for k in ("to_read", "turns", "approvals", "due", "drafts"))
    return render(request, "documents/my_documents.html", context)


# --- a document ----------------------------------------------------------------------------


@login_required
def document_detail(request, pk):
    user = request.user
    document = selectors.document_detail(user, pk)
    person = _person(user)
    can_manage = services.can_manage(user, document)
    can_see_drafts = can_manage or selectors.can_see_drafts(user, document)
    revisions = list(selectors.revisions_of(document))
    for revision in revisions:
        revision.ordered_versions = _ordered_versions(revision)
    in_force = next((r for r in revisions if r.state == RevisionState.IN_FORCE), None)
    preparing = None
    if can_see_drafts:
        preparing = next((r for r in revisions if r.state in selectors.PREPARATION_STATES), None)
    past = [r for r in revisions if r.state in (RevisionState.OBSOLETE, RevisionState.WITHDRAWN)]
    # Who replaced whom: an obsolete revision points at the next one that came into force.
    shown = [r for r in revisions if r.state in (RevisionState.IN_FORCE, RevisionState.OBSOLETE)]
    for newer, older in zip(shown, shown[1:], strict=False):
        older.replaced_by = newer

    steps = [s for r in (preparing, in_force) if r for s in r.agreement_steps.all()]
    posts = selectors.current_posts(s.person_id for s in steps)
    for step in steps:
        step.post = posts.get(step.person_id, "")

    context = {
        "document": document,
        "in_force": in_force,
        "preparing": preparing,
        "past": past,
        "can_manage": can_manage,
        "can_register": access.can(user, Perm.MANAGE_DOCUMENTS, document.unit),
        "can_see_history": access.can(user, Perm.VIEW_AUDIT, document.unit),
        "change_sheet": selectors.change_sheet(document),
        "reviews": document.reviews.select_related("reviewed_by"),
        "distributed_units": document.distributed_units.all(),
        "distributed_people": document.distributed_people.all(),
        # The processes whose maps name this document among their governing documents.
        "processes": document.processes.filter(is_active=True).order_by("sort_key"),
        "today": timezone.localdate(),
    }

    if in_force is not None:
        sheet = selectors.acquaintance_status(in_force)
        counts = sheet.aggregate(total=Count("pk"), read=Count("pk", filter=Q(confirmed_at__isnull=False)))
        context["acquaintance"] = {
            **counts,
            "rows": list(sheet) if can_manage else [],
            "percent": round(100 * counts["read"] / counts["total"]) if counts["total"] else 0,
            "mine": sheet.filter(person=person).first() if person is not None else None,
        }

    if preparing is not None:
        existing = {v.language: v for v in preparing.ordered_versions}
        context["languages"] = [(code, label, existing.get(code)) for code, label in settings.LANGUAGES]
        is_council = document.doc_type.approver_kind == ApproverKind.COUNCIL
        context["is_council"] = is_council
        if preparing.state == RevisionState.AGREEMENT and person is not None:
            turn = selectors.my_agreement_turns(user).filter(revision=preparing).first()
            context["my_turn"] = turn
            context["decide_form"] = DecideForm() if turn else None
        if preparing.state == RevisionState.APPROVAL and services.can_approve(user, preparing):
            context["approve_form"] = ApproveForm()
            context["return_form"] = ReturnForm()
        if preparing.state == RevisionState.APPROVED and context["can_register"]:
            context["register_form"] = RegisterForm()
        if preparing.state == RevisionState.DRAFT and can_manage and document.is_external:
            context["external_form"] = ExternalRegisterForm()
        context["waiting_for"] = next(
            (s for s in preparing.agreement_steps.all() if s.decision == AgreementDecision.PENDING), None
        )

    if can_manage:
        if document.status == DocumentStatus.IN_FORCE:
            context["review_form"] = ReviewForm()
            context["withdraw_form"] = WithdrawForm()
        context["can_revise"] = preparing is None and document.status in (DocumentStatus.IN_FORCE, DocumentStatus.DRAFT)
    return render(request, "documents/document_detail.html", context)


@login_required
def document_add(request):
    user = request.user
    access.require(user, Perm.MANAGE_DOCUMENTS)
    institution = _institution(request)
    person = _person(user)
    initial = {"owner": person.pk, "unit": person.unit_id} if person is not None else {}
    form = DocumentForm(request.POST or None, user=user, institution=institution, initial=initial)
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        try:
            with transaction.atomic():
                document = services.document_create(actor=user, document=document)
                services.document_update(
                    actor=user,
                    document=document,
                    expected_version=document.version,
                    distributed_units=form.cleaned_data["distributed_units"],
                    distributed_people=form.cleaned_data["distributed_people"],
                )
        except ValidationError as error:
            document.pk, document.code = None, ""  # rolled back: still a new document
            document._state.adding = True
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Document %(code)s is registered. Now write its text or attach its file.") % {"code": document.code},
            )
            return redirect(document)
    context = {"form": form, "title": _("New document"), "external_types": form.external_type_ids()}
    return render(request, "documents/document_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def document_edit(request, pk):
    user = request.user
    document = selectors.document_detail(user, pk)
    services.require_manage(user, document)
    form = DocumentForm(request.POST or None, instance=document, user=user, institution=document.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=user,
                document=form.save(commit=False),
                expected_version=form.cleaned_data["expected_version"],
                distributed_units=form.cleaned_data["distributed_units"],
                distributed_people=form.cleaned_data["distributed_people"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(document)
    context = {"form": form, "title": _("Edit document"), "document": document, "external_types": []}
    return render(request, "documents/document_form.html", context, status=400 if request.method == "POST" else 200)


# --- preparing a draft ----------------------------------------------------------------------


def _draft(request, pk) -> Revision:
    """A draft the user may edit: 404 when they may not see it, 403 when they may not
    manage its document. A revision past the draft stage sends them back with a message."""
    revision = selectors.revision_detail(request.user, pk)
    services.require_manage(request.user, revision.document)
    return revision


def _not_a_draft(request, revision):
    if revision.is_frozen:
        messages.error(request, _("An approved revision cannot be edited. Start a new revision."))
    else:
        messages.error(
            request,
            _("This cannot be done while the revision is “%(state)s”.") % {"state": revision.get_state_display()},
        )
    return redirect(_anchor(revision.document, "preparing"))


@login_required
def revision_edit(request, pk):
    revision = _draft(request, pk)
    if revision.state != RevisionState.DRAFT:
        return _not_a_draft(request, revision)
    form = RevisionForm(request.POST or None, instance=revision)
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_update(
                actor=request.user,
                revision=form.save(commit=False),
                expected_version=form.cleaned_data["expected_version"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_anchor(revision.document, "preparing"))
    context = {
        "form": form,
        "title": _("Revision %(n)d: summary of changes") % {"n": revision.number},
        "document": revision.document,
    }
    return render(request, "documents/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def version_edit(request, pk, language):
    if language not in LANGUAGES:
        raise Http404
    revision = _draft(request, pk)
    if revision.state != RevisionState.DRAFT:
        return _not_a_draft(request, revision)
    existing = revision.versions.filter(language=language).first()
    initial = {"text": existing.text if existing else "", "expected_version": services.version_token(existing)}
    form = VersionForm(
        request.POST or None, request.FILES or None, initial=initial, has_file=bool(existing and existing.file)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_save(
                actor=request.user,
                revision=revision,
                language=language,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
                expected_version=form.cleaned_data["expected_version"] if "expected_version" in request.POST else None,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The %(language)s version is saved.") % {"language": LANGUAGES[language]})
            return redirect(_anchor(revision.document, "preparing"))
    context = {
        "form": form,
        "revision": revision,
        "document": revision.document,
        "version": existing,
        "language": language,
        "language_label": LANGUAGES[language],
    }
    return render(request, "documents/version_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def agreement_edit(request, pk):
    revision = _draft(request, pk)
    if revision.state != RevisionState.DRAFT:
        return _not_a_draft(request, revision)
    document = revision.document
    current = [step.person for step in revision.agreement_steps.select_related("person__unit")]
    people = Person.objects.filter(
        Q(pk__in=org_selectors.people_for(request.user).filter(institution=document.institution, left_on__isnull=True))
        | Q(pk__in=[p.pk for p in current])
    ).select_related("unit")
    form = AgreementForm(request.POST or None, people=people, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_set(actor=request.user, revision=revision, people=form.people())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The agreement sheet is saved."))
            return redirect(_anchor(document, "preparing"))
    context = {"form": form, "revision": revision, "document": document}
    return render(request, "documents/agreement_form.html", context, status=400 if request.method == "POST" else 200)


# --- actions of the life cycle (POST only) ------------------------------------------------------


def _valid(form) -> dict:
    """The form's data, or its errors raised as a ValidationError (shown as messages)."""
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}: {e}" if name in form.fields else e
                for name, errs in form.errors.items()
                for e in errs
            ]
        )
    return form.cleaned_data


def _preparing(request, document, *states) -> Revision:
    if not selectors.can_see_drafts(request.user, document):
        raise PermissionDenied(_("You do not take part in preparing this document."))
    revision = document.revisions.filter(state__in=states).order_by("-number").first()
    if revision is None:
        raise ValidationError(_("The revision is no longer at this stage. The page has been brought up to date."))
    return revision


def _action(request, pk, act, anchor=""):
    """Run one step on a visible document; the step's ValidationError becomes a message.
    `act(document)` returns the message to show on success."""
    document = selectors.document_detail(request.user, pk)
    try:
        done = act(document)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if done:
            messages.success(request, done)
    return redirect(_anchor(document, anchor))


@login_required
@require_POST
def document_revise(request, pk):
    def act(document):
        revision = services.revision_start(actor=request.user, document=document)
        return _("Revision %(n)d is started from the text in force. Edit it, then send it for agreement.") % {
            "n": revision.number
        }

    return _action(request, pk, act, "preparing")


@login_required
@require_POST
def document_submit(request, pk):
    def act(document):
        revision = _preparing(request, document, RevisionState.DRAFT)
        revision = services.revision_submit(actor=request.user, revision=revision)
        if revision.state == RevisionState.AGREEMENT:
            first = revision.agreement_steps.filter(decision=AgreementDecision.PENDING).order_by("order").first()
            return _("Sent for agreement. It is now %(name)s's turn.") % {"name": first.person.full_name}
        return _("Sent for approval.")

    return _action(request, pk, act, "preparing")


@login_required
@require_POST
def document_decide(request, pk):
    def act(document):
        data = _valid(DecideForm(request.POST))
        revision = _preparing(request, document, RevisionState.AGREEMENT)
        person = _person(request.user)
        steps = revision.agreement_steps.filter(person=person) if person else revision.agreement_steps.none()
        step = steps.filter(decision=AgreementDecision.PENDING).first()
        if step is None:
            if steps.exists():
                raise ValidationError(_("You have already given your decision on this revision."))
            raise PermissionDenied(_("Only the person on this line of the agreement sheet can decide."))
        agreed = data["decision"] == "agree"
        services.agreement_decide(actor=request.user, step=step, agreed=agreed, comment=data["comment"])
        return _("You agreed the draft.") if agreed else _("The draft is returned to its author with your comment.")

    return _action(request, pk, act, "preparing")


@login_required
@require_POST
def document_approve(request, pk):
    def act(document):
        data = _valid(ApproveForm(request.POST))
        revision = _preparing(request, document, RevisionState.APPROVAL)
        council = document.doc_type.approver_kind == ApproverKind.COUNCIL
        services.revision_approve(
            actor=request.user,
            revision=revision,
            approved_on=data["protocol_date"] if council else None,  # a council approves at its meeting
            protocol_number=data["protocol_number"] if council else "",
            protocol_date=data["protocol_date"] if council else None,
        )
        return _("Approved. The quality department registers it and sets the date it comes into force.")

    return _action(request, pk, act, "preparing")


@login_required
@require_POST
def document_return(request, pk):
    def act(document):
        data = _valid(ReturnForm(request.POST))
        revision = _preparing(request, document, RevisionState.APPROVAL)
        services.revision_return_from_approval(actor=request.user, revision=revision, comment=data["comment"])
        return _("The draft is returned to its author with your comment.")

    return _action(request, pk, act, "preparing")


@login_required
@require_POST
def document_register(request, pk):
    def act(document):
        data = _valid(RegisterForm(request.POST))
        revision = _preparing(request, document, RevisionState.APPROVED)
        revision = services.revision_register(
            actor=request.user, revision=revision, effective_date=data["effective_date"]
        )
        if revision.state == RevisionState.IN_FORCE:
            return _("Registered and in force. The people it is distributed to are asked to read it.")
        return _("Registered. It comes into force on %(date)s.") % {"date": data["effective_date"]}

    return _action(request, pk, act)


@login_required
@require_POST
def document_external_register(request, pk):
    def act(document):
        data = _valid(ExternalRegisterForm(request.POST))
        services.external_register(actor=request.user, document=document, received_on=data["received_on"])
        return _("The received copy is registered and in force. The people it is distributed to are asked to read it.")

    return _action(request, pk, act)


@login_required
@require_POST
def document_withdraw(request, pk):
    def act(document):
        data = _valid(WithdrawForm(request.POST))
        services.document_withdraw(actor=request.user, document=document, note=data["note"])
        return _("The document is withdrawn. It stays in the register with its history.")

    return _action(request, pk, act)


@login_required
@require_POST
def document_archive(request, pk):
    def act(document):
        services.document_archive(actor=request.user, document=document)
        return _("The document is archived.")

    return _action(request, pk, act)


@login_required
@require_POST
def document_review(request, pk):
    def act(document):
        data = _valid(ReviewForm(request.POST))
        services.document_review(actor=request.user, document=document, outcome=data["outcome"], note=data["note"])
        return _("The review is recorded.")

    return _action(request, pk, act, "reviews")


@login_required
@require_POST
def document_remind(request, pk):
    def act(document):
        count = services.acquaintance_remind(actor=request.user, document=document)
        if count == 0:
            return _("Nobody was reminded: everyone has read it, or those who have not have no e-mail address.")
        return ngettext(
            "A reminder was sent to %(count)d person.", "A reminder was sent to %(count)d people.", count
        ) % {"count": count}

    return _action(request, pk, act, "acquaintance")


@login_required
@require_POST
def document_confirm(request, pk):
    def act(document):
        person = _person(request.user)
        revision = selectors.in_force_revision(document)
        acquaintance = (
            revision.acquaintances.filter(person=person).select_related("revision").first()
            if revision is not None and person is not None
            else None
        )
        if acquaintance is None:
            raise PermissionDenied(_("You were not asked to read this document."))
        services.acquaintance_confirm(actor=request.user, acquaintance=acquaintance)
        return _("Thank you. Your reading is recorded.")

    return _action(request, pk, act)


# --- files ----------------------------------------------------------------------------------


@login_required
def version_download(request, pk):
    """A stored file, through the permission check, always as a download: never shown in
    the browser, whatever it contains."""
    version = selectors.visible_file(request.user, pk)
    document = version.revision.document
    name = version.original_name or f"{document.code}-{version.language}.{version.file_format}"
    return uploads.download_response(version.file, filename=name, file_format=version.file_format)
