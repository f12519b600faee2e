"""Complaints made as real use makes them: through the services."""

from sapat.complaints import services
from sapat.complaints.choices import Category, Kind, Submitter
from sapat.complaints.models import Complaint


def complaint(inst, *, actor=None, anonymous=True, **kwargs) -> Complaint:
    c = Complaint(
        institution=inst,
        kind=kwargs.pop("kind", Kind.COMPLAINT),
        submitter_type=kwargs.pop("submitter_type", Submitter.STUDENT),
        category=kwargs.pop("category", Category.TEACHING),
        subject=kwargs.pop("subject", "Сабак өтпөй калды"),
        text=kwargs.pop("text", "Мугалим үч жолу сабакка келген жок."),
        anonymous=anonymous,
        **kwargs,
    )
    return services.complaint_submit(actor=actor, complaint=c)


def routed(world, unit=None, **kwargs) -> Complaint:
    c = complaint(world.inst, **kwargs)
    return services.complaint_route(actor=world.quality, complaint=c, unit=unit or world.fac_a)
