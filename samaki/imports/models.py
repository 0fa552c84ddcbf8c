from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Nothing imported: see the errors")


class ImportJob(models.Model):
    """One uploaded file and what became of it: status, progress, and the result or errors."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    kind = models.CharField(_("what"), max_length=30)
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.WAITING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows checked"), default=0)
    # {"created": n, "updated": n, "unchanged": n} or {"errors": [{"row", "column", "message"}]}
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"

    @property
    def percent(self) -> int:
        if self.status in {JobStatus.DONE, JobStatus.FAILED}:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
