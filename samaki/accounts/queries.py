from typing import Any

from django.db import models
from django.http import Http404

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


def managed_user_list(*, user: Any) -> models.QuerySet[User]:
    """Her organisation's accounts, for its administrator's "Users" pages; none for anyone else."""
    if not access.can_manage_users(user):
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id)
        .prefetch_related("areas")
        .order_by("-is_active", "username", "id")
    )


def get_managed_user_for_user(*, user: Any, pk: int) -> User:
    """One account of her organisation, or 404 (not found and not hers are the same)."""
    member = managed_user_list(user=user).select_related("donor").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member
