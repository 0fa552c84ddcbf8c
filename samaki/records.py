"""Records that can be voided: an activity, an attendance, a headcount, a membership, an outcome.

A voided record is never deleted: it keeps who voided it, when and why, and stays visible to the
M&E officer. It stops counting everywhere by construction: each model's default manager,
`objects` (and so every related manager, `activity.attendances`, `person.outcomes`…), returns only
records that are not voided; `all_objects` returns every record, voided ones included, for the
pages and services that must show or check them. The base manager stays Django's plain one, so
`attendance.activity` still reaches a voided activity.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REASON_MAX_LENGTH = 1000


class CurrentManager(models.Manager):
    """Records that count: those not voided."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(voided_at__isnull=True)


class Voidable(models.Model):
    voided_at = models.DateTimeField(gettext_lazy("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("voided by"),
    )
    # A database default too: rows written by COPY or raw SQL (the synthetic data, the benchmark)
    # name only the columns they know.
    void_reason = models.TextField(gettext_lazy("reason for voiding"), blank=True, db_default="")

    objects = CurrentManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


def clean_reason(reason: str, *, required: bool = True) -> str:
    """The person's reason for a void or a correction, stripped; refused when required and blank,
    or longer than REASON_MAX_LENGTH characters."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": [_("Give a reason.")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason under %(n)s characters.") % {"n": REASON_MAX_LENGTH + 1}
                ]
            }
        )
    return reason


def void_fields(*, by: Any, reason: str) -> dict[str, Any]:
    """The values that mark a record voided now by `by` (a user, or the system: no user)."""
    from samaki.accounts.access import acting_user

    return {"voided_at": timezone.now(), "voided_by": acting_user(by), "void_reason": reason}


def require_not_voided(record: Voidable, *, voiding: bool = False) -> None:
    """Refuse to change (or, `voiding`, to void again) a voided record."""
    if record.is_voided and voiding:
        raise ValidationError(_("This record is already voided."))
    if record.is_voided:
        raise ValidationError(_("This record was voided: it can no longer be changed."))
