"""XLSForms served to phones over OpenRosa and what the phones send (their tokens: `api.Token`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormPurpose(models.TextChoices):
    """What Samaki does with a submission of the form."""

    PERSON_REGISTRATION = "person_registration", _("Person registration")
    ATTENDANCE = "attendance", _("Session attendance")
    FEEDBACK = "feedback", _("Community feedback")
    KEEP = "keep", _("Keep submissions only (no Samaki record)")


class XForm(models.Model):
    """One XLSForm converted by pyxform, as phones download it."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    form_id = models.CharField(_("form ID"), max_length=255)
    version = models.CharField(_("version"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=30, choices=FormPurpose.choices)
    xml = models.TextField(_("XForm"))
    md5 = models.CharField(max_length=32)
    xlsform = models.BinaryField(_("XLSForm file"), blank=True)
    xlsform_name = models.CharField(max_length=255, blank=True)
    # Samaki field -> the XForm's field name, for an uploaded form (e.g. {"sex": "gender"}).
    mapping = models.JSONField(_("field mapping"), default=dict, blank=True)
    active = models.BooleanField(_("served to phones"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "form_id"], name="xform_id_once")
        ]
        verbose_name = _("phone form")
        verbose_name_plural = _("phone forms")

    def __str__(self) -> str:
        return f"{self.title} ({self.form_id})"


class SubmissionStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded in Samaki")
    REVIEW = "review", _("Waiting for review")
    KEPT = "kept", _("Kept (form not mapped)")
    SUPERSEDED = "superseded", _("Replaced by an edit")
    REJECTED = "rejected", _("Rejected by a reviewer")


class Submission(models.Model):
    """One instance sent by a phone, kept exactly as it arrived."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    xform = models.ForeignKey(XForm, on_delete=models.PROTECT, related_name="submissions")
    instance_id = models.CharField(_("instance ID"), max_length=255)
    deprecated_id = models.CharField(max_length=255, blank=True)
    xml = models.TextField()
    xml_sha256 = models.CharField(max_length=64)
    # The phone's token (`api.Token` of kind "phone") that sent it.
    device = models.ForeignKey(
        "api.Token", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=SubmissionStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    encrypted = models.BooleanField(default=False)
    # The Samaki record the submission became (a person, an activity…).
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["xform", "instance_id"], name="submission_once")
        ]
        indexes = [models.Index(fields=["organisation", "status"])]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.instance_id


def attachment_path(attachment: "Attachment", filename: str) -> str:
    return f"openrosa/{attachment.organisation_id}/{attachment.submission_id}/{filename}"


class Attachment(models.Model):
    """A media file sent with a submission (a photo, a signature…), named as in the XML."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to=attachment_path, max_length=400)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="attachment_once")
        ]

    def __str__(self) -> str:
        return self.name
