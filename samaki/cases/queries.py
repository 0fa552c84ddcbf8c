"""Reads of the safe house. Cases live apart from the rest of Samaki's scoping.

`scope_to_user` gives case roles no programme data, and gives programme roles no case: a case is
open only to her assigned case worker, the organisation's case supervisors and a colleague with a
live emergency grant. Everyone else, administrators and superusers included, gets 404.
"""

from typing import Any

from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from samaki.accounts.access import is_case_role, is_case_supervisor, is_case_worker
from samaki.cases.models import (
    Case,
    CaseAccessGrant,
    CaseAudit,
    FollowUp,
    Referral,
    ReferralStatus,
    SafeHouseCapacity,
    Service,
    ServiceProvider,
    ShelterStay,
)


def case_list(*, user: Any) -> models.QuerySet[Case]:
    """The cases `user` may open (not a superuser's: cases are not platform data)."""
    if not is_case_role(user):
        return Case.objects.none()
    cases = Case.objects.filter(organisation_id=user.organisation_id)
    if is_case_supervisor(user):
        return cases
    if is_case_worker(user):
        granted = CaseAccessGrant.objects.filter(
            grantee=user, expires_at__gt=timezone.now(), revoked_at__isnull=True
        ).values("case_id")
        return cases.filter(Q(case_worker=user) | Q(pk__in=granted))
    return Case.objects.none()


def get_case_for_user(*, user: Any, pk: int) -> Case:
    """The case, or 404 whether it does not exist or `user` may not open it."""
    return get_object_or_404(case_list(user=user), pk=pk)


def _in_open_cases(queryset: models.QuerySet, *, user: Any) -> models.QuerySet:
    return queryset.filter(case__in=case_list(user=user))


def get_referral_for_user(*, user: Any, case: Case, pk: int) -> Referral:
    return get_object_or_404(_in_open_cases(Referral.objects.all(), user=user), case=case, pk=pk)


def get_stay_for_user(*, user: Any, case: Case, pk: int) -> ShelterStay:
    return get_object_or_404(_in_open_cases(ShelterStay.objects.all(), user=user), case=case, pk=pk)


def get_follow_up_for_user(*, user: Any, case: Case, pk: int) -> FollowUp:
    return get_object_or_404(_in_open_cases(FollowUp.objects.all(), user=user), case=case, pk=pk)


def case_services(*, user: Any, case: Case) -> models.QuerySet[Service]:
    return _in_open_cases(Service.objects.all(), user=user).filter(case=case).select_related("by")


def case_stays(*, user: Any, case: Case) -> models.QuerySet[ShelterStay]:
    return _in_open_cases(ShelterStay.objects.all(), user=user).filter(case=case)


def case_referrals(*, user: Any, case: Case) -> models.QuerySet[Referral]:
    return (
        _in_open_cases(Referral.objects.all(), user=user)
        .filter(case=case)
        .select_related("provider__area")
    )


def case_follow_ups(*, user: Any, case: Case) -> models.QuerySet[FollowUp]:
    return _in_open_cases(FollowUp.objects.all(), user=user).filter(case=case)


def case_access_log(*, user: Any, case: Case) -> models.QuerySet[CaseAudit]:
    """The case's audit rows: for its organisation's case supervisors only."""
    if not is_case_supervisor(user) or case.organisation_id != user.organisation_id:
        return CaseAudit.objects.none()
    return CaseAudit.objects.filter(case=case).select_related("actor")


def case_grants(*, user: Any, case: Case) -> models.QuerySet[CaseAccessGrant]:
    if not is_case_supervisor(user) or case.organisation_id != user.organisation_id:
        return CaseAccessGrant.objects.none()
    return CaseAccessGrant.objects.filter(case=case).select_related("grantee", "granted_by")


def provider_list(*, user: Any) -> models.QuerySet[ServiceProvider]:
    """The referral directory: for the organisation's case workers and supervisors."""
    if not is_case_role(user):
        return ServiceProvider.objects.none()
    return ServiceProvider.objects.filter(organisation_id=user.organisation_id).select_related(
        "area"
    )


def occupancy(*, organisation_id: int, day: Any) -> tuple[int, int | None]:
    """(women sheltered on the night of `day`, beds in the house or None if not recorded)."""
    present = (
        ShelterStay.objects.filter(organisation_id=organisation_id, admitted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
        .count()
    )
    capacity = (
        SafeHouseCapacity.objects.filter(organisation_id=organisation_id)
        .values_list("beds", flat=True)
        .first()
    )
    return present, capacity


def referral_status_counts(*, organisation_id: int) -> dict[str, int]:
    rows = (
        Referral.objects.filter(
            organisation_id=organisation_id,
            case__consent_reporting=True,
            case__reported_elsewhere=False,
        )
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(ReferralStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
