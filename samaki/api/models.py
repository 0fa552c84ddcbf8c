from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenKind(models.TextChoices):
    API = "api", _("API script")
    PHONE = "phone", _("Phone (ODK Collect, KoboCollect)")


class Token(models.Model):
    """A revocable bearer secret acting with one staff member's rights: a script's REST API token
    or a phone's OpenRosa token (`kind`), each usable on its own channel only.

    Only the SHA-256 of the secret is kept; the secret is shown once.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acts as"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TokenKind.choices)
    name = models.CharField(_("name"), max_length=80)
    secret_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return self.name
