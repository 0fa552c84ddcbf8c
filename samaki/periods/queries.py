from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.accounts import access
from samaki.periods.models import PeriodRevision, ReportingPeriod


def period_list(*, user: Any) -> models.QuerySet[ReportingPeriod]:
    """Her organisation's reporting periods (its programme staff; not a donor viewer, whose
    submitted reports are listed with the reports, nor a case role)."""
    if access.is_platform_operator(user):
        return ReportingPeriod.objects.all()
    if not access.can_read_organisation_programme(user):
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.filter(organisation_id=user.organisation_id)


def get_period_for_user(*, user: Any, pk: int) -> ReportingPeriod:
    return get_object_or_404(period_list(user=user).select_related("project", "reopened_by"), pk=pk)


def revision_list(*, period: ReportingPeriod) -> models.QuerySet[PeriodRevision]:
    """The period's submissions, first first, with who submitted them and the report kept."""
    return (
        PeriodRevision.objects.filter(period=period)
        .select_related("by", "report")
        .defer("report__content", "report__data")
        .order_by("number")
    )
