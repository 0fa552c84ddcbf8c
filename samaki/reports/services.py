"""Writing reports: ask for one (a job), run it (the background task's body), submit it.

A submitted report is a snapshot: its data and its file are copied, hashed and never changed.
"""

import hashlib
import io
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts.access import acting_user, require_manager, require_org_admin
from samaki.audit.services import audit_record
from samaki.numbers import format_number
from samaki.periods.services import period_submit
from samaki.reports.models import (
    NARRATIVE_MAX_LENGTH,
    NARRATIVE_SECTIONS,
    ReportBranding,
    ReportFormat,
    ReportJob,
    ReportNarrative,
    ReportStatus,
    SubmittedReport,
)
from samaki.reports.queries import ReportScope, job_scope, report_build
from samaki.reports.render import RENDERERS
from samaki.results.engine import Period
from samaki.text import strip_invisible

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
    period_submit(by=by, job=job, report=report)  # a project's report submits its period
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


# --- what a report says beside its figures: narratives, the organisation's logo ----------------


@transaction.atomic
def narrative_set(
    *, by: Any, project: Any, period: Period, texts: dict[str, tuple[str, str]]
) -> bool:
    """Write the narratives of a project's report for `period`: section key → (English, Khmer).

    An empty pair removes that section's narrative. One audit row names the sections changed;
    returns whether anything changed.
    """
    require_manager(by=by, organisation_id=project.organisation_id)
    errors: dict[str, list[str]] = {}
    clean: dict[str, tuple[str, str]] = {}
    for section, (text_en, text_km) in texts.items():
        if section not in NARRATIVE_SECTIONS:
            errors.setdefault("section", []).append(
                _("There is no section %(section)s in a report.") % {"section": section}
            )
            continue
        pair = (strip_invisible(text_en).strip(), strip_invisible(text_km).strip())
        for language, text in zip(("en", "km"), pair, strict=True):
            if len(text) > NARRATIVE_MAX_LENGTH:
                errors.setdefault(f"{section}_{language}", []).append(
                    _("At most %(max)s characters (this one has %(length)s).")
                    % {
                        "max": format_number(NARRATIVE_MAX_LENGTH),
                        "length": format_number(len(text)),
                    }
                )
        clean[section] = pair
    if errors:
        raise ValidationError(errors)
    existing = {
        narrative.section: narrative
        for narrative in ReportNarrative.objects.select_for_update().filter(
            project=project, period_start=period.start, period_end=period.end
        )
    }
    changed: list[str] = []
    for section, (text_en, text_km) in clean.items():
        narrative = existing.get(section)
        if narrative is None:
            if text_en or text_km:
                ReportNarrative.objects.create(
                    organisation_id=project.organisation_id, project=project,
                    period_start=period.start, period_end=period.end, section=section,
                    text_en=text_en, text_km=text_km, updated_by=acting_user(by),
                )  # fmt: skip
                changed.append(section)
        elif not (text_en or text_km):
            narrative.delete()
            changed.append(section)
        elif (narrative.text_en, narrative.text_km) != (text_en, text_km):
            narrative.text_en, narrative.text_km = text_en, text_km
            narrative.updated_by = acting_user(by)
            narrative.save(update_fields=["text_en", "text_km", "updated_by", "updated_at"])
            changed.append(section)
    if changed:
        audit_record(
            by=by,
            action="report_narrative.set",
            obj=project,
            organisation_id=project.organisation_id,
            after={"period": str(period), "sections": changed},
        )
    return bool(changed)


LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def _logo_type(content: bytes) -> str:
    """The logo's MIME type, after Pillow has read it whole; ValidationError for anything else.

    SVG is refused: it may carry scripts and links to fetch, and Word cannot embed it.
    """
    from PIL import Image, UnidentifiedImageError

    message = _("The logo must be a PNG or JPEG picture (SVG and other files are refused).")
    if not content:
        raise ValidationError({"logo": _("Choose a PNG or JPEG file.")})
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError({"logo": _("The logo must be at most 1 MB.")})
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"logo": message}) from None
    if kind not in LOGO_TYPES:
        raise ValidationError({"logo": message})
    if max(size) > LOGO_MAX_PIXELS:
        raise ValidationError(
            {"logo": _("The logo must be at most %(max)s pixels wide and high.") % {"max": "4,000"}}
        )
    return LOGO_TYPES[kind]


@transaction.atomic
def report_logo_set(
    *, by: Any, organisation: Any, content: bytes, file_name: str
) -> ReportBranding:
    """Put the organisation's logo on its reports' covers; only its administrator does this.
    A file that is not a PNG or JPEG picture is refused and nothing is saved."""
    require_org_admin(by=by, organisation_id=organisation.pk)
    logo_type = _logo_type(content)
    branding, _created = ReportBranding.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    branding.logo, branding.logo_type = content, logo_type
    branding.logo_name = strip_invisible(file_name)[-255:]
    branding.updated_by = acting_user(by)
    branding.save()
    audit_record(
        by=by,
        action="report_logo.set",
        obj=branding,
        organisation_id=organisation.pk,
        after={"file_name": branding.logo_name, "type": logo_type, "sha256": sha256(content)},
    )
    return branding


@transaction.atomic
def report_logo_remove(*, by: Any, organisation: Any) -> bool:
    require_org_admin(by=by, organisation_id=organisation.pk)
    branding = ReportBranding.objects.filter(organisation=organisation).first()
    if branding is None or not branding.logo_type:
        return False
    branding.logo, branding.logo_type, branding.logo_name = b"", "", ""
    branding.updated_by = acting_user(by)
    branding.save()
    audit_record(
        by=by, action="report_logo.set", obj=branding, organisation_id=organisation.pk,
        after={"removed": True},
    )  # fmt: skip
    return True
