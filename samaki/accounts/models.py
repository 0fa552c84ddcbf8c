from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ME_OFFICER = "me_officer", _("M&E officer")
    FACILITATOR = "facilitator", _("Field facilitator")
    VIEWER = "viewer", _("Viewer")
    DONOR_VIEWER = "donor_viewer", _("Donor viewer")
    # The safe house's staff: they open survivors' cases (samaki.cases) and nothing else's people.
    CASE_WORKER = "case_worker", _("Case worker")
    CASE_SUPERVISOR = "case_supervisor", _("Case supervisor")


# Who may do what with these roles: samaki.accounts.access, and nowhere else.


class User(AbstractUser):
    """A person who signs in. Each belongs to one organisation with one role.

    A superuser may have no organisation; she runs the platform, not a programme.
    A facilitator works in `areas` (any level): she sees and edits only what lies inside them.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("working areas")
    )
    donor = models.ForeignKey(
        "organisations.Donor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor"),
        help_text=_("For donor viewers: the donor whose funded projects they follow."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def can_write(self) -> bool:
        from samaki.accounts import access

        return access.can_write(self)

    @property
    def can_read_people(self) -> bool:
        from samaki.accounts import access

        return access.can_read_people(self)
