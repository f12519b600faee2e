"""Processes, owners, inputs and outputs for tests, made through the services."""

from sapat.processes import services
from sapat.processes.models import Process, ProcessInput, ProcessOutput, ProcessOwnership


def process(institution, code="2.3", name_ky=None, actor=None, **kwargs) -> Process:
    p = Process(
        institution=institution,
        group=int(code.split(".")[0]),
        code=code,
        name_ky=name_ky or f"Процесс {code}: билим берүү ишмердигин уюштуруу",
        **kwargs,
    )
    return services.process_save(actor=actor, process=p)


def owner(process, person=None, position_title="", unit=None, actor=None, **kwargs) -> ProcessOwnership:
    o = ProcessOwnership(process=process, person=person, position_title=position_title, unit=unit, **kwargs)
    return services.ownership_add(actor=actor, ownership=o)


def input_from(process, name, supplier_process=None, supplier="", actor=None) -> ProcessInput:
    item = ProcessInput(process=process, name=name, supplier=supplier, supplier_process=supplier_process)
    return services.input_save(actor=actor, item=item)


def output_to(process, name, customer_process=None, customer="", actor=None) -> ProcessOutput:
    item = ProcessOutput(process=process, name=name, customer=customer, customer_process=customer_process)
    return services.output_save(actor=actor, item=item)
