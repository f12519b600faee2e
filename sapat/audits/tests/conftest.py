import pytest

from sapat.processes.tests import factories as pf

from . import factories as f


@pytest.fixture
def aw(world):
    """The world with auditors, a process owned by staff_a's person and an academic year."""
    w = world
    w.year = f.academic_year(w.inst)
    w.process = pf.process(w.inst, "2.3")
    pf.owner(w.process, person=w.staff_a.person)
    w.lead = f.auditor(w.fac_b, person=w.head_b.person)  # works in faculty B
    w.member = f.auditor(w.root)  # works at the top unit (quality staff)
    w.untrained = f.auditor(w.fac_b, trained=False)
    w.own = f.auditor(w.dep_a, person=w.staff_a.person)  # works in dep A, owns the process
    return w
