"""The register's shape: codes in numeric order, unique in an institution, in their group."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sapat.processes.models import Process, code_sort_key

from . import factories


def test_code_sort_key_orders_by_numbers():
    codes = ["2.10", "1.1", "2.9", "2.1", "10.1", "2.2.1", "2.2"]
    assert sorted(codes, key=code_sort_key) == ["1.1", "2.1", "2.2", "2.2.1", "2.9", "2.10", "10.1"]


def test_register_lists_2_10_after_2_9(world):
    for code in ("2.10", "2.9", "1.1", "2.1", "3.1", "2.2"):
        factories.process(world.inst, code)
    assert list(Process.objects.filter(institution=world.inst).values_list("code", flat=True)) == [
        "1.1",
        "2.1",
        "2.2",
        "2.9",
        "2.10",
        "3.1",
    ]


def test_code_is_unique_in_an_institution_but_not_across(world):
    factories.process(world.inst, "2.3")
    with pytest.raises(ValidationError) as error:
        factories.process(world.inst, "2.3")
    assert "code" in error.value.message_dict
    factories.process(world.other_inst, "2.3")  # another institution's register
    with pytest.raises(IntegrityError), transaction.atomic():
        Process.objects.create(institution=world.inst, group=2, code="2.3", name_ky="Дагы")


@pytest.mark.parametrize("code", ["2.x", "2", "2..3", "2.03", "a.1", "2.1.a", ""])
def test_malformed_codes_are_refused(world, code):
    with pytest.raises(ValidationError) as error:
        Process(institution=world.inst, group=2, code=code, name_ky="Процесс").full_clean()
    assert "code" in error.value.message_dict


def test_code_begins_with_its_groups_number(world):
    p = Process(institution=world.inst, group=3, code="2.1", name_ky="Персоналды башкаруу")
    with pytest.raises(ValidationError) as error:
        p.full_clean()
    assert "code" in error.value.message_dict


def test_the_seeds_spellings_of_a_code_are_normalised(world):
    p = factories.process(world.inst, "1.1.")
    assert p.code == "1.1"
    p2 = factories.process(world.inst, " 2.5 ")
    assert p2.code == "2.5"
