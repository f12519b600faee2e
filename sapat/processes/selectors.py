"""Reads of the process register. The register of one's own institution is not secret:
everyone who may see the institution's structure sees its processes. Lists fetch owners
and units up front, so a page costs the same number of queries for 3 processes or 300."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q

from sapat.core.audit_views import scoped_log
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Unit
from sapat.org.selectors import get_visible

from .choices import ProcessGroup
from .models import Process, ProcessInput, ProcessOutput, ProcessOwnership


def processes_for(user):
    """Every process of the institutions the user may see, with its current owners
    (`current_owners`) and participating units (`unit_list`) fetched."""
    ids = access.institution_ids(user)
    qs = Process.objects.select_related("institution")
    if ids is not None:
        qs = qs.filter(institution_id__in=ids)
    return qs.prefetch_related(
        Prefetch(
            "ownerships",
            queryset=ProcessOwnership.objects.current().select_related("person", "unit"),
            to_attr="current_owners",
        ),
        Prefetch(
            "units",
            queryset=Unit.objects.only("id", "code", "name_ky", "name_ru", "name_en", "path").order_by("path"),
            to_attr="unit_list",
        ),
    )


def process_detail(user, pk) -> Process:
    return get_visible(processes_for(user), pk=pk)


@dataclass
class GroupRows:
    group: ProcessGroup
    processes: list = field(default_factory=list)

    @property
    def label(self):
        return self.group.label


def register(processes) -> list[GroupRows]:
    """The processes under their four groups, in code order; every group is listed, empty
    or not, as the seeds' registers show them."""
    groups = {g: GroupRows(ProcessGroup(g)) for g in ProcessGroup.values}
    for process in processes:
        groups[process.group].processes.append(process)
    return list(groups.values())


def inputs_of(process):
    return process.inputs.select_related("supplier_process")


def outputs_of(process):
    return process.outputs.select_related("customer_process")


@dataclass
class Elsewhere:
    """What other processes' maps say about this one, beyond its own map."""

    supplies: list  # inputs of other processes that this one supplies
    receives: list  # outputs of other processes that this one receives


def named_elsewhere(process, inputs, outputs) -> Elsewhere:
    """Links other processes' maps draw to this one and its own map does not repeat: the
    model's arrows, seen from this process."""
    own_out = {(o.customer_process_id, o.name) for o in outputs}
    own_in = {(i.supplier_process_id, i.name) for i in inputs}
    supplies = [
        item
        for item in ProcessInput.objects.filter(supplier_process=process).select_related("process")
        if (item.process_id, item.name) not in own_out
    ]
    receives = [
        item
        for item in ProcessOutput.objects.filter(customer_process=process).select_related("process")
        if (item.process_id, item.name) not in own_in
    ]
    return Elsewhere(supplies, receives)


def ownership_history(process):
    """Every owner the process has had, current first, then by when they ended."""
    rows = list(process.ownerships.select_related("person", "unit"))
    rows.sort(key=lambda o: (not o.is_current, -(o.end_date.toordinal() if o.end_date else 0), o.pk))
    return rows


def governing_documents(user, process):
    """The documents linked to the process, each with `visible`: whether the user may open it."""
    from sapat.documents.selectors import documents_for

    documents = list(process.documents.select_related("doc_type").order_by("code"))
    visible = set(documents_for(user).filter(pk__in=[d.pk for d in documents]).values_list("pk", flat=True))
    for document in documents:
        document.visible = document.pk in visible
    return documents


def linkable_processes(process_or_institution):
    """Processes of the same institution another process's inputs and outputs may name."""
    if isinstance(process_or_institution, Process):
        return Process.objects.filter(institution_id=process_or_institution.institution_id).exclude(
            pk=process_or_institution.pk
        )
    return Process.objects.filter(institution=process_or_institution)


@dataclass
class Link:
    """One arrow of the process model: `source` feeds `target` with `items`."""

    source: Process
    target: Process
    items: list[str] = field(default_factory=list)


def process_links(processes) -> list[Link]:
    """The links between the given processes: inputs supplied by another process and
    outputs received by another, one link per ordered pair, with what flows along it."""
    by_id = {p.pk: p for p in processes}
    links: dict[tuple[int, int], Link] = {}

    def add(source_id, target_id, name):
        if source_id in by_id and target_id in by_id and source_id != target_id:
            link = links.setdefault((source_id, target_id), Link(by_id[source_id], by_id[target_id]))
            if name not in link.items:
                link.items.append(name)

    ids = list(by_id)
    for item in ProcessInput.objects.filter(process_id__in=ids, supplier_process_id__in=ids).order_by("id"):
        add(item.supplier_process_id, item.process_id, item.name)
    for item in ProcessOutput.objects.filter(process_id__in=ids, customer_process_id__in=ids).order_by("id"):
        add(item.process_id, item.customer_process_id, item.name)
    return sorted(links.values(), key=lambda link: (link.source.sort_key, link.target.sort_key))


def process_history(user, process):
    """The audit trail of the process and of its owners, inputs and outputs (deleted ones
    included: each child's "create" entry names its process)."""
    if not access.can(user, Perm.VIEW_AUDIT):
        return []
    process_type = ContentType.objects.get_for_model(Process)
    child_types = ContentType.objects.get_for_models(ProcessOwnership, ProcessInput, ProcessOutput).values()
    marker = f" (#{process.pk})"
    children = Q(pk__in=[])
    log = scoped_log(user)
    for content_type in child_types:
        ids = log.filter(content_type=content_type, action="create", changes__process__1__endswith=marker).values_list(
            "object_id", flat=True
        )
        children |= Q(content_type=content_type, object_id__in=list(ids))
    own = Q(content_type=process_type, object_id=str(process.pk))
    return list(log.filter(own | children)[:300])
