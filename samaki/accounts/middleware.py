"""The programme's doors: one check, before any view, of whether her role reads an app at all."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase

from samaki.accounts import access


class ProgrammeDoorMiddleware:
    """404 on every page of an app whose data her role does not read (`access.DOORS`).

    Anonymous callers pass through: each view sends them to sign in, or asks a phone for its token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        if not access.may_enter(user, namespace=match.namespace, view_name=match.view_name):
            raise Http404
        return None
