from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetLine(models.Model):
    """What a project planned to spend on one thing in one period, in the project's currency."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("project"),
    )
    # The partner organisation that spends this line, where the project has partners (the owner's
    # own lines name none, or the owner).
    partner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("ISO 4217: GBP, USD, KHR…")
    )

    class Meta:
        ordering = ["project", "period_start", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code", "period_start"], name="budget_line_once"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="budget_line_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative"),
        ]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


class Expenditure(models.Model):
    """Money actually spent against a budget line, on a (local) date."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("line")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)
    external_id = models.CharField(_("external ID"), max_length=80, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["organisation", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="expenditure_external_id_unique",
            )
        ]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"
