from typing import Any

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from samaki.accounts import access
from samaki.projects.models import Project


def project_list(*, user: Any) -> models.QuerySet[Project]:
    """Projects her organisation runs or is a partner in (their metadata, not the partners' people).

    A donor viewer: only those her donor funds. Case roles: none (they read no programme data).
    """
    if access.is_platform_operator(user):
        return Project.objects.all()
    if not access.can_read_programme(user):
        return Project.objects.none()
    projects = Project.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(partners__id=user.organisation_id)
    )
    if access.is_donor_viewer(user):
        projects = projects.filter(donor_id=access.followed_donor_id(user) or -1)
    return projects.distinct()


def get_project_for_user(*, user: Any, pk: int) -> Project:
    return get_object_or_404(project_list(user=user), pk=pk)
