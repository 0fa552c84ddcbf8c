from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.accounts import access
from samaki.imports.models import ImportJob


def import_job_list(*, user: Any) -> models.QuerySet[ImportJob]:
    """Her own imports (an administrator or M&E officer sees the organisation's)."""
    if access.is_platform_operator(user):
        return ImportJob.objects.all()
    if not access.can_write(user):
        return ImportJob.objects.none()
    jobs = ImportJob.objects.filter(organisation_id=user.organisation_id)
    if access.sees_own_rows_only(user):
        jobs = jobs.filter(by=user)
    return jobs.defer("content")


def get_import_job_for_user(*, user: Any, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list(user=user), pk=pk)
