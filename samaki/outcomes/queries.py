from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.organisations.queries import scope_to_user, vocabulary_list
from samaki.outcomes.models import Outcome, OutcomeKind


def outcome_list(*, user: Any) -> models.QuerySet[Outcome]:
    return scope_to_user(
        Outcome.objects.select_related("kind", "person"), user=user, area_path="person__village"
    )


def get_outcome_for_user(*, user: Any, pk: int) -> Outcome:
    return get_object_or_404(outcome_list(user=user), pk=pk)


def outcome_kind_list(*, user: Any) -> models.QuerySet[OutcomeKind]:
    return vocabulary_list(OutcomeKind, user=user)
