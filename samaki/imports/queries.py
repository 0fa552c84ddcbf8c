from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

from samaki.imports.models import ImportJob


def import_job_list(*, user: Any) -> models.QuerySet[ImportJob]:
    """Her own imports (an administrator or M&E officer sees the organisation's)."""
    if user.is_superuser:
        return ImportJob.objects.all()
    if not user.is_authenticated or user.organisation_id is None or not user.can_write:
        return ImportJob.objects.none()
    jobs = ImportJob.objects.filter(organisation_id=user.organisation_id)
    if user.role == "facilitator":
        jobs = jobs.filter(by=user)
    return jobs.defer("content")


def get_import_job_for_user(*, user: Any, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list(user=user), pk=pk)
