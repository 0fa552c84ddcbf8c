import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client, settings):
    """A visitor who chose English (the public pages otherwise speak Khmer first)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
