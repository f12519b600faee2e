"""Loads the demo process registers (`data_processes`) into the demo institutions.

Called at the end of `loader.load()`: for each demo institution that exists and has no
process yet, the register goes in through `save_audited` with no actor (the system), so
every row has its "create" entry in the audit log, as the rest of the demo. An institution
that already has processes is left alone: loading twice changes nothing, and a database
loaded before the register existed gets it on the next `load_demo`.

Owners are the Person records the organisation demo made for the names the seeds give
(looked up by full name); their ownership starts when their current post began."""

import re

from django.db import transaction

from sapat.core.audit import save_audited
from sapat.org.models import Institution, Person, Position, Unit
from sapat.processes import services
from sapat.processes.choices import ProcessGroup
from sapat.processes.models import Process, ProcessInput, ProcessOutput, ProcessOwnership

from .data_processes import REGISTERS, ProcessSpec
from .spec import split_name


class RegisterError(Exception):
    pass


def load_process_registers(write=print) -> dict[str, str]:
    outcome = {}
    for code, specs in REGISTERS.items():
        institution = Institution.objects.filter(code=code).first()
        if institution is None:
            continue
        if institution.processes.exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic():
            count = RegisterLoader(institution, specs).load()
        outcome[code] = "created"
        write(f"{code}: process register — {count} processes.")
    return outcome


class RegisterLoader:
    def __init__(self, institution: Institution, specs: tuple[ProcessSpec, ...]):
        self.institution = institution
        self.specs = specs
        self.units = {u.code: u for u in Unit.objects.filter(institution=institution)}
        self.processes: dict[str, Process] = {}

    def load(self) -> int:
        for spec in self.specs:
            self.processes[spec.code] = self._process(spec)
        for spec in self.specs:
            process = self.processes[spec.code]
            for owner in spec.owners:
                self._owner(process, owner)
            services.set_links(None, process, "units", [self._unit(code) for code in spec.units])
            for item in spec.inputs:
                save_audited(
                    None,
                    ProcessInput(
                        process=process,
                        name=item.name,
                        supplier=item.party,
                        supplier_process=self.processes[item.process] if item.process else None,
                    ),
                )
            for item in spec.outputs:
                save_audited(
                    None,
                    ProcessOutput(
                        process=process,
                        name=item.name,
                        customer=item.party,
                        customer_process=self.processes[item.process] if item.process else None,
                    ),
                )
        self._documents()
        return len(self.processes)

    def _unit(self, code) -> Unit:
        try:
            return self.units[code]
        except KeyError as exc:
            raise RegisterError(f"{self.institution.code}: no unit {code!r} for the process register") from exc

    def _process(self, spec: ProcessSpec) -> Process:
        short_ky, short_ru, short_en = spec.short
        process = Process(
            institution=self.institution,
            group=ProcessGroup(spec.group),
            code=spec.code,
            name_ky=spec.ky,
            name_ru=spec.ru,
            name_en=spec.en,
            short_name_ky=short_ky,
            short_name_ru=short_ru,
            short_name_en=short_en,
            purpose=spec.purpose,
            resources=spec.resources,
        )
        return save_audited(None, process)

    def _person(self, full_name: str) -> Person:
        last, first, middle = split_name(full_name)
        found = list(
            Person.objects.filter(institution=self.institution, last_name=last, first_name=first, middle_name=middle)
        )
        if len(found) != 1:
            raise RegisterError(f"{self.institution.code}: {len(found)} people named {full_name!r}")
        return found[0]

    def _owner(self, process: Process, spec):
        person = self._person(spec.person) if spec.person else None
        unit = self._unit(spec.unit) if spec.unit else None
        start = None
        if person is not None:
            positions = Position.objects.current().filter(person=person).exclude(start_date__isnull=True)
            in_unit = positions.filter(unit=unit).order_by("-start_date").first() if unit else None
            main = in_unit or positions.order_by("start_date").first()
            start = main.start_date if main else None
        save_audited(
            None,
            ProcessOwnership(process=process, person=person, position_title=spec.position, unit=unit, start_date=start),
        )

    def _documents(self):
        """Link the governing documents the demo's document register holds, found by a
        fragment of their Kyrgyz title; none when the documents are not loaded."""
        from sapat.documents.models import Document

        documents = list(Document.objects.filter(institution=self.institution).order_by("code"))
        if not documents:
            return
        for spec in self.specs:
            # Whole words: "Окуу процесси" is not "Окуу процессинин … камсыздалышын башкаруу".
            wanted = [re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)", re.IGNORECASE) for fragment in spec.documents]
            linked = [d for d in documents if any(w.search(d.title_ky or "") for w in wanted)]
            if linked:
                services.set_links(None, self.processes[spec.code], "documents", linked)
