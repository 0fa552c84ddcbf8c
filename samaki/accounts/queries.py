from typing import Any

from django.db import models

from samaki.accounts import access
from samaki.accounts.access import WRITING_ROLES
from samaki.accounts.models import User


def user_list(*, user: Any) -> models.QuerySet[User]:
    """The users of her organisation; every user, for a superuser."""
    users = User.objects.select_related("organisation")
    if access.is_platform_operator(user):
        return users
    return users.filter(organisation_id=user.organisation_id or -1)


def staff_list(*, user: Any) -> models.QuerySet[User]:
    """Her organisation's active staff who may run sessions (facilitators, officers, admins)."""
    if user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=user.organisation_id, is_active=True, role__in=WRITING_ROLES
    ).order_by("username")
