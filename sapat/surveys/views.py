"""The organisers' and readers' pages: questionnaires, campaigns, progress, slips, results
and exports. The respondents' page is in `views_public`."""

import csv
import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, save_form
from sapat.improvement.forms import ActionForm
from sapat.improvement.models import Origin
from sapat.improvement.services import action_create, is_quality
from sapat.lib.pdf import pdf_response, render_pdf
from sapat.lib.xlsx import table_xlsx, xlsx_response
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.selectors import current_institution

from . import limesurvey, report, selectors, services
from .forms import (
    CampaignForm,
    InvitationsForm,
    LimeSurveyForm,
    QuestionForm,
    SectionForm,
    TokensForm,
    UploadForm,
)
from .imports import TeachingLoadImporter
from .models import Campaign, Question, Questionnaire, Section


def _institution(request):
    institution = current_institution(request)
    if institution is None:
        raise PermissionDenied(_("You do not have permission to do this here."))
    return institution


def _service(request, call, success):
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    messages.success(request, success)
    return result or True


# --- questionnaires ------------------------------------------------------------------------
@login_required
def questionnaire_list(request):
    institution = _institution(request)
    if not access.can(request.user, Perm.MANAGE_SURVEYS):
        raise PermissionDenied(_("You do not have permission to do this here."))
    items = selectors.questionnaires_for(request.user).filter(institution=institution).order_by("key", "-version")
    return render(request, "surveys/questionnaire_list.html", {"questionnaires": items, "institution": institution})


@login_required
@require_POST
def library_load(request):
    institution = _institution(request)
    added = services.library_load(actor=request.user, institution=institution)
    messages.success(request, _("Questionnaires added from the library: %(n)d") % {"n": added})
    return redirect("questionnaire_list")


@login_required
def questionnaire_import(request):
    """A LimeSurvey survey structure file → a questionnaire, whose page then shows the
    report of what could not be mapped."""
    institution = _institution(request)
    if not access.can(request.user, Perm.MANAGE_SURVEYS):
        raise PermissionDenied(_("You do not have permission to do this here."))
    form = LimeSurveyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire = limesurvey.import_lss(
                actor=request.user,
                institution=institution,
                data=data["file"].read(),
                stakeholder=data["stakeholder"],
                key=data["key"],
                per_teaching_slot=data["per_teaching_slot"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, _("Imported from LimeSurvey: %(n)d questions.") % {"n": questionnaire.questions.count()}
            )
            return redirect(questionnaire)
    return render(
        request,
        "surveys/questionnaire_import.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _questionnaire(request, pk) -> Questionnaire:
    questionnaire = get_object_or_404(selectors.questionnaires_for(request.user), pk=pk)
    return questionnaire


@login_required
def questionnaire_detail(request, pk):
    questionnaire = _questionnaire(request, pk)
    sections = questionnaire.sections.prefetch_related("questions")
    versions = Questionnaire.objects.filter(institution=questionnaire.institution, key=questionnaire.key)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "sections": sections,
            "versions": versions.order_by("-version"),
            "has_answers": services.has_answers(questionnaire),
        },
    )


@login_required
def question_edit(request, pk, code=None):
    questionnaire = _questionnaire(request, pk)
    question = get_object_or_404(Question, questionnaire=questionnaire, code=code) if code else None
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                saved = services.question_save(
                    actor=request.user, questionnaire=questionnaire, question=question, data=form.question_data()
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if saved.questionnaire_id != questionnaire.pk:
                    messages.info(request, _("The questionnaire already had answers: your change made a new version."))
                messages.success(request, _("Saved."))
                return redirect(saved.questionnaire)
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question) if question else None)
    title = _("Change the question") if question else _("Add a question")
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": title, "back_url": questionnaire.get_absolute_url(), "questionnaire": questionnaire},
        status=400 if request.method == "POST" else 200,
    )


def _after_edit(request, questionnaire, target):
    if target.pk != questionnaire.pk:
        messages.info(request, _("The questionnaire already had answers: your change made a new version."))
    return redirect(target)


@login_required
def section_edit(request, pk, section_pk=None):
    questionnaire = _questionnaire(request, pk)
    section = get_object_or_404(Section, questionnaire=questionnaire, pk=section_pk) if section_pk else None
    initial = {f"title_{c}": section.title.get(c, "") for c in ("ky", "ru", "en")} if section else None
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.section_save(
                actor=request.user, questionnaire=questionnaire, section=section, title=form.title()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return _after_edit(request, questionnaire, saved.questionnaire)
    return render(
        request,
        "surveys/form.html",
        {
            "form": form,
            "title": _("Rename the section") if section else _("Add a section"),
            "back_url": questionnaire.get_absolute_url(),
            "questionnaire": questionnaire,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def questionnaire_move(request, pk, what, item):
    """Move a section (`what` = section, `item` its id) or a question (`item` its code) one
    place up or down (?step=-1 / 1)."""
    questionnaire = _questionnaire(request, pk)
    step = selectors._int(request.POST.get("step"))
    if what == "section":
        section = get_object_or_404(Section, questionnaire=questionnaire, pk=selectors._int(item))

        def call():
            return services.section_move(actor=request.user, questionnaire=questionnaire, section=section, step=step)
    elif what == "question":
        question = get_object_or_404(Question, questionnaire=questionnaire, code=item)

        def call():
            return services.question_move(actor=request.user, questionnaire=questionnaire, question=question, step=step)
    else:
        raise Http404
    try:
        target = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(questionnaire)
    return _after_edit(request, questionnaire, target)


# --- campaigns -----------------------------------------------------------------------------
@login_required
def campaign_list(request):
    institution = _institution(request)
    campaigns = selectors.campaigns_for(request.user).filter(institution=institution)
    return render(
        request,
        "surveys/campaign_list.html",
        {"campaigns": campaigns, "can_manage": access.can(request.user, Perm.MANAGE_SURVEYS)},
    )


@login_required
def campaign_add(request):
    institution = _institution(request)
    form = CampaignForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        try:
            services.campaign_create(
                actor=request.user,
                campaign=campaign,
                units=form.cleaned_data["target_units"],
                programmes=form.cleaned_data["target_programmes"],
                groups=form.cleaned_data["target_groups"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved."))
            return redirect(campaign)
    return render(
        request,
        "surveys/form.html",
        {"form": form, "title": _("New survey campaign"), "back_url": reverse("campaign_list")},
        status=400 if request.method == "POST" else 200,
    )


def _campaign(request, pk, manage=False) -> Campaign:
    campaign = get_object_or_404(selectors.campaigns_for(request.user), pk=pk)
    if manage and not selectors.can_manage(request.user, campaign):
        raise PermissionDenied(_("You do not have permission to do this here."))
    return campaign


@login_required
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    can_manage = selectors.can_manage(request.user, campaign)
    by = request.GET.get("by") if request.GET.get("by") in ("group", "programme", "department") else "group"
    context = {"campaign": campaign, "can_manage": can_manage, "by": by}
    if can_manage:
        context.update(
            progress=selectors.progress(campaign, by),
            tokens_form=TokensForm(),
            invitations_form=InvitationsForm(),
            invitations=campaign.invitations.aggregate(
                sent=Count("pk"), waiting=Count("pk", filter=Q(token__isnull=False, token__used=False))
            ),
            upload_form=UploadForm(),
            open_url=request.build_absolute_uri(reverse("survey_open", args=[campaign.open_key])),
            slot_count=campaign.slots.count(),
        )
    return render(request, "surveys/campaign_detail.html", context)


@login_required
@require_POST
def campaign_action(request, pk, action):
    campaign = _campaign(request, pk, manage=True)
    actions = {
        "open": (services.campaign_open, _("The campaign is open: respondents may answer.")),
        "close": (services.campaign_close, _("The campaign is closed.")),
    }
    if action not in actions:
        raise Http404
    call, done = actions[action]
    _service(request, lambda: call(actor=request.user, campaign=campaign), done)
    return redirect(campaign)


@login_required
@require_POST
def campaign_tokens(request, pk):
    campaign = _campaign(request, pk, manage=True)
    form = TokensForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Issue between 1 and 2000 tokens at a time."))
        return redirect(campaign)
    count = form.cleaned_data["count"]
    try:
        n = services.tokens_generate(actor=request.user, campaign=campaign, count=count)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tokens issued: %(n)d") % {"n": n})
    return redirect(campaign)


@login_required
@require_POST
def campaign_invite(request, pk):
    """Mail one-time links: to the addresses given, or (none given) to the staff of the
    campaign's units; `remind` mails again those whose link is unused."""
    campaign = _campaign(request, pk, manage=True)
    base_url = request.build_absolute_uri("/")
    if request.POST.get("remind"):
        _service(
            request,
            lambda: services.invitations_remind(actor=request.user, campaign=campaign, base_url=base_url),
            _("Reminders are sent to those whose link is unused."),
        )
        return redirect(campaign)
    form = InvitationsForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(campaign)

    def send():
        text = form.cleaned_data["addresses"]
        addresses = services.parse_addresses(text) if text.strip() else None
        n = services.invitations_send(actor=request.user, campaign=campaign, base_url=base_url, addresses=addresses)
        messages.success(request, _("Invitations sent: %(n)d") % {"n": n})

    try:
        send()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(campaign)


@login_required
def campaign_import(request, pk):
    campaign = _campaign(request, pk, manage=True)
    if request.GET.get("template"):
        response = HttpResponse(
            TeachingLoadImporter.template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="teaching-load.xlsx"'
        return response
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = TeachingLoadImporter(request.user, campaign.institution, campaign).run(form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("Teaching load imported: %(n)d new pairs.") % {"n": result.created})
            return redirect(campaign)
    return render(
        request,
        "surveys/campaign_import.html",
        {"campaign": campaign, "form": form, "result": result, "importer": TeachingLoadImporter},
        status=400 if result is not None else 200,
    )


def _qr_svg(url) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


@login_required
def campaign_slips(request, pk):
    """Printable slips, one per unused token, with the link and its QR code. Printing the
    unused ones again is how a group is reminded."""
    campaign = _campaign(request, pk, manage=True)
    tokens = selectors.unused_tokens(campaign)
    group = request.GET.get("group")
    if group:
        tokens = tokens.filter(slot__group_id=selectors._int(group))
    tokens = list(tokens[:2000])
    slips = []
    for token in tokens:
        url = request.build_absolute_uri(token.get_absolute_url())
        slips.append({"token": token, "url": url, "qr": _qr_svg(url)})
    return render(request, "surveys/slips.html", {"campaign": campaign, "slips": slips})


# --- results -------------------------------------------------------------------------------
def _results(request, campaign, params=None):
    params = request.GET if params is None else params
    by = params.get("by")
    by = by if by in selectors.DIMENSIONS else None
    scope = selectors.results_slots_q(request.user) & selectors.drill_q(params)
    return selectors.results(campaign, scope, by=by)


def _scope_query(params) -> str:
    """The drill-down part of a query string (no breakdown, no question)."""
    return urlencode([(k, params[k]) for k in selectors.DIMENSIONS if params.get(k)])


def _results_context(request, campaign) -> dict:
    results = _results(request, campaign)
    report.decorate(campaign, results)
    return {
        "campaign": campaign,
        "results": results,
        "scope": report.scope_labels(request.GET),
        "scope_query": _scope_query(request.GET),
        "can_raise": is_quality(request.user, campaign.institution_id),
    }


@login_required
def campaign_results(request, pk):
    campaign = _campaign(request, pk)
    context = _results_context(request, campaign)
    context.update(
        dimensions=[(k, v[0]) for k, v in selectors.DIMENSIONS.items()],
        query=request.GET.urlencode(),
        can_manage=selectors.can_manage(request.user, campaign),
    )
    return render(request, "surveys/results.html", context)


@login_required
def campaign_results_pdf(request, pk):
    """The results of the scope on the page, on paper, with the page's own charts; built on
    the same `results()`, so small groups are missing here as they are there."""
    campaign = _campaign(request, pk)
    context = _results_context(request, campaign)
    context.update(
        title=_("Survey results: %(campaign)s") % {"campaign": campaign.title},
        institution_name=campaign.institution.name,
        today=timezone.localdate(),
    )
    pdf = render_pdf("surveys/print/results.html", context)
    return pdf_response(pdf, f"survey-{campaign.pk}-results-{context['today']:%Y-%m-%d}.pdf")


@login_required
def campaign_raise_action(request, pk):
    """An improvement action on a result below the campaign's thresholds (quality department
    only). The result is read again here with the user's own scope: a hidden group, or one
    above the thresholds, cannot be named. The action links to the campaign, the scope and
    the question — never to anyone who answered."""
    campaign = _campaign(request, pk)
    if not is_quality(request.user, campaign.institution_id):
        raise PermissionDenied(_("You do not have permission to do this here."))
    params = request.GET
    results = _results(request, campaign, params=params)
    scope = report.scope_labels(params)
    code, item = params.get("question", ""), selectors._int(params.get("item") or 0)
    if code:
        stat = next((s for s in results.overall.stats if s.question.code == code and s.item == item), None)
        if results.overall.hidden or stat is None or not report.below_threshold(campaign, stat):
            raise Http404
        description = report.describe(campaign, stat, scope)
    else:
        if not scope or results.overall.hidden or not report.group_below(campaign, results.overall):
            raise Http404
        description = report.describe_group(campaign, results.overall, scope)
    survey_scope = "&".join(p for p in (_scope_query(params), urlencode({"question": code}) if code else "") if p)
    unit = report.scope_unit(campaign, params)
    form = ActionForm(
        request.POST or None, user=request.user, institution=campaign.institution, initial={"description": description}
    )
    return save_form(
        request,
        form,
        lambda data: action_create(
            actor=request.user,
            unit=unit,
            institution=campaign.institution,
            origin=Origin.SURVEY,
            survey_campaign=campaign,
            survey_scope=survey_scope,
            **data,
        ),
        success_url=lambda action: action.get_absolute_url(),
        template="surveys/form.html",
        context={
            "title": _("Raise an improvement action"),
            "back_url": reverse("campaign_results", args=[campaign.pk]) + f"?{survey_scope}",
        },
    )


def _table(results) -> tuple[list, list]:
    headers = [
        _("Group"),
        _("Respondents"),
        _("Question"),
        _("Item"),
        _("Answers"),
        _("Mean"),
        _("Median"),
        _("Positive, %"),
    ]
    rows = []
    for group in [results.overall, *results.groups]:
        if group.hidden:
            rows.append([group.label, _("fewer than %(n)d") % {"n": results.min_n}, "", "", "", "", "", ""])
            continue
        for s in group.stats:
            rows.append(
                [group.label, group.respondents, s.question.code, s.label, s.n, s.mean, s.median, s.positive_share]
            )
    return headers, rows


@login_required
def campaign_export(request, pk, fmt):
    campaign = _campaign(request, pk)
    results = _results(request, campaign)
    headers, rows = _table(results)
    name = f"survey-{campaign.pk}-results"
    if fmt == "xlsx":
        return xlsx_response(table_xlsx(headers, rows, title=str(campaign)[:31]), f"{name}.xlsx")
    if fmt != "csv":
        raise Http404
    return _csv_response(name, headers, rows)


def _csv_response(name, headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def campaign_raw(request, pk):
    """The anonymous answers, one row per answer, responses numbered 1, 2, 3 … in this file
    only; slots below the minimum are left out."""
    campaign = _campaign(request, pk, manage=True)
    numbers = {}
    rows = []
    for response_id, discipline, teacher_id, code, item, value, text in selectors.raw_rows(campaign):
        number = numbers.setdefault(response_id, len(numbers) + 1)
        rows.append([number, discipline, teacher_id or "", code, item or "", "" if value is None else value, text])
    headers = ["response", "discipline", "teacher_id", "question", "item", "value", "text"]
    return _csv_response(f"survey-{campaign.pk}-answers", headers, rows)
