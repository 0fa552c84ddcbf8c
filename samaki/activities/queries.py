from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.accounts.access import can_see_voided
from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.organisations.queries import scope_to_user, vocabulary_list


def _rows(model: Any, *, user: Any, voided: bool) -> models.QuerySet[Any]:
    """`voided`: voided records too, for those who may see them (`can_see_voided`)."""
    if voided and can_see_voided(user, getattr(user, "organisation_id", None)):
        return model.all_objects.all()
    return model.objects.all()


def activity_list(*, user: Any, voided: bool = False) -> models.QuerySet[Activity]:
    return scope_to_user(
        _rows(Activity, user=user, voided=voided).select_related(
            "kind", "area", "project", "group"
        ),
        user=user,
        area_path="area",
    )


def get_activity_for_user(*, user: Any, pk: int, voided: bool = False) -> Activity:
    """The session, or 404; `voided`: a voided one too, for the M&E officer and the admin."""
    return get_object_or_404(activity_list(user=user, voided=voided), pk=pk)


def attendance_list(*, user: Any, voided: bool = False) -> models.QuerySet[Attendance]:
    return scope_to_user(
        _rows(Attendance, user=user, voided=voided).select_related("activity", "person"),
        user=user,
        area_path="activity__area",
    )


def headcount_list(*, user: Any, voided: bool = False) -> models.QuerySet[Headcount]:
    return scope_to_user(
        _rows(Headcount, user=user, voided=voided), user=user, area_path="activity__area"
    )


def activity_kind_list(*, user: Any) -> models.QuerySet[ActivityKind]:
    return vocabulary_list(ActivityKind, user=user)


def topic_list(*, user: Any) -> models.QuerySet[Topic]:
    return vocabulary_list(Topic, user=user)
