from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.organisations.models import Vocabulary


class RequestTopic(Vocabulary):
    """What a community asks for: ID Poor cards, decent jobs, scholarships…"""

    class Meta(Vocabulary.Meta):
        verbose_name = _("request topic")
        verbose_name_plural = _("request topics")


class AuthorityLevel(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class RequestStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    SUBMITTED = "submitted", _("Submitted to the authority")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REFUSED = "refused", _("Refused")
    NO_RESPONSE = "no_response", _("No response")


class CommunityRequest(models.Model):
    """What a community asked of its authorities, where it was raised, and what came back."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)
    topic = models.ForeignKey(
        RequestTopic, on_delete=models.PROTECT, related_name="+", verbose_name=_("topic")
    )
    summary = models.TextField(_("what was asked"))
    raised_on = models.DateField(_("raised on"))
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised at"),
    )
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by group"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    level = models.CharField(_("addressed to level"), max_length=10, choices=AuthorityLevel.choices)
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    people_asking = models.PositiveIntegerField(_("people asking"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RAISED
    )
    response = models.TextField(_("the authority's response"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "id"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="community_request_external_id_unique",
            )
        ]
        verbose_name = _("request to authorities")
        verbose_name_plural = _("requests to authorities")

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_level_display()})"


class RequestFollowUp(models.Model):
    """A step taken: a letter sent, a meeting with the commune chief, a call."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        CommunityRequest, on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("what happened"))
    status = models.CharField(_("status after"), max_length=20, choices=RequestStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.date} {self.get_status_display()}"
