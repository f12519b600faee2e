"""E-mail to people, each in their own interface language, sent once the transaction that
caused it has committed (a rolled-back change sends nothing)."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def notify(people, template: str, context: dict) -> int:
    """Queue one message per person with an e-mail address (anything with `email`, and
    `user` or `language`); `template` names a pair
    `<template>_subject.txt` / `<template>_body.txt`. Returns how many were queued."""
    messages = []
    for person in people:
        user = getattr(person, "user", None)
        address = person.email or (user.email if user else "")
        if not address:
            continue
        # Someone without an account (a complaint's sender) may carry the language they wrote in.
        language = (user.language if user else getattr(person, "language", "")) or settings.LANGUAGE_CODE
        with translation.override(language):
            ctx = {**context, "person": person}
            subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
            body = render_to_string(f"{template}_body.txt", ctx)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    if messages:
        transaction.on_commit(lambda: _send(messages))
    return len(messages)


def _send(messages) -> None:
    # A mail server being down must not undo the change that was saved; it is logged loudly.
    try:
        send_mass_mail(messages)
    except Exception:
        logging.getLogger("sapat.mail").exception("Sending %d message(s) failed", len(messages))
