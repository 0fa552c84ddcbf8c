import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from samaki.cases.fields import EncryptedTextField


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class IdPoor(models.TextChoices):
    """Cambodia's IDPoor identification of poor households (Ministry of Planning)."""

    LEVEL_1 = "poor_1", _("ID Poor level 1")
    LEVEL_2 = "poor_2", _("ID Poor level 2")
    NOT_POOR = "not_poor", _("Not identified as poor")
    UNKNOWN = "unknown", _("Unknown")


class WgAnswer(models.IntegerChoices):
    """Washington Group Short Set response categories, in the official wording."""

    NO_DIFFICULTY = 1, _("No, no difficulty")
    SOME_DIFFICULTY = 2, _("Yes, some difficulty")
    A_LOT_OF_DIFFICULTY = 3, _("Yes, a lot of difficulty")
    CANNOT_DO = 4, _("Cannot do at all")


class Disability(models.TextChoices):
    YES = "yes", _("With disability")
    NO = "no", _("Without disability")
    UNDETERMINED = "undetermined", _("Undetermined")


# The six WG-SS domains: (field name, question in the official wording).
WG_QUESTIONS = [
    ("wg_seeing", _("Do you have difficulty seeing, even if wearing glasses?")),
    ("wg_hearing", _("Do you have difficulty hearing, even if using a hearing aid?")),
    ("wg_walking", _("Do you have difficulty walking or climbing steps?")),
    ("wg_cognition", _("Do you have difficulty remembering or concentrating?")),
    (
        "wg_selfcare",
        _("Do you have difficulty (with self-care such as) washing all over or dressing?"),
    ),
    (
        "wg_communication",
        _(
            "Using your usual (customary) language, do you have difficulty communicating, "
            "for example understanding or being understood?"
        ),
    ),
]
WG_FIELDS = [name for name, _question in WG_QUESTIONS]
# The WG cut-off: disability is at least one domain answered "a lot of difficulty" or "cannot do at all".
WG_CUTOFF = WgAnswer.A_LOT_OF_DIFFICULTY


def _wg_field(index: int) -> models.PositiveSmallIntegerField:
    _name, question = WG_QUESTIONS[index]
    return models.PositiveSmallIntegerField(
        question, choices=WgAnswer.choices, null=True, blank=True
    )


class Person(models.Model):
    """Someone the programme reaches. Age is never stored: see `age_on`."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=80,
        blank=True,
        help_text=_("A stable identifier from an import or another system."),
    )
    name_km = models.CharField(_("name in Khmer script"), max_length=120, blank=True)
    name_latin = models.CharField(_("name in Latin script"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        help_text=_("When only the year is known. Filled from the date of birth when it is known."),
    )
    village = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    wg_seeing = _wg_field(0)
    wg_hearing = _wg_field(1)
    wg_walking = _wg_field(2)
    wg_cognition = _wg_field(3)
    wg_selfcare = _wg_field(4)
    wg_communication = _wg_field(5)
    id_poor = models.CharField(
        _("ID Poor status"), max_length=10, choices=IdPoor.choices, default=IdPoor.UNKNOWN
    )
    registered_on = models.DateField(_("registered on"))
    # Filled by the services from the names (samaki.people.names): what search and duplicate
    # detection compare, so that the database does the narrowing.
    latin_key = models.CharField(max_length=160, blank=True, editable=False)
    khmer_key = models.CharField(max_length=160, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A merged-away record (a tombstone): kept so that old links, API ids and external IDs lead
    # to the record she was merged into; out of every list (`people.queries`, docs/web.md).
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # An erased record (`person_erase`): only what anonymous counts need is left (docs/security.md).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    # What audit snapshots seal under her key (samaki.audit.services.snapshot); erasure blanks
    # them on the row itself. `PERSON_FIELD` names the person a row is about.
    PERSONAL_FIELDS = (
        "external_id",
        "name_km",
        "name_latin",
        "birth_date",
        "village_id",
        "phone",
        "latin_key",
        "khmer_key",
    )
    PERSON_FIELD = "pk"

    class Meta:
        ordering = ["name_latin", "id"]
        indexes = [
            models.Index(fields=["organisation", "village"]),
            models.Index(fields=["organisation", "name_latin"]),
            models.Index(fields=["organisation", "latin_key"]),
            models.Index(fields=["organisation", "khmer_key"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="person_external_id_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(name_km="", name_latin="") | models.Q(erased_at__isnull=False),
                name="person_has_a_name",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_date__isnull=True)
                | models.Q(birth_year=ExtractYear("birth_date")),
                name="person_birth_year_matches_date",
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name_latin or self.name_km or self.display_name

    @property
    def samaki_number(self) -> str:
        """Her number in Samaki (`P000123`), what phones and pseudonymous lists show."""
        return f"P{self.pk:06d}"

    @property
    def display_name(self) -> str:
        if self.erased_at is not None:
            return str(_("Erased record %(number)s") % {"number": self.samaki_number})
        if self.name_km and self.name_latin:
            return f"{self.name_km} ({self.name_latin})"
        return self.name_km or self.name_latin

    def age_on(self, day: datetime.date) -> int | None:
        """Age in whole years on `day`; from the year alone when the date is not known."""
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - int(before_birthday)
        if self.birth_year:
            return day.year - self.birth_year
        return None

    @property
    def disability(self) -> Disability:
        answers = [getattr(self, name) for name in WG_FIELDS]
        if any(answer is not None and answer >= WG_CUTOFF for answer in answers):
            return Disability.YES
        if all(answer is not None for answer in answers):
            return Disability.NO
        return Disability.UNDETERMINED

    @staticmethod
    def disability_expression() -> models.Case:
        """`disability` as SQL, for counting in the database."""
        any_severe = models.Q()
        all_answered = models.Q()
        for name in WG_FIELDS:
            any_severe |= models.Q(**{f"{name}__gte": WG_CUTOFF})
            all_answered &= models.Q(**{f"{name}__isnull": False})
        return models.Case(
            models.When(any_severe, then=models.Value(Disability.YES.value)),
            models.When(all_answered, then=models.Value(Disability.NO.value)),
            default=models.Value(Disability.UNDETERMINED.value),
            output_field=models.CharField(),
        )


class SelfIdentification(models.Model):
    """Sensitive self-identifications, kept apart and recorded only under consent."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="self_identification"
    )
    indigenous_group = models.CharField(_("indigenous group"), max_length=80, blank=True)
    lgbtqi = models.BooleanField(_("identifies as LGBTQI+"), null=True, blank=True)
    living_with_hiv = models.BooleanField(_("living with HIV"), null=True, blank=True)
    consented_on = models.DateField(_("consent given on"))

    class Meta:
        verbose_name = _("sensitive self-identification")
        verbose_name_plural = _("sensitive self-identifications")

    def __str__(self) -> str:
        return str(_("Self-identification #%(id)s") % {"id": self.pk})


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Keeping her record to run the programme")
    SENSITIVE = "sensitive", _("Recording sensitive self-identifications")
    PHOTOS = "photos", _("Photos and stories in reports")
    CONSORTIUM = "consortium", _("Linking her record with consortium partners")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The person herself")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")


class Consent(models.Model):
    """What a person agreed to, when and who gave it; withdrawn consent is kept, dated."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(
        _("given by"), max_length=10, choices=ConsentGiver.choices, default=ConsentGiver.SELF
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["person", "purpose", "given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"


# An attribute's code: what indicators store as `attribute:<code>` (no "__": it names a column).
ATTRIBUTE_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class PersonAttribute(models.Model):
    """A yes/no attribute an organisation or one of its projects records about people
    ("migrant", "single mother"), usable as an indicator's filter and disaggregation.

    The code is what indicators store (`attribute:<code>`): it never changes once declared;
    the names may. A retired attribute is no longer offered on forms; its values still count.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person_attributes",
        verbose_name=_("project"),
        help_text=_("Empty: the attribute is the whole organisation's."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_km = models.CharField(_("name (Khmer)"), max_length=120, blank=True)
    retired = models.BooleanField(_("retired"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="person_attribute_code_unique"
            )
        ]
        verbose_name = _("person attribute")
        verbose_name_plural = _("person attributes")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        """The name in the active language (Khmer where it is given)."""
        if translation.get_language() == "km" and self.name_km:
            return self.name_km
        return self.name_en


class PersonAttributeValue(models.Model):
    """One person's answer for one attribute; no row is "no"."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attribute_values")
    attribute = models.ForeignKey(PersonAttribute, on_delete=models.PROTECT, related_name="values")
    value = models.BooleanField(_("value"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "attribute"], name="person_attribute_value_unique"
            )
        ]
        indexes = [models.Index(fields=["attribute", "value", "person"])]
        verbose_name = _("person attribute value")
        verbose_name_plural = _("person attribute values")

    def __str__(self) -> str:
        return f"{self.attribute_id}={self.value}"


class RegistrationChannel(models.TextChoices):
    """Where a registration came from."""

    WEB = "web", _("Web form")
    IMPORT = "import", _("Import")
    API = "api", _("API")
    OPENROSA = "openrosa", _("Phone (ODK)")


class DuplicateResolution(models.TextChoices):
    DISTINCT = "distinct", _("Not the same person")
    SAME = "same", _("Same person (to merge)")


class DuplicateReview(models.Model):
    """A registration that looked like someone already registered: kept, and put in front of
    the M&E officer. "Same" marks the pair for a merge; it does not merge."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=RegistrationChannel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=DuplicateResolution.choices, blank=True
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organisation", "resolved_at"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "candidate"], name="duplicate_review_unique")
        ]
        verbose_name = _("duplicate review")
        verbose_name_plural = _("duplicate reviews")

    def __str__(self) -> str:
        return f"{self.person_id}~{self.candidate_id}"


class PersonKey(models.Model):
    """Her own key: the personal fields of every audit snapshot of her are sealed with it
    (`samaki.audit.services.seal`). Erasure deletes it, and every past snapshot of her becomes
    unreadable (crypto-shredding). The key itself is encrypted at rest with SAMAKI_FIELD_KEYS."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    key = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person key")
        verbose_name_plural = _("person keys")

    def __str__(self) -> str:
        return f"key of {self.person_id}"
