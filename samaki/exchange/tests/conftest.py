"""The demo, built once for the exchange tests and rolled back after them (as samaki/demo/tests)."""

import pytest
from django.db import transaction

from samaki.demo.builder import DemoResult, demo_build


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> DemoResult:
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo_build()
        yield result
        transaction.set_rollback(True)
