from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The seeds' document hierarchy (004.md §7.1, 001.md §4.1)."""

    L1 = "1", _("Level 1: mission, strategy, policy, quality manual")
    L2 = "2", _("Level 2: documented procedures")
    L3 = "3", _("Level 3: regulations, instructions, teaching documentation")
    L4 = "4", _("Level 4: records")
    BASE = "base", _("Base level: laws and external normative documents")


class ApproverKind(models.TextChoices):
    PERSON = "person", _("An official (e.g. the rector)")
    COUNCIL = "council", _("A collegial body, with protocol number and date")


class RevisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREEMENT = "agreement", _("In agreement")
    APPROVAL = "approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting registration")
    REGISTERED = "registered", _("Registered, not yet in force")
    IN_FORCE = "in_force", _("In force")
    OBSOLETE = "obsolete", _("Obsolete (replaced)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which nothing about a revision may be edited any more.
FROZEN_STATES = {
    RevisionState.APPROVED,
    RevisionState.REGISTERED,
    RevisionState.IN_FORCE,
    RevisionState.OBSOLETE,
    RevisionState.WITHDRAWN,
}


class AgreementDecision(models.TextChoices):
    PENDING = "pending", _("Waiting")
    AGREED = "agreed", _("Agreed")
    RETURNED = "returned", _("Returned with a comment")


class DocumentStatus(models.TextChoices):
    """A document's state, derived from its revisions, kept on the document for lists."""

    DRAFT = "draft", _("Being prepared")
    IN_FORCE = "in_force", _("In force")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ARCHIVED = "archived", _("Archived")


class ReviewOutcome(models.TextChoices):
    CURRENT = "current", _("Still current")
    REVISE = "revise", _("Needs a revision")
    WITHDRAW = "withdraw", _("To be withdrawn")
