"""Submitting a project's reporting period (through `report_submit`) and reopening it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts.access import require_manager
from samaki.audit.services import audit_record
from samaki.periods.models import LOCKED_STATUSES, PeriodRevision, PeriodStatus, ReportingPeriod
from samaki.records import clean_reason
from samaki.reports.models import ReportJob, ScopeKind, SubmittedReport
from samaki.text import strip_invisible


def period_submit(*, by: Any, job: ReportJob, report: SubmittedReport) -> ReportingPeriod | None:
    """Submit the period of a project's report, inside `report_submit`'s transaction.

    The project's own organisation submits its period (a partner's copy of the project's report
    locks nothing); the first submission creates the period, a later one (after reopening) adds
    the next revision. Refused while the period is submitted: it is reopened first.
    """
    project = job.project
    if job.scope_kind != ScopeKind.PROJECT or project is None:
        return None
    if project.organisation_id != job.organisation_id:
        return None
    require_manager(by=by, organisation_id=project.organisation_id)
    now = timezone.now()
    period = (
        ReportingPeriod.objects.select_for_update()
        .filter(project=project, start=job.period_start, end=job.period_end)
        .first()
    )
    if period is None:
        period = ReportingPeriod.objects.create(
            organisation_id=project.organisation_id,
            project=project,
            start=job.period_start,
            end=job.period_end,
            status=PeriodStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=by,
        )
    elif period.status in LOCKED_STATUSES:
        raise ValidationError(
            _("%(period)s of %(project)s is already submitted; reopen it first.")
            % {"period": period.code, "project": project.code}
        )
    else:
        period.status, period.submitted_at, period.submitted_by = PeriodStatus.SUBMITTED, now, by
        period.save(update_fields=["status", "submitted_at", "submitted_by"])
    number = period.revisions.count() + 1
    PeriodRevision.objects.create(
        organisation_id=period.organisation_id,
        period=period,
        number=number,
        report=report,
        at=now,
        by=by,
    )
    audit_record(
        by=by,
        action="period.submit",
        obj=period,
        organisation_id=period.organisation_id,
        after={
            "project": project.code,
            "period": period.code,
            "revision": number,
            "report": report.pk,
            "data_sha256": report.data_sha256,
        },
    )
    return period


@transaction.atomic
def period_reopen(*, by: Any, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Unlock a submitted period so its records can be changed; the reason is audited.

    The reports submitted for it stay as they were; the next submission is its next revision.
    """
    require_manager(by=by, organisation_id=period.organisation_id)
    reason = clean_reason(strip_invisible(reason), required=False)  # at most its length
    if not reason.replace("\u200b", "").strip():  # a zero-width space alone says nothing
        raise ValidationError({"reason": _("Say why the period is reopened.")})
    if period.status == PeriodStatus.APPROVED:
        raise ValidationError(_("An approved period is reopened by the consortium lead."))
    now = timezone.now()
    reopened = ReportingPeriod.objects.filter(pk=period.pk, status=PeriodStatus.SUBMITTED).update(
        status=PeriodStatus.REOPENED, reopened_at=now, reopened_by=by, reopen_reason=reason
    )
    if not reopened:
        raise ValidationError(_("This period is open already."))
    period.refresh_from_db()
    audit_record(
        by=by,
        action="period.reopen",
        obj=period,
        organisation_id=period.organisation_id,
        before={"status": PeriodStatus.SUBMITTED},
        after={"status": PeriodStatus.REOPENED, "period": period.code},
        reason=reason,
    )
    return period
