from typing import Any

from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404

from samaki.advocacy.models import CommunityRequest, RequestFollowUp, RequestStatus, RequestTopic
from samaki.organisations.queries import scope_to_user, vocabulary_list


def request_list(*, user: Any) -> models.QuerySet[CommunityRequest]:
    return scope_to_user(
        CommunityRequest.objects.select_related("topic", "area", "activity", "group"),
        user=user,
        area_path="area",
    )


def get_request_for_user(*, user: Any, pk: int) -> CommunityRequest:
    return get_object_or_404(request_list(user=user), pk=pk)


def follow_up_list(*, user: Any, request: CommunityRequest) -> models.QuerySet[RequestFollowUp]:
    return RequestFollowUp.objects.filter(request__in=request_list(user=user), request=request)


def request_topic_list(*, user: Any) -> models.QuerySet[RequestTopic]:
    return vocabulary_list(RequestTopic, user=user)


def request_counts_by_status(
    requests: models.QuerySet[CommunityRequest],
) -> dict[str, int]:
    """Every status with its count (zeros included), in one GROUP BY: for pages and reports.

    Pass a scoped queryset (`request_list(user=…)`, filtered by project, period…); the rows
    counted are exactly those.
    """
    counts = dict.fromkeys(RequestStatus.values, 0)
    rows = requests.order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def request_counts_by_topic(requests: models.QuerySet[CommunityRequest]) -> list[dict]:
    return list(
        requests.order_by()
        .values("topic__code", "topic__name_en", "topic__name_km")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__code")
    )
