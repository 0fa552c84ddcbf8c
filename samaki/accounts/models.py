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

    @property
    def is_case_role(self) -> bool:
        """The safe house's pages are hers (base.html's navigation)."""
        from samaki.accounts import access

        return access.is_case_role(self)

    @property
    def can_manage_vocabularies(self) -> bool:
        """The "Vocabularies" page of her organisation (base.html's navigation)."""
        from samaki.accounts import access

        return access.can_manage_vocabularies(self)

    @property
    def can_manage_users(self) -> bool:
        """The "Users" pages of her organisation (base.html's navigation)."""
        from samaki.accounts import access

        return access.can_manage_users(self)


class SignInLinkPurpose(models.TextChoices):
    INVITE = "invite", _("Invitation")
    RESET = "reset", _("Password reset")


class SignInLink(models.Model):
    """A one-time link where she sets her own password: an invitation or a reset.

    Only the SHA-256 of the token is kept; the token is shown (or emailed) once. A link works
    once (`used_at`), until `expires_at`, and not after a newer link for her voided it.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=SignInLinkPurpose.choices)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.purpose} {self.user_id}"
