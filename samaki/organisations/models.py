from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant: an NGO or CBO. Every row of programme data belongs to exactly one."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="KH")
    # The identifier the IATI Registry knows the organisation by ("XM-DAC-…", "KH-…"): its IATI
    # files are named after it (docs/exports.md). Empty: its projects cannot be published.
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}(-[A-Za-z0-9]+)+$",
                _("Write the identifier as the IATI Registry gives it, for example XM-DAC-41114."),
            )
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym or self.name_en


class Donor(models.Model):
    """Who funds projects. Shared reference data, not a tenant."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return self.name_en


class Consortium(models.Model):
    """Organisations working together under a lead. The lead sees members' aggregates only."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consortia_led",
        verbose_name=_("lead organisation"),
    )
    members: "models.ManyToManyField[Organisation, ConsortiumMember]" = models.ManyToManyField(
        Organisation,
        through="ConsortiumMember",
        related_name="consortia",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")

    def __str__(self) -> str:
        return self.name_en


class ConsortiumMember(models.Model):
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, verbose_name=_("organisation")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organisation"], name="consortium_member_once"
            )
        ]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")

    def __str__(self) -> str:
        return f"{self.organisation} ∈ {self.consortium}"


class SiteKind(models.TextChoices):
    OFFICE = "office", _("Office")
    SKILLS_CENTRE = "skills_centre", _("Skills centre")
    SAFE_HOUSE = "safe_house", _("Safe house")
    OTHER = "other", _("Other")


class Site(models.Model):
    """A place an organisation runs: an office, a skills centre, a safe house."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sites", verbose_name=_("organisation")
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "name_en"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name_en


class Vocabulary(models.Model):
    """A list an administrator can extend: activity kinds, topics, group kinds, outcome kinds.

    Rows without an organisation are shared by everyone (the defaults Samaki ships); an
    organisation adds its own. `code` is stable for imports and indicator definitions: it never
    changes once the term exists.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Empty for the shared list every organisation uses."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_km = models.CharField(_("name (Khmer)"), max_length=120)
    # A retired term is no longer offered for new records; the records that have it keep it,
    # show it and count it (a term is never deleted: samaki/organisations/vocabularies.py).
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="%(app_label)s_%(class)s_code_unique"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="%(app_label)s_%(class)s_shared_code_unique",
            ),
        ]

    def __str__(self) -> str:
        """The name in the language of the page, falling back to English."""
        if get_language() == "km" and self.name_km:
            return self.name_km
        return self.name_en

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @property
    def is_shared(self) -> bool:
        return self.organisation_id is None
