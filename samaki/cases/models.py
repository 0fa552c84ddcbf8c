"""The safe house: survivors' cases, the services and referrals they receive, and who looked.

A case names its survivor only through `survivor`, a `Survivor` of the case side, never a
programme `Person`: nothing of her is in the people list, search, exports, API, admin or
programme audit. When she is also a programme participant a case worker may link her record on
purpose (`participant`), seen only on the case page. Her names, phone and the narrative fields
are `EncryptedTextField`s. Reads go through `samaki.cases.queries`, which lets
only the assigned case worker, the organisation's case supervisors and holders of a live
emergency grant see a case; every look is a `CaseAudit` row.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samaki.cases.fields import EncryptedTextField
from samaki.people.models import Sex


class IncidentType(models.TextChoices):
    """The six GBVIMS core incident types (Primero's `gbv_sexual_violence_type` codes)."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL = (
        "denial_of_resources_opportunities_or_services",
        _("Denial of resources, opportunities or services"),
    )
    PSYCHOLOGICAL = "psychological_emotional_abuse", _("Psychological / emotional abuse")
    NON_GBV = "non-gbv", _("Non-GBV")


class ReferredBy(models.TextChoices):
    """Who referred the survivor to the safe house (the GBVIMS intake form's categories)."""

    SELF = "self", _("Self-referral / first point of contact")
    HEALTH = "health", _("Health / medical services")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial / counselling services")
    POLICE = "police", _("Police / other security actor")
    LEGAL = "legal", _("Legal assistance services")
    LIVELIHOODS = "livelihoods", _("Livelihoods programme")
    SCHOOL = "school", _("Teacher / school official")
    COMMUNITY_LEADER = "community_leader", _("Community or camp leader")
    SAFE_HOUSE = "safe_house", _("Safe house / shelter")
    HUMANITARIAN = "humanitarian", _("Other humanitarian or development actor")
    GOVERNMENT = "government", _("Other government service")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    REINTEGRATED = "reintegrated", _("Reintegrated into family or community")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    NEEDS_MET = "needs_met", _("Her needs are met")
    DECLINED = "declined", _("She declined further services")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    OTHER = "other", _("Other")


class ServiceType(models.TextChoices):
    """What a referral is for (the GBVIMS referral columns)."""

    HEALTH = "health", _("Health / medical")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial / counselling")
    POLICE = "police", _("Police / security")
    LEGAL = "legal", _("Legal assistance")
    LIVELIHOODS = "livelihoods", _("Livelihoods")
    SAFE_HOUSE = "safe_house", _("Safe house / shelter")


class ServiceKind(models.TextChoices):
    """What the safe house itself gives (shelter nights are `ShelterStay`s)."""

    MEALS = "meals", _("Meals")
    TRANSPORT = "transport", _("Transport")
    FIRST_AID = "first_aid", _("First aid")
    COUNSELLING = "counselling", _("Counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HEALTH_EDUCATION = "health_education", _("Health education")
    RIGHTS_ORIENTATION = "rights_orientation", _("Rights orientation")


class ReferralStatus(models.TextChoices):
    MADE = "made", _("Made")
    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    NO_RESPONSE = "no_response", _("No response")


class ServiceProvider(models.Model):
    """A service a survivor may be referred to: a directory entry, not a user of Samaki."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["service_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "service_type"], name="provider_unique_name"
            )
        ]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_service_type_display()})"


class Survivor(models.Model):
    """The woman a case is about, as the safe house knows her: never a programme `Person`."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name_km = EncryptedTextField(_("name in Khmer script"), blank=True)
    name_latin = EncryptedTextField(_("name in Latin script"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    village = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")

    def __str__(self) -> str:
        return f"survivor {self.pk}"  # never her name

    @property
    def display_name(self) -> str:
        if self.name_km and self.name_latin:
            return f"{self.name_km} ({self.name_latin})"
        return self.name_km or self.name_latin


class Case(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    code = models.CharField(_("case code"), max_length=30)
    survivor = models.ForeignKey(
        Survivor, on_delete=models.PROTECT, related_name="cases", verbose_name=_("survivor")
    )
    # Her programme record, linked on purpose by a case worker. SET_NULL, not PROTECT: deleting
    # the person on the programme side must neither fail nor list this case as a reason.
    participant = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme participant"),
    )
    intake_date = models.DateField(_("intake date"))
    incident_date = models.DateField(_("incident date"), null=True, blank=True)
    referred_by = models.CharField(_("referred by"), max_length=20, choices=ReferredBy.choices)
    incident_type = models.CharField(
        _("incident type"), max_length=50, choices=IncidentType.choices
    )
    # Case context is recorded beside the type, never instead of it (GBVIMS).
    context_intimate_partner = models.BooleanField(_("intimate partner violence"), default=False)
    context_child_sexual_abuse = models.BooleanField(_("child sexual abuse"), default=False)
    context_early_marriage = models.BooleanField(_("early marriage"), default=False)
    context_sexual_exploitation = models.BooleanField(
        _("possible sexual exploitation or slavery"), default=False
    )
    context_harmful_practice = models.BooleanField(_("harmful traditional practice"), default=False)
    incident_description = EncryptedTextField(_("what happened"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    safety_plan = EncryptedTextField(_("safety plan"), blank=True)
    consent_services = models.BooleanField(_("consents to services"), default=False)
    consent_reporting = models.BooleanField(
        _("consents to non-identifiable reporting"), default=False
    )
    consent_share_with = models.ManyToManyField(
        ServiceProvider,
        blank=True,
        related_name="+",
        verbose_name=_("consents to sharing with"),
    )
    consent_withhold = EncryptedTextField(_("what must not be shared"), blank=True)
    reported_elsewhere = models.BooleanField(
        _("already reported by another organisation"),
        default=False,
        help_text=_("Counted there, not here: aggregates leave her out."),
    )
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case worker"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-intake_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="case_code_unique"),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True, closure_reason="")
                | (
                    models.Q(status="closed", closed_on__isnull=False)
                    & ~models.Q(closure_reason="")
                ),
                name="case_closure_complete",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "case_worker"])]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.code  # never her name


class ShelterStay(models.Model):
    """A stay in the safe house; `nights` is written at discharge (counting in the database)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="stays", verbose_name=_("case")
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    nights = models.PositiveIntegerField(_("nights"), null=True, blank=True)
    bed = models.CharField(_("bed"), max_length=20, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["-admitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="stay_discharge_after_admission",
            )
        ]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.admitted_on}"

    def nights_until(self, day: datetime.date) -> int:
        """Nights spent by `day` (the night of the discharge day is not one)."""
        end = min(self.discharged_on or day, day)
        return max((end - self.admitted_on).days, 0)


class SafeHouseCapacity(models.Model):
    """How many beds an organisation's safe house has (occupancy's denominator)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    beds = models.PositiveSmallIntegerField(_("beds"))

    class Meta:
        verbose_name = _("safe house capacity")
        verbose_name_plural = _("safe house capacities")

    def __str__(self) -> str:
        return str(self.beds)


class Service(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="services", verbose_name=_("case")
    )
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    date = models.DateField(_("date"))
    quantity = models.PositiveSmallIntegerField(_("how many"), default=1)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class Referral(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case")
    )
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.MADE
    )
    made_on = models.DateField(_("made on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    consent_override = models.BooleanField(_("made without her consent"), default=False)
    override_reason = EncryptedTextField(_("why, without her consent"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.provider_id} {self.made_on} {self.status}"


class FollowUp(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("case")
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return str(self.due_on)


class CaseAccessGrant(models.Model):
    """Break-the-glass: a supervisor lets a colleague open one case until `expires_at`."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="grants")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("colleague"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["grantee", "expires_at"])]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self) -> str:
        return f"{self.grantee_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class CaseAction(models.TextChoices):
    VIEW = "view", _("viewed")
    SEARCH_HIT = "search_hit", _("found in a search")
    REVEAL_NAME = "reveal_name", _("revealed her name")
    CREATE = "create", _("opened the case")
    CHANGE = "change", _("changed")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    GRANT = "grant", _("granted emergency access")
    OVERRIDE = "override", _("referred without consent")


class CaseAudit(models.Model):
    """Who did what to which case, when and from where. Written for every look, not only writes."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="audit")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=CaseAction.choices)
    what = models.CharField(_("what"), max_length=80)
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    detail = EncryptedTextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("case audit row")
        verbose_name_plural = _("case audit rows")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.what}"
