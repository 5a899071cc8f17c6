"""Fixtures for whole-API tests: a seeded office shared by every test of a module."""

import pytest
from django.db import transaction

from tests.api.seed import seed_office


@pytest.fixture(scope="module")
def office(django_db_setup, django_db_blocker):
    """Seeded once per module inside an outer transaction (as Django's
    `TestCase.setUpTestData` does); each test's own transaction is a savepoint in it,
    and the whole office is rolled back after the module's last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed_office()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
