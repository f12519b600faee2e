import copy
import datetime

from sapat.accreditation.models import Accreditation, AccreditationKind, AccreditationResult


def pack(**changes) -> dict:
    """A small valid framework pack (two levels, one group of two criteria)."""
    t = lambda s: {"ky": f"{s} ky", "ru": f"{s} ru", "en": f"{s} en"}  # noqa: E731
    data = {
        "format": 1,
        "code": "agency-std",
        "version": 1,
        "kind": "criteria",
        "source": "Agency standards 2025",
        "name": t("Agency standards"),
        "levels": [{"key": key, "name": t(key)} for key in ("no", "part", "yes")],
        "groups": [
            {
                "code": "A",
                "name": t("Governance"),
                "criteria": [
                    {"code": "A.1", "title": t("Mission"), "levels": {"no": t("n1"), "part": t("p1"), "yes": t("y1")}},
                    {
                        "code": "A.2",
                        "title": t("Website"),
                        "levels": {"no": t("n2"), "part": None, "yes": t("y2")},
                        "elements": [t("e1"), t("e2")],
                    },
                ],
            }
        ],
    }
    data = copy.deepcopy(data)
    data.update(changes)
    return data


def accreditation(inst, *, programme=None, result=AccreditationResult.ACCREDITED, decided=None, years=5, **kwargs):
    decided = decided or datetime.date(2023, 6, 1)
    granted = result != AccreditationResult.REFUSED
    acc = Accreditation(
        institution=inst,
        kind=AccreditationKind.PROGRAMME if programme else AccreditationKind.INSTITUTIONAL,
        programme=programme,
        agency="Ministry",
        decision_date=decided,
        decision_number="12/2023",
        result=result,
        certificate_number="AK-1" if granted else "",
        valid_from=decided if granted else None,
        valid_until=decided.replace(year=decided.year + years) if granted else None,
        **kwargs,
    )
    acc.full_clean()
    acc.save()
    return acc
