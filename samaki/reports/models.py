"""Report jobs (a report generated in the background) and submitted reports (immutable snapshots)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    COUNTING = "counting", _("Counting")
    WRITING = "writing", _("Writing the file")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Excel (XLSX)")
    JSON = "json", _("JSON")
    HTML = "html", _("HTML")


class ScopeKind(models.TextChoices):
    PROJECT = "project", _("project")
    ORGANISATION = "organisation", _("organisation")
    CONSORTIUM = "consortium", _("consortium")


class ReportJob(models.Model):
    """One report asked for: what (scope, period, format, language), how far, and the file."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consortium = models.ForeignKey(
        "organisations.Consortium",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Relative to settings.VAR_DIR, e.g. "reports/12.pdf".
    result_file = models.CharField(_("file"), max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # The report's data (ReportData.as_json()): what a submission keeps.
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return self.file_name or f"report {self.pk}"

    @property
    def running(self) -> bool:
        return self.status not in {ReportStatus.DONE, ReportStatus.FAILED}

    @property
    def percent(self) -> int:
        return 100 if self.status in {ReportStatus.DONE, ReportStatus.FAILED} else self.progress


class SubmittedReport(models.Model):
    """A report as it was submitted to the donor: its data and its file, each with a SHA-256.

    A snapshot never changes: it cannot be saved twice nor deleted (the services offer neither).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    job = models.OneToOneField(ReportJob, on_delete=models.PROTECT, related_name="submission")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    title = models.CharField(_("title"), max_length=255)
    scope_kind = models.CharField(_("scope"), max_length=20, choices=ScopeKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    data = models.JSONField()
    data_sha256 = models.CharField(max_length=64)
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")

    def __str__(self) -> str:
        return self.file_name

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionDenied(_("A submitted report cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("A submitted report cannot be deleted."))


# The sections a narrative may be written for: `Section.key`, the report builder's own names.
NARRATIVE_SECTIONS = (
    "summary",
    "indicators",
    "activities",
    "disaggregation",
    "outcomes",
    "groups",
    "voice",
)
NARRATIVE_MAX_LENGTH = 5000


class ReportNarrative(models.Model):
    """The M&E officer's own paragraphs for one section of a project's report for one period,
    in English and Khmer; each report shows them in its language (English where no Khmer)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("project")
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    section = models.CharField(_("section"), max_length=30)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_km = models.TextField(_("text (Khmer)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "period_start", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end", "section"],
                name="report_narrative_once",
            )
        ]
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_start}–{self.period_end} {self.section}"

    def text(self, language: str) -> str:
        return self.text_km if language == "km" and self.text_km else self.text_en


class ReportBranding(models.Model):
    """What an organisation's reports carry on their cover: its logo (PNG or JPEG), kept in the
    database and embedded in each DOCX and PDF, never fetched from anywhere."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    logo = models.BinaryField(_("logo"), blank=True)
    logo_type = models.CharField(max_length=20, blank=True)  # image/png or image/jpeg
    logo_name = models.CharField(_("file name"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report branding")
        verbose_name_plural = _("report branding")

    def __str__(self) -> str:
        return self.logo_name or str(self.organisation_id)
