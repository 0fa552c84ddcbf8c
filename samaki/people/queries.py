from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.accounts.models import Role
from samaki.organisations.queries import scope_to_user
from samaki.people.models import Consent, Person, SelfIdentification


def person_list(*, user: Any) -> models.QuerySet[Person]:
    return scope_to_user(Person.objects.select_related("village"), user=user, area_path="village")


def get_person_for_user(*, user: Any, pk: int) -> Person:
    """The person, or 404 whether she does not exist or `user` may not see her."""
    return get_object_or_404(person_list(user=user), pk=pk)


def consent_list(*, user: Any) -> models.QuerySet[Consent]:
    return scope_to_user(Consent.objects.all(), user=user, area_path="person__village")


def self_identification_list(*, user: Any) -> models.QuerySet[SelfIdentification]:
    """Only administrators and M&E officers read sensitive self-identifications."""
    if not user.is_superuser and user.role not in {Role.ADMIN, Role.ME_OFFICER}:
        return SelfIdentification.objects.none()
    return scope_to_user(SelfIdentification.objects.all(), user=user, area_path="person__village")
