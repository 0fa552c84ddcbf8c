from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.organisations.queries import scope_to_user, vocabulary_list


def activity_list(*, user: Any) -> models.QuerySet[Activity]:
    return scope_to_user(
        Activity.objects.select_related("kind", "area", "project", "group"),
        user=user,
        area_path="area",
    )


def get_activity_for_user(*, user: Any, pk: int) -> Activity:
    return get_object_or_404(activity_list(user=user), pk=pk)


def attendance_list(*, user: Any) -> models.QuerySet[Attendance]:
    return scope_to_user(
        Attendance.objects.select_related("activity", "person"),
        user=user,
        area_path="activity__area",
    )


def headcount_list(*, user: Any) -> models.QuerySet[Headcount]:
    return scope_to_user(Headcount.objects.all(), user=user, area_path="activity__area")


def activity_kind_list(*, user: Any) -> models.QuerySet[ActivityKind]:
    return vocabulary_list(ActivityKind, user=user)


def topic_list(*, user: Any) -> models.QuerySet[Topic]:
    return vocabulary_list(Topic, user=user)
