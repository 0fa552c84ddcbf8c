from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.organisations.models import Vocabulary
from samaki.records import Voidable


class GroupKind(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("group kind")
        verbose_name_plural = _("group kinds")


class Group(models.Model):
    """A standing group or network. A network is a group whose children are groups."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    kind = models.ForeignKey(
        GroupKind, on_delete=models.PROTECT, related_name="groups", verbose_name=_("kind")
    )
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("network"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("project"),
    )

    class Meta:
        ordering = ["organisation", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="group_external_id_unique",
            )
        ]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name_en


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    LEADER = "leader", _("Leader")
    MENTOR = "mentor", _("Mentor")
    FACILITATOR = "facilitator", _("Facilitator")


class Membership(Voidable):
    """A person in a group from `joined_on` until `left_on` (exclusive), in one role."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("group")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["group", "joined_on", "id"]
        indexes = [models.Index(fields=["group", "joined_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gt=models.F("joined_on")),
                name="membership_leaves_after_joining",
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person} ∈ {self.group}"

    def active_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)
