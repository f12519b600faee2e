import pytest
from django.urls import reverse

from sapat.org.tests import factories


@pytest.mark.parametrize(
    "name",
    ["home", "unit_tree", "person_list", "programme_list", "academic_year_list", "audit_log", "permission_matrix"],
)
def test_main_pages_render_for_admin(client, world, name):
    client.force_login(world.admin)
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_detail_pages_render(client, world):
    prog = factories.programme(world.dep_a)
    person = factories.person(world.dep_a)
    client.force_login(world.admin)
    for url in (
        reverse("unit_detail", args=[world.fac_a.pk]),
        reverse("person_detail", args=[person.pk]),
        reverse("programme_detail", args=[prog.pk]),
        reverse("unit_edit", args=[world.fac_a.pk]),
        reverse("unit_add", args=[world.fac_a.pk]),
        reverse("person_edit", args=[person.pk]),
        reverse("programme_edit", args=[prog.pk]),
        reverse("person_add"),
        reverse("programme_add"),
        reverse("contingent_edit", args=[prog.pk]),
        reverse("record_history", args=["org", "unit", world.fac_a.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_readme_carries_the_current_permission_matrix():
    from django.conf import settings

    from sapat.org.management.commands.permission_matrix import matrix_markdown

    assert matrix_markdown() in (settings.BASE_DIR / "README.md").read_text()
