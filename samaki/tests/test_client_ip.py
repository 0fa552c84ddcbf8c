"""The client's address behind the TLS proxy: believed from trusted proxies only.

django-axes locks (username, address) out after five bad passwords. Behind a proxy whose own
address is all Samaki sees, five bad passwords from anywhere would lock a case worker out for
everyone; with X-Forwarded-For believed from anyone, an attacker would pick a new address per try.
"""

import pytest
from django.test import RequestFactory

from samaki.conftest import PASSWORD
from samaki.http import client_ip

PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"


def ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.SAMAKI_TRUSTED_PROXIES = []
    assert ip(CLIENT_A, forwarded=CLIENT_B) == CLIENT_A


def test_a_trusted_proxy_passes_on_the_address_it_saw(settings):
    settings.SAMAKI_TRUSTED_PROXIES = [PROXY]
    assert ip(PROXY, forwarded=CLIENT_A) == CLIENT_A


def test_entries_the_client_wrote_herself_are_skipped(settings):
    settings.SAMAKI_TRUSTED_PROXIES = [PROXY]
    # She sends "X-Forwarded-For: 1.2.3.4"; the proxy appends the address it saw.
    assert ip(PROXY, forwarded=f"1.2.3.4, {CLIENT_A}") == CLIENT_A


def test_a_caller_who_is_not_a_trusted_proxy_cannot_choose_her_address(settings):
    settings.SAMAKI_TRUSTED_PROXIES = [PROXY]
    assert ip(CLIENT_B, forwarded=CLIENT_A) == CLIENT_B


def test_proxies_can_be_given_as_networks_and_chained(settings):
    settings.SAMAKI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert ip(PROXY, forwarded=f"{CLIENT_A}, 10.1.2.3") == CLIENT_A


def test_proxies_can_be_given_as_a_count(settings):
    settings.SAMAKI_TRUSTED_PROXIES = 2
    assert ip(PROXY, forwarded=f"1.2.3.4, {CLIENT_A}, 10.1.2.3") == CLIENT_A
    assert ip(PROXY, forwarded="10.1.2.3") == PROXY  # fewer hops than proxies: the header lies


@pytest.mark.parametrize("forwarded", ["", "not-an-address", f"{CLIENT_A}, junk"])
def test_a_malformed_header_falls_back_to_the_peer(settings, forwarded):
    settings.SAMAKI_TRUSTED_PROXIES = [PROXY]
    assert ip(PROXY, forwarded=forwarded) == PROXY


def test_ipv6_addresses_are_compared_as_addresses(settings):
    settings.SAMAKI_TRUSTED_PROXIES = ["::1"]
    assert ip("0:0:0:0:0:0:0:1", forwarded="2001:db8::5") == "2001:db8::5"


def sign_in(client, password: str, forwarded: str):
    return client.post(
        "/accounts/login/",
        {"username": "facilitator", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_bad_passwords_from_one_client_do_not_lock_her_out_elsewhere(client, personas, settings):
    settings.SAMAKI_TRUSTED_PROXIES = [PROXY]
    for _try in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded=CLIENT_A)
    assert sign_in(client, PASSWORD, forwarded=CLIENT_A).status_code == 429
    response = sign_in(client, PASSWORD, forwarded=CLIENT_B)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_without_a_trusted_proxy_a_new_x_forwarded_for_does_not_unlock(client, personas, settings):
    settings.SAMAKI_TRUSTED_PROXIES = []
    for _try in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded=CLIENT_A)
    assert sign_in(client, PASSWORD, forwarded=CLIENT_B).status_code == 429
