from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


class Area(models.Model):
    """One unit of the administrative gazetteer (shared by every organisation).

    `path` is the chain of codes from the top ("17/1702/170201/"), so everything inside an area is
    found with one indexed prefix match; `province`, `district` and `commune` point at the
    ancestors so that figures group by any level with one join.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices)
    name_km = models.CharField(_("name (Khmer)"), max_length=120)
    name_en = models.CharField(_("name (Latin)"), max_length=120)
    name_ungegn = models.CharField(_("name (UNGEGN)"), max_length=120, blank=True)
    unit_km = models.CharField(_("unit (Khmer)"), max_length=40, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    path = models.CharField(max_length=80, db_index=True)
    province = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dataset = models.CharField(_("dataset version"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_km} ({self.code})"

    def contains(self, other: "Area") -> bool:
        return other.path.startswith(self.path)
