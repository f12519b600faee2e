"""The public pages, without an account: send a complaint, suggestion, appeal or thanks to an
institution (the trust box, ишеним кутучасы), and follow it by its tracking code.

The tracking code travels only in POST bodies, never in a URL (it would be kept in server
logs and browser history), and is shown once, right after sending; the session keeps
nothing of it. Reloading the "sent" page does not send the complaint again: the form's
signed timestamp is single-use."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error
from sapat.org.models import Institution

from . import selectors, services, spam
from .forms import FollowUpForm, PublicComplaintForm, TrackForm

TOO_MANY = {
    "submit": gettext_lazy("Too many messages have been sent from your connection. Please try again in an hour."),
    "track": gettext_lazy(
        "Too many wrong tracking codes have been tried from your connection. Please try again in an hour."
    ),
    "follow_up": gettext_lazy("Too many messages have been sent from your connection. Please try again in an hour."),
}


def _too_many(scope):
    return str(TOO_MANY[scope])


def trust_index(request):
    institutions = list(Institution.objects.order_by("code"))
    if len(institutions) == 1:
        return redirect("trust_submit", code=institutions[0].code)
    return render(request, "complaints/public/index.html", {"institutions": institutions})


def trust_submit(request, code):
    institution = get_object_or_404(Institution, code=code)
    form = PublicComplaintForm(request.POST or None, request.FILES or None, institution=institution)
    status = 200
    if request.method == "POST":
        status = 400
        if spam.is_limited(request, "submit"):
            form.add_error(None, _too_many("submit"))
            return render(
                request, "complaints/public/submit.html", {"form": form, "institution": institution}, status=429
            )
        if form.is_valid():
            try:
                complaint = services.complaint_submit(
                    actor=request.user, complaint=form.save(commit=False), upload=form.cleaned_data.get("upload")
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                spam.mark_used(form.cleaned_data["started"])
                spam.count(request, "submit")
                return render(
                    request, "complaints/public/sent.html", {"complaint": complaint, "institution": institution}
                )
        elif form.has_error("__all__", "honeypot"):
            spam.count(request, "submit")
    return render(request, "complaints/public/submit.html", {"form": form, "institution": institution}, status=status)


def _status_page(request, complaint, follow_up=None, *, status=200, sent=False):
    context = {
        "complaint": complaint,
        "messages_sent": selectors.messages_of(complaint, internal=False),
        "follow_up": follow_up or FollowUpForm(initial={"code": complaint.tracking_code}),
        "sent": sent,
    }
    return render(request, "complaints/public/status.html", context, status=status)


def trust_track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if spam.is_limited(request, "track"):
            form.add_error(None, _too_many("track"))
            return render(request, "complaints/public/track.html", {"form": form}, status=429)
        if form.is_valid():
            complaint = selectors.by_tracking_code(form.cleaned_data["code"])
            if complaint is not None:
                return _status_page(request, complaint)
            spam.count(request, "track")
            form.add_error("code", _("There is no message with this code. Check the code and try again."))
        return render(request, "complaints/public/track.html", {"form": form}, status=400)
    return render(request, "complaints/public/track.html", {"form": form})


@require_POST
def trust_follow_up(request):
    form = FollowUpForm(request.POST)
    complaint = selectors.by_tracking_code(request.POST.get("code", ""))
    if complaint is None:
        spam.count(request, "track")
        return redirect("trust_track")
    if spam.is_limited(request, "follow_up"):
        form.add_error(None, _too_many("follow_up"))
        return _status_page(request, complaint, form, status=429)
    if form.is_valid():
        try:
            services.complaint_follow_up(complaint=complaint, text=form.cleaned_data["text"], contacts=form.contacts())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            spam.count(request, "follow_up")
            complaint.refresh_from_db()
            return _status_page(request, complaint, sent=True)
    return _status_page(request, complaint, form, status=400)
