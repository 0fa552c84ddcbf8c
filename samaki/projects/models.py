from django.db import models
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    """A funded piece of work, owned by one organisation, possibly carried out with partners."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("organisation"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    donor = models.ForeignKey(
        "organisations.Donor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("donor"),
    )
    consortium = models.ForeignKey(
        "organisations.Consortium",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("consortium"),
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="partner_projects",
        verbose_name=_("partner organisations"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("target areas")
    )
    # Nothing is recorded under a closed project dated after this day (`project_use_errors`).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="project_code_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            ),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name_en

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None
