"""What every case page does before and after its view: the safe house's door.

- Only case workers and case supervisors come in; anyone else gets the same 404 as for a case
  that does not exist.
- Case roles prove a second factor (TOTP, django-otp) before any case page.
- A case session ends after CASE_IDLE_SECONDS without a case page.
- Case pages are never cached (`Cache-Control: no-store`): Back after a quick exit or a sign-out
  asks the server again, which no longer shows the case.
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from samaki import http
from samaki.accounts.access import is_case_role

CASE_IDLE_SECONDS = 15 * 60
LAST_SEEN = "samaki.cases.last_seen"


def client_ip(request: HttpRequest) -> str | None:
    """Where the request came from, for the audit (the proxy's address unless it is trusted)."""
    return http.client_ip(request)


def no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response.headers["Pragma"] = "no-cache"
    return response


def case_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The door of every case URL (see the module's docstring)."""

    @functools.wraps(view)
    def door(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return no_store(redirect_to_login(request.get_full_path()))
        if not is_case_role(user):
            raise Http404
        now = time.time()
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is not None and now - last_seen > CASE_IDLE_SECONDS:
            logout(request)
            messages.info(request, _("You were signed out after 15 minutes without activity."))
            return no_store(redirect_to_login(request.get_full_path()))
        if not user.is_verified():  # set by django_otp's middleware
            verify = reverse("cases:verify") + "?" + urlencode({"next": request.get_full_path()})
            return no_store(redirect(verify))
        request.session[LAST_SEEN] = now
        request.session.set_expiry(CASE_IDLE_SECONDS)
        return no_store(view(request, *args, **kwargs))

    return door
