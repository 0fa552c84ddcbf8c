"""Writing reports: ask for one (a job), run it (the background task's body), submit it.

A submitted report is a snapshot: its data and its file are copied, hashed and never changed.
"""

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.audit.services import audit_record
from samaki.reports.models import ReportFormat, ReportJob, ReportStatus, SubmittedReport
from samaki.reports.queries import ReportScope, job_scope, report_build
from samaki.reports.render import RENDERERS
from samaki.results.engine import Period

logger = logging.getLogger(__name__)
RENDERED_AT = 90  # % of the bar given to counting; the rest is writing the file


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def data_bytes(data: dict[str, Any]) -> bytes:
    """The canonical bytes of a report's data, which its hash is taken over."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@transaction.atomic
def report_job_create(
    *, by: Any, scope: ReportScope, period: Period, fmt: str, language: str
) -> ReportJob:
    """A report to generate for `scope` (already checked against `by`'s rights)."""
    if by.organisation_id is None:
        raise PermissionDenied(_("Only a member of an organisation can ask for a report."))
    if fmt not in ReportFormat.values:
        raise ValidationError(_("Unknown format."))
    if language not in ("en", "km"):
        raise ValidationError(_("Reports are written in English or Khmer."))
    job = ReportJob.objects.create(
        organisation_id=by.organisation_id,
        by=by,
        scope_kind=scope.kind,
        project=scope.project,
        consortium=scope.consortium,
        period_start=period.start,
        period_end=period.end,
        format=fmt,
        language=language,
    )
    audit_record(
        by=by,
        action="report.requested",
        obj=job,
        organisation_id=job.organisation_id,
        after={"scope": scope.code, "period": str(period), "format": fmt},
    )
    return job


def _set(job_id: int, **fields: Any) -> None:
    ReportJob.objects.filter(pk=job_id).update(**fields)


def report_job_run(*, job_id: int) -> None:
    """Build, render and store the report, moving the job's progress bar as it goes."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportStatus.WAITING).update(
        status=ReportStatus.COUNTING
    )
    if not claimed:
        return  # already run, or running elsewhere
    job = ReportJob.objects.select_related("project", "consortium", "organisation", "by").get(
        pk=job_id
    )
    try:
        scope = job_scope(job)
        report = report_build(
            scope=scope,
            period=Period(job.period_start, job.period_end),
            language=job.language,
            today=timezone.localdate(),
            progress=lambda done, total: _set(job_id, progress=RENDERED_AT * done // total),
        )
        _set(job_id, status=ReportStatus.WRITING, progress=RENDERED_AT)
        content = RENDERERS[job.format](report)
        relative = f"reports/{job.pk}.{job.format}"
        path = settings.VAR_DIR / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except Exception as error:  # whatever failed, the page must say so
        logger.exception("report job %s failed", job_id)
        _set(
            job_id,
            status=ReportStatus.FAILED,
            error=_("The report could not be made: %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        return
    name = f"{scope.code}-{job.period_start.isoformat()}-{job.period_end.isoformat()}"
    _set(
        job_id,
        status=ReportStatus.DONE,
        progress=100,
        result_file=relative,
        file_name=f"{name}-{job.language}.{job.format}",
        data=report.as_json(),
        finished_at=timezone.now(),
    )


def report_job_content(job: ReportJob) -> bytes:
    return (settings.VAR_DIR / job.result_file).read_bytes()


@transaction.atomic
def report_submit(*, job: ReportJob, by: Any) -> SubmittedReport:
    """Keep the finished report as it is now: its data and its file, hashed, for good."""
    if not by.is_superuser and (by.organisation_id != job.organisation_id or not by.can_write):
        raise PermissionDenied(_("You may not submit this report."))
    if job.status != ReportStatus.DONE:
        raise ValidationError(_("Only a finished report can be submitted."))
    if SubmittedReport.objects.filter(job=job).exists():
        raise ValidationError(_("This report was already submitted."))
    content = report_job_content(job)
    report = SubmittedReport.objects.create(
        organisation_id=job.organisation_id,
        job=job,
        submitted_by=by,
        submitted_at=timezone.now(),
        title=job.data.get("title", ""),
        scope_kind=job.scope_kind,
        period_start=job.period_start,
        period_end=job.period_end,
        language=job.language,
        data=job.data,
        data_sha256=sha256(data_bytes(job.data)),
        format=job.format,
        file_name=job.file_name,
        content=content,
        content_sha256=sha256(content),
    )
    audit_record(
        by=by,
        action="report.submitted",
        obj=report,
        organisation_id=report.organisation_id,
        after={"data_sha256": report.data_sha256, "content_sha256": report.content_sha256},
    )
    return report


@transaction.atomic
def report_job_delete(*, job: ReportJob, by: Any) -> None:
    """Forget a report job and its file; a submitted one is kept for good."""
    if not by.is_superuser and (by.organisation_id != job.organisation_id or not by.can_write):
        raise PermissionDenied(_("You may not delete this report."))
    if SubmittedReport.objects.filter(job=job).exists():
        raise PermissionDenied(_("A submitted report cannot be deleted."))
    if job.result_file:
        (settings.VAR_DIR / job.result_file).unlink(missing_ok=True)
    audit_record(by=by, action="report.deleted", obj=job, organisation_id=job.organisation_id)
    job.delete()
