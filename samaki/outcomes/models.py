from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.organisations.models import Vocabulary
from samaki.records import Voidable


class OutcomeKind(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("outcome kind")
        verbose_name_plural = _("outcome kinds")


class Outcome(Voidable):
    """A dated change in one person's life: a business started, an ID card obtained…"""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("person")
    )
    kind = models.ForeignKey(
        OutcomeKind, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("kind")
    )
    date = models.DateField(_("date"))
    detail = models.CharField(
        _("detail"), max_length=200, blank=True, help_text=_("For example the kind of business.")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("project"),
    )

    # Free text about her: sealed under her key in audit snapshots, blanked by her erasure.
    PERSONAL_FIELDS = ("detail",)
    PERSON_FIELD = "person_id"

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id="") & models.Q(voided_at__isnull=True),
                name="outcome_external_id_unique",
            )
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.kind} ({self.date})"
