from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.accounts.access import can_see_voided
from samaki.organisations.queries import scope_to_user, vocabulary_list
from samaki.outcomes.models import Outcome, OutcomeKind


def outcome_list(*, user: Any, voided: bool = False) -> models.QuerySet[Outcome]:
    """`voided`: voided outcomes too (with who voided them), for those who may see them."""
    if voided and can_see_voided(user, getattr(user, "organisation_id", None)):
        rows = Outcome.all_objects.select_related("kind", "person", "voided_by")
    else:
        rows = Outcome.objects.select_related("kind", "person")
    return scope_to_user(rows, user=user, area_path="person__village")


def get_outcome_for_user(*, user: Any, pk: int) -> Outcome:
    return get_object_or_404(outcome_list(user=user), pk=pk)


def outcome_kind_list(*, user: Any) -> models.QuerySet[OutcomeKind]:
    return vocabulary_list(OutcomeKind, user=user)
