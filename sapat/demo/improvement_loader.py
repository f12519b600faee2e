"""Loads the demo nonconformities and improvement actions (`data_improvement`) into the demo
institutions: one or more in every state, some actions overdue, one reopened after a failed
check, and an action on its own.

Called at the end of `loader.load()`, after the process registers and risks. Every step goes
through the improvement services, taken by the demo accounts where they hold the right (the
auditor registers, the unit's head and the quality department approve, the quality department
checks and closes) and by the system otherwise. Dates are then moved back to the spec's days
ago (a service dates what it does today). An institution that already has a nonconformity is
left alone: loading twice changes nothing."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from sapat.core.models import User
from sapat.improvement import services as svc
from sapat.improvement.models import Action, NcState, Nonconformity, Verdict
from sapat.org.models import Institution, Person, Unit
from sapat.processes.models import Process, Risk

from .data_improvement import NONCONFORMITIES, OWN_ACTIONS, NcSpec

ORDER = [NcState.REGISTERED, NcState.ANALYSIS, NcState.ACTION_PLAN, NcState.IN_PROGRESS, NcState.CHECK, NcState.CLOSED]


def load_improvement(write=print) -> dict[str, str]:
    outcome = {}
    for code, specs in NONCONFORMITIES.items():
        institution = Institution.objects.filter(code=code).first()
        if institution is None:
            continue
        if institution.nonconformities.exists():
            outcome[code] = "skipped"
            continue
        # The services tell people by e-mail; a demo being loaded tells no one.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            loader = _Loader(institution)
            for spec in specs:
                loader.nonconformity(spec)
            loader.own_actions(OWN_ACTIONS.get(code, ()))
        outcome[code] = "created"
        write(f"{code}: nonconformities — {len(specs)}, with their actions.")
    return outcome


class _Loader:
    def __init__(self, institution):
        self.institution = institution
        self.today = timezone.localdate()
        self.units = {u.code: u for u in Unit.objects.filter(institution=institution)}
        self.processes = {p.code: p for p in Process.objects.filter(institution=institution)}
        self.accounts = {
            u.username.split(".", 1)[1]: u for u in User.objects.filter(username__startswith=f"{institution.code}.")
        }
        staff = self.accounts.get("staff")
        self.staff_person = getattr(staff, "person", None)

    def _owner(self, key, unit) -> Person:
        if key == "staff" and self.staff_person is not None:
            return self.staff_person
        person = unit.head or Person.objects.filter(unit=unit, left_on__isnull=True).order_by("id").first()
        return person or self.staff_person

    def _approver(self, nc):
        """The unit's head when the demo has an account for them; else the system."""
        head = self.accounts.get("head")
        return head if head is not None and svc.can_approve_for_unit(head, nc) else None

    def nonconformity(self, spec: NcSpec):
        unit = self.units[spec.unit]
        detected = self.today - timedelta(days=spec.days_ago)
        nc = svc.nonconformity_register(
            actor=self.accounts.get(spec.by) or self.accounts.get("quality"),
            institution=self.institution,
            unit=unit,
            nc_type=svc.types_for(self.institution.pk).get(code=spec.nc_type),
            source=spec.source,
            title=spec.title,
            description=spec.description,
            severity=spec.severity,
            process=self.processes.get(spec.process),
            requirement=spec.requirement,
            detected_on=detected,
        )
        # A reopened one goes through a failed check back to the plan, and on into the work.
        target = NcState.IN_PROGRESS if spec.state == "reopened" else spec.state
        level = ORDER.index(target)
        if level >= 1:
            svc.nonconformity_start_analysis(actor=None, nonconformity=nc)
        if level >= 2:
            svc.nonconformity_analyse(
                actor=None,
                nonconformity=nc,
                root_cause=spec.root_cause,
                whys=spec.whys,
                immediate_correction=spec.correction,
            )
        actions = [self._action(nc, a, detected) for a in spec.actions]
        if target == NcState.ACTION_PLAN and spec.unit_approved:
            svc.nonconformity_approve_plan(actor=self._approver(nc), nonconformity=nc, side="unit")
        if level >= 3:
            self._approve(nc)
        for action, (kind, _text, _owner, _deadline, done_ago) in zip(actions, spec.actions, strict=True):
            if done_ago is not None and (level >= 3 or kind == "correction"):
                svc.action_done(
                    actor=None,
                    action=action,
                    result="Аткарылды, далилдери тиркелди.",
                    done_on=self.today - timedelta(days=done_ago),
                )
        if spec.state == "reopened":
            self._check(nc, Verdict.NOT_EFFECTIVE, spec.verdict_note)
            self._action(
                nc, ("corrective", "Окутуучулардын илимий ишине окуу жүгүндө саат бөлүү", "unit", -20, None), detected
            )
            self._approve(nc)
        if target == NcState.CLOSED:
            self._check(nc, Verdict.EFFECTIVE, spec.verdict_note)
            svc.nonconformity_close(actor=self.accounts.get("quality"), nonconformity=nc)
            closed = self.today - timedelta(days=spec.closed_days_ago)
            Nonconformity.objects.filter(pk=nc.pk).update(closed_on=closed, checked_on=closed, check_due_on=closed)
        return nc

    def _action(self, nc, action_spec, detected):
        kind, text, owner, deadline, done_ago = action_spec
        action = svc.action_create(
            actor=None,
            nonconformity=nc,
            kind=kind,
            description=text,
            owner=self._owner(owner, nc.unit),
            deadline=self.today + timedelta(days=deadline),
        )
        # Raised when the nonconformity was analysed, not on the day of loading.
        Action.objects.filter(pk=action.pk).update(created_at=timezone.make_aware(datetime.combine(detected, time())))
        action.refresh_from_db()
        return action

    def _approve(self, nc):
        svc.nonconformity_approve_plan(actor=self._approver(nc), nonconformity=nc, side="unit")
        svc.nonconformity_approve_plan(actor=self.accounts.get("quality"), nonconformity=nc, side="quality")

    def _check(self, nc, verdict, note):
        Nonconformity.objects.filter(pk=nc.pk).update(check_due_on=self.today)
        svc.nonconformity_check(actor=self.accounts.get("quality"), nonconformity=nc, verdict=verdict, note=note)

    def own_actions(self, specs):
        for unit_code, kind, text, owner, days in specs:
            unit = self.units[unit_code]
            svc.action_create(
                actor=None,
                unit=unit,
                kind=kind,
                description=text,
                owner=self._owner(owner, unit),
                deadline=self.today + timedelta(days=days),
            )
        risk = Risk.objects.filter(institution=self.institution).order_by("code").first()
        if risk is not None:
            svc.action_create(
                actor=None,
                risk=risk,
                kind="preventive",
                description=f"Тобокелдикти азайтуу боюнча алдын алуу аракети: {risk.title}",
                owner=self._owner("staff", risk.unit or self.units[next(iter(self.units))]),
                deadline=self.today + timedelta(days=60),
            )
