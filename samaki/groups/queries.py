from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.accounts.access import can_see_voided
from samaki.groups.models import Group, GroupKind, Membership
from samaki.organisations.queries import scope_to_user, vocabulary_list


def group_list(*, user: Any) -> models.QuerySet[Group]:
    return scope_to_user(Group.objects.select_related("kind", "area"), user=user, area_path="area")


def get_group_for_user(*, user: Any, pk: int) -> Group:
    return get_object_or_404(group_list(user=user), pk=pk)


def membership_list(*, user: Any, voided: bool = False) -> models.QuerySet[Membership]:
    """`voided`: voided memberships too, for those who may see them (`can_see_voided`)."""
    sees = voided and can_see_voided(user, getattr(user, "organisation_id", None))
    rows = (
        Membership.all_objects.select_related("group", "person", "voided_by")
        if sees
        else Membership.objects.select_related("group", "person")
    )
    return scope_to_user(rows, user=user, area_path="person__village")


def group_kind_list(*, user: Any) -> models.QuerySet[GroupKind]:
    return vocabulary_list(GroupKind, user=user)
