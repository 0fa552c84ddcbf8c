from typing import Any

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from samaki.projects.models import Project


def project_list(*, user: Any) -> models.QuerySet[Project]:
    """Projects her organisation runs or is a partner in (their metadata, not the partners' people)."""
    if user.is_superuser:
        return Project.objects.all()
    if user.organisation_id is None:
        return Project.objects.none()
    return Project.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(partners__id=user.organisation_id)
    ).distinct()


def get_project_for_user(*, user: Any, pk: int) -> Project:
    return get_object_or_404(project_list(user=user), pk=pk)
