"""Reporting periods a project has submitted: while one is submitted, records dated in it are
locked (`samaki.periods.rules`); each submission is kept as a numbered revision."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from samaki.results.engine import Period


class PeriodStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened")
    APPROVED = "approved", _("Approved")


# The statuses that lock the records dated in the period.
LOCKED_STATUSES = (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED)


def period_code(period: Period) -> str:
    """The period as people write it: 2024Q3, 2024-07, 2024, or 2024-01-01..2024-06-30."""
    start = period.start
    for text in (
        f"{start.year}Q{(start.month - 1) // 3 + 1}",
        f"{start.year}-{start.month:02d}",
        str(start.year),
    ):
        if Period.parse(text) == period:
            return text
    return str(period)


def period_label(period: Period) -> str:
    """2024Q3 (1 Jul – 30 Sep 2024): the code and its first and last days."""
    first = date_format(period.start, "j M" if period.start.year == period.end.year else "j M Y")
    return f"{period_code(period)} ({first} – {date_format(period.end, 'j M Y')})"


class ReportingPeriod(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="reporting_periods",
        verbose_name=_("project"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The last reopening (every one is in the audit trail with its reason).
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["project", "-start", "-end"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "start", "end"], name="reporting_period_once"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="reporting_period_ends_after"
            ),
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return f"{self.code} {self.project_id}"

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def code(self) -> str:
        return period_code(self.period)

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def holds(self, on: datetime.date) -> bool:
        return self.start <= on <= self.end


class PeriodRevision(models.Model):
    """One submission of the period: the report as it was submitted (never changed)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    report = models.OneToOneField(
        "reports.SubmittedReport", on_delete=models.PROTECT, related_name="revision"
    )
    at = models.DateTimeField(_("submitted at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="period_revision_once")
        ]
        verbose_name = _("period revision")
        verbose_name_plural = _("period revisions")

    def __str__(self) -> str:
        return f"{self.period} r{self.number}"
