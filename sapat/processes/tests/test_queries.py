"""The register page costs the same number of queries for 3 processes or 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.org.tests import factories as org_factories

from . import factories


def grow(world, start, end):
    for i in range(start, end):
        group = i % 4 + 1
        process = factories.process(world.inst, f"{group}.{i + 1}")
        person = org_factories.person(world.fac_a, f"Ээси{i:03d}")
        factories.owner(process, person, f"Башчы {i}", unit=world.fac_a)
        factories.owner(process, None, "Кафедралар")
        process.units.set([world.fac_a, world.fac_b, world.dep_a])


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["process_list", "process_model", "process_model_svg"])
def test_register_pages_cost_the_same_for_3_or_30_processes(client, world, name):
    client.force_login(world.quality)
    url = reverse(name)
    grow(world, 0, 3)
    small = count(client, url)
    grow(world, 3, 30)
    assert count(client, url) == small
