import pytest
from django.utils import translation

from sapat.org.choices import Role
from sapat.org.tests import factories


@pytest.fixture
def english(settings):
    """Run a test in English (the installation default is Kyrgyz): for tests that read the
    interface's English messages. Accounts without their own choice follow the default."""
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    """Two institutions. In the first: faculty A with a department, faculty B; a user per
    role where it matters. The usual stage for permission tests."""

    class World:
        pass

    w = World()
    w.inst = factories.institution("batsu")
    w.root = factories.root_of(w.inst)
    w.fac_a = factories.unit(w.root, "FA")
    w.dep_a = factories.unit(w.fac_a, "FA-D1", unit_type="department")
    w.fac_b = factories.unit(w.root, "FB")
    w.other_inst = factories.institution("oshsu")
    w.other_root = factories.root_of(w.other_inst)
    w.admin = factories.user_with_role(Role.ADMIN, w.root, username="admin")
    w.quality = factories.user_with_role(Role.QUALITY_DEPARTMENT, w.root, username="quality")
    w.rector = factories.user_with_role(Role.TOP_MANAGEMENT, w.root, username="rector")
    w.head_a = factories.user_with_role(Role.UNIT_HEAD, w.fac_a, username="head_a")
    w.quality_a = factories.user_with_role(Role.UNIT_QUALITY, w.fac_a, username="quality_a")
    w.staff_a = factories.user_with_role(Role.STAFF, w.dep_a, username="staff_a")
    w.head_b = factories.user_with_role(Role.UNIT_HEAD, w.fac_b, username="head_b")
    w.analyst = factories.user_with_role(Role.ANALYST, None, username="analyst")
    return w
