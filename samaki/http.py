"""Where a request came from, behind the proxies this installation trusts.

One rule for the login lockout (django-axes), the public feedback page's rate limits and the
case audit. `SAMAKI_TRUSTED_PROXIES` (docs/settings.md) is either a count of proxies in front
of Samaki or the proxies' addresses (networks allowed). `X-Forwarded-For` is read only when the
immediate peer (`REMOTE_ADDR`) is one of them, so a caller who talks to Samaki directly cannot
choose her address by sending the header.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_ID = 2**63 - 1  # the largest BigAutoField id; a larger one overflows the database driver


def posted_id(text: str) -> int:
    """A row's id as a form posted it; anything that cannot be an id is a 400 (BadRequest)."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID):
        raise BadRequest("Not an id.")
    return int(text)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the nearest `X-Forwarded-For` entry no trusted proxy added."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.SAMAKI_TRUSTED_PROXIES
    if remote is None or not trusted:
        return remote
    hops = [_address(hop) for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if isinstance(trusted, int):
        # Each of the `trusted` proxies appends the address it saw; the first one saw the client.
        if len(hops) < trusted or hops[-trusted] is None:
            return remote
        return hops[-trusted]
    networks = _networks(tuple(trusted))
    if not _is_in(remote, networks):
        return remote
    for hop in reversed(hops):
        if hop is None:
            return remote  # a malformed entry: everything left of it may be made up
        if not _is_in(hop, networks):
            return hop
    return remote


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _is_in(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
