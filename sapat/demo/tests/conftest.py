import pytest
from django.db import transaction

from sapat.demo import loader


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo, loaded once for a test module inside a transaction rolled back at its end
    (the audit log refuses deletes, not a rollback); each test runs in a savepoint within it.
    The value is what `loader.load` says it did."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield loader.load(write=lambda line: None)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_once, db):
    return loaded_once
