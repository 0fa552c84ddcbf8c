from typing import Any

from django.db import models

from samaki.accounts import access
from samaki.api.models import Token


def token_list(*, user: Any, kind: str) -> models.QuerySet[Token]:
    """Her organisation's tokens of `kind` for its administrator; her own for anyone else."""
    tokens = Token.objects.select_related("user").filter(kind=kind)
    if access.is_platform_operator(user):
        return tokens
    if not access.can_read_programme(user):
        return tokens.none()
    tokens = tokens.filter(organisation_id=user.organisation_id)
    if not access.sees_every_token(user, user.organisation_id):
        tokens = tokens.filter(user=user)
    return tokens
