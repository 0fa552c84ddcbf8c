"""Reading feedback. Restricted reports exist only for the organisation's focal points."""

import datetime
from typing import Any

from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from samaki.accounts import access
from samaki.accounts.models import User
from samaki.areas.models import Area, AreaLevel
from samaki.feedback.models import (
    OPEN_STATUSES,
    Feedback,
    FeedbackCategory,
    FocalPoint,
    Status,
)
from samaki.feedback.services import follow_up_code_hash
from samaki.organisations.models import Organisation
from samaki.organisations.queries import scope_to_user, vocabulary_list
from samaki.projects.models import Project


def feedback_list(*, user: Any, today: datetime.date | None = None) -> models.QuerySet[Feedback]:
    """What she may read, each row annotated with `overdue`.

    Unrestricted feedback follows the usual scope (her organisation; a facilitator, her areas).
    Staff-conduct complaints and whistle-blower reports: only where she is a focal point — not
    her colleagues, not her administrator, not a platform superuser — and never one about her:
    the other focal points handle that.
    """
    today = today or timezone.localdate()
    if not user.is_authenticated:
        return Feedback.objects.none()
    ordinary = scope_to_user(Feedback.objects.filter(restricted=False), user=user, area_path="area")
    focal_organisations = FocalPoint.objects.filter(user=user).values("organisation_id")
    return (
        Feedback.objects.filter(
            Q(pk__in=ordinary.values("pk"))
            | Q(restricted=True, organisation_id__in=focal_organisations)
        )
        .exclude(restricted=True, about_user_id=user.pk)
        .select_related("category", "area")
        .annotate(
            overdue=Case(
                When(status__in=OPEN_STATUSES, respond_by__lt=today, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
    )


def get_feedback_for_user(*, user: Any, pk: int) -> Feedback:
    return get_object_or_404(feedback_list(user=user), pk=pk)


def feedback_counts(*, user: Any, today: datetime.date | None = None) -> dict[str, int]:
    """By status, plus `overdue` and `total`, in one query."""
    today = today or timezone.localdate()
    aggregates = {status: Count("pk", filter=Q(status=status)) for status in Status.values}
    aggregates["overdue"] = Count("pk", filter=Q(status__in=OPEN_STATUSES, respond_by__lt=today))
    aggregates["total"] = Count("pk")
    return feedback_list(user=user, today=today).order_by().aggregate(**aggregates)


def feedback_by_code(*, code: str) -> Feedback | None:
    """The reporter's own feedback, by her follow-up code (nothing else identifies her)."""
    if not code:
        return None
    return (
        Feedback.objects.select_related("organisation", "category")
        .filter(code_hash=follow_up_code_hash(code))
        .first()
    )


def feedback_category_list(*, organisation: Organisation) -> models.QuerySet[FeedbackCategory]:
    """The categories a new report may be filed under (retired ones are no longer offered)."""
    return FeedbackCategory.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation), retired_on__isnull=True
    ).order_by("name_en")


def feedback_category_list_for_user(*, user: Any) -> models.QuerySet[FeedbackCategory]:
    return vocabulary_list(FeedbackCategory, user=user)


def focal_point_list(*, user: Any) -> models.QuerySet[FocalPoint]:
    """Her organisation's focal points (who they are is no secret: people must know whom to trust)."""
    if access.is_platform_operator(user):
        return FocalPoint.objects.select_related("user", "organisation")
    return FocalPoint.objects.filter(organisation_id=user.organisation_id or -1).select_related(
        "user", "organisation"
    )


def public_organisation_get(*, slug: str) -> Organisation:
    """Any organisation's public feedback page exists: its name is public."""
    return get_object_or_404(Organisation, slug=slug)


def focal_point_candidates(*, user: Any) -> models.QuerySet[User]:
    """Her organisation's active staff, among whom an administrator designates focal points."""
    return User.objects.filter(organisation_id=user.organisation_id or -1, is_active=True).order_by(
        "username"
    )


def public_area_choices(*, organisation: Organisation, limit: int = 250) -> models.QuerySet[Area]:
    """Places a reporter picks from: the communes of the organisation's target areas.

    Where that is too long a list for a phone (a province-wide project), the districts instead.
    """
    targets = Area.objects.filter(
        pk__in=Project.objects.filter(organisation=organisation).values("target_areas")
    ).values_list("path", flat=True)
    inside = Q(pk__in=[])
    for path in targets:
        inside |= Q(path__startswith=path)
    for level in [AreaLevel.COMMUNE, AreaLevel.DISTRICT, AreaLevel.PROVINCE]:
        areas = Area.objects.filter(inside, level=level).order_by("path")
        if areas[: limit + 1].count() <= limit:
            return areas
    return Area.objects.none()
