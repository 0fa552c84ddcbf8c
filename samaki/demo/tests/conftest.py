"""The demo, built once for all the demo tests and rolled back after them.

Building it takes half a minute, so it is built once for the package rather than per module:
each test runs in a savepoint on top of it (pytest-django's `db`), so what a test writes is
undone and the next test sees the demo exactly as built.
"""

import pytest
from django.db import transaction

from samaki.demo.builder import DemoResult, demo_build


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> DemoResult:
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo_build()
        yield result
        transaction.set_rollback(True)
