"""How hard the public page lets itself be pushed: requests per address per hour, body size.

The counters live in Django's cache. Settings configure no cache, so Django's default
per-process memory cache holds them: right for one process. A production server running several
worker processes must configure a shared cache (Redis, Memcached or the database cache) or each
process counts on its own (docs/voice.md).
"""

import time

from django.core.cache import cache
from django.http import HttpRequest

from samaki.http import client_ip

FILINGS_PER_HOUR = 5  # feedback filed from one address
LOOKUPS_PER_HOUR = 20  # follow-up codes tried from one address
MAX_BODY_BYTES = 32 * 1024  # a message of 2,000 Khmer characters is about 6 KB of form data
WINDOW_SECONDS = 3600


def client_address(request: HttpRequest) -> str:
    """The caller's address, as the trusted proxies saw it (samaki.http)."""
    return client_ip(request) or "unknown"


def allow(request: HttpRequest, *, bucket: str, limit: int) -> bool:
    """Count one more request from this address in `bucket`; False once past `limit` this hour."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"samaki:limit:{bucket}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count <= limit


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_BYTES
