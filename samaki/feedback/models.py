import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.organisations.models import Vocabulary


class FeedbackCategory(Vocabulary):
    """What the feedback is about: a public service (health centre, ID Poor…) or the organisation."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")


class FeedbackKind(models.TextChoices):
    SERVICE = "service", _("Feedback on a public service")
    COMPLAINT = "complaint", _("Complaint about the organisation")
    STAFF_CONDUCT = "staff_conduct", _("Complaint about a staff member's conduct")
    WHISTLEBLOWER = "whistleblower", _("Whistle-blower report")


# Kinds that only the organisation's focal points may read: nobody else learns they exist.
RESTRICTED_KINDS = frozenset({FeedbackKind.STAFF_CONDUCT, FeedbackKind.WHISTLEBLOWER})

# Days to answer, counted from the day the feedback arrived.
RESPONSE_DAYS = {
    FeedbackKind.SERVICE: 30,
    FeedbackKind.COMPLAINT: 14,
    FeedbackKind.STAFF_CONDUCT: 7,
    FeedbackKind.WHISTLEBLOWER: 7,
}


class Channel(models.TextChoices):
    PUBLIC_PAGE = "public_page", _("Public web page")
    FORUM = "forum", _("Public forum or meeting")
    STAFF = "staff", _("Told to a staff member")
    PHONE = "phone", _("Phone call")
    BOX = "box", _("Suggestion box")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being looked into")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Feedback(models.Model):
    """Feedback, a complaint or a whistle-blower report, with the answer that closes the loop.

    `restricted` is derived from `kind` by the services and stored so that every query can
    filter on it. `code_hash` is the SHA-256 of the reporter's follow-up code: the code itself
    is shown once, to her, and never stored.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    restricted = models.BooleanField(_("focal points only"), default=False, editable=False)
    category = models.ForeignKey(
        FeedbackCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    service_name = models.CharField(_("which service"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("where"),
    )
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    message = models.TextField(_("message"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_name = models.CharField(_("name"), max_length=120, blank=True)
    reporter_contact = models.CharField(_("phone or other contact"), max_length=120, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered person"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given at"),
    )
    # Whom a staff-conduct complaint or whistle-blower report is about, when it names a staff
    # member: a focal point it names does not read it (`feedback_list`).
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    received_on = models.DateField(_("received on"))
    respond_by = models.DateField(_("answer due by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    response = models.TextField(
        _("answer"), blank=True, help_text=_("The reporter reads this with her follow-up code.")
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "restricted", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["code_hash"], condition=~models.Q(code_hash=""), name="feedback_code_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="feedback_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)),
                name="feedback_rating_1_to_5",
            ),
        ]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.status in OPEN_STATUSES and self.respond_by < day


class FocalPoint(models.Model):
    """A staff member designated to receive staff-conduct complaints and whistle-blower reports."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="focal_points",
        verbose_name=_("user"),
    )
    designated_on = models.DateField(_("designated on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="focal_point_once")
        ]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"
