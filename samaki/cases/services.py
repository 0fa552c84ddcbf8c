"""Every write of the safe house: one transaction each, with its `CaseAudit` row.

`by` is the acting user, or `SYSTEM` (the demo builder); `ip` is where she acted from.
A writer must be able to open the case (`samaki.cases.queries.case_list`), so the same rule
guards pages, commands and the demo.
"""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts.access import (
    acting_user,
    is_case_role,
    is_case_supervisor,
    is_case_worker,
    is_system,
    require_actor,
    require_case_role,
    require_case_supervisor,
)
from samaki.accounts.models import User
from samaki.audit.services import audit_record
from samaki.cases.models import (
    Case,
    CaseAccessGrant,
    CaseAction,
    CaseAudit,
    CaseStatus,
    ClosureReason,
    FollowUp,
    IncidentType,
    Referral,
    ReferralStatus,
    ReferredBy,
    RiskLevel,
    SafeHouseCapacity,
    Service,
    ServiceKind,
    ServiceProvider,
    ServiceType,
    ShelterStay,
    Survivor,
)
from samaki.cases.queries import case_list
from samaki.organisations.models import Organisation
from samaki.organisations.services import area_get
from samaki.people.models import Person
from samaki.people.services import identity_clean

# An emergency grant lasts at most this long; a supervisor renews it if the emergency does.
MAX_GRANT_HOURS = 72


def classify_incident(
    *,
    penetration: bool,
    sexual_contact: bool,
    physical_assault: bool,
    forced_marriage: bool,
    denial: bool,
    psychological: bool,
) -> str:
    """The GBVIMS classification tool: ask in this order, the first "yes" wins.

    One incident has exactly one type. The type is for data only: it never changes the services
    she is offered.
    """
    answers = [
        (penetration, IncidentType.RAPE),
        (sexual_contact, IncidentType.SEXUAL_ASSAULT),
        (physical_assault, IncidentType.PHYSICAL_ASSAULT),
        (forced_marriage, IncidentType.FORCED_MARRIAGE),
        (denial, IncidentType.DENIAL),
        (psychological, IncidentType.PSYCHOLOGICAL),
    ]
    for yes, incident_type in answers:
        if yes:
            return incident_type.value
    return IncidentType.NON_GBV.value


def case_audit(
    *, case: Case, by: Any, action: str, what: str, ip: str | None = None, detail: str = ""
) -> CaseAudit:
    return CaseAudit.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        actor=acting_user(by),
        action=action,
        what=what[:80],
        ip=ip or None,
        detail=detail,
    )


def _require_case_access(*, by: Any, case: Case) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not case_list(user=by).filter(pk=case.pk).exists():
        raise PermissionDenied(_("You may not change this case."))


def _require_case_role(*, by: Any, organisation: Organisation) -> None:
    require_case_role(by=by, organisation_id=organisation.pk)


def _require_supervisor(*, by: Any, organisation_id: int) -> None:
    require_case_supervisor(by=by, organisation_id=organisation_id)


def _not_in_future(day: datetime.date | None, field: str, errors: dict[str, list[str]]) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, []).append(_("This date is in the future."))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Consent:
    services: bool
    reporting: bool
    share_with: tuple[ServiceProvider, ...] = ()
    withhold: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class CaseFields:
    intake_date: datetime.date
    referred_by: str
    incident_type: str
    risk_level: str
    case_worker: User
    consent: Consent
    incident_date: datetime.date | None = None
    supervisor: User | None = None
    incident_description: str = ""
    safety_plan: str = ""
    contexts: frozenset[str] = frozenset()  # names of Case.context_* fields, without the prefix
    reported_elsewhere: bool = False
    notes: str = ""
    code: str = ""  # empty: the next code of the organisation's year


CONTEXTS = (
    "intimate_partner",
    "child_sexual_abuse",
    "early_marriage",
    "sexual_exploitation",
    "harmful_practice",
)


def _clean_case(fields: CaseFields, *, organisation: Organisation) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if fields.referred_by not in ReferredBy.values:
        fail("referred_by", _("Choose who referred her."))
    if fields.incident_type not in IncidentType.values:
        fail("incident_type", _("Unknown incident type."))
    if fields.risk_level not in RiskLevel.values:
        fail("risk_level", _("Choose a risk level."))
    _not_in_future(fields.intake_date, "intake_date", errors)
    _not_in_future(fields.incident_date, "incident_date", errors)
    if fields.incident_date and fields.incident_date > fields.intake_date:
        fail("incident_date", _("The incident cannot be after the intake."))
    worker = fields.case_worker
    if worker.organisation_id != organisation.pk or not is_case_role(worker):
        fail("case_worker", _("The case worker must be one of the safe house's case workers."))
    supervisor = fields.supervisor
    if supervisor is not None and not is_case_supervisor(supervisor, organisation.pk):
        fail("supervisor", _("The supervisor must be one of the safe house's case supervisors."))
    if any(p.organisation_id != organisation.pk for p in fields.consent.share_with):
        fail("consent_share_with", _("Choose providers from your own directory."))
    unknown = set(fields.contexts) - set(CONTEXTS)
    if unknown:
        fail("contexts", _("Unknown case context."))
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "intake_date": fields.intake_date,
        "incident_date": fields.incident_date,
        "referred_by": fields.referred_by,
        "incident_type": fields.incident_type,
        "risk_level": fields.risk_level,
        "case_worker": worker,
        "supervisor": supervisor,
        "incident_description": fields.incident_description.strip(),
        "safety_plan": fields.safety_plan.strip(),
        "consent_services": fields.consent.services,
        "consent_reporting": fields.consent.reporting,
        "consent_withhold": fields.consent.withhold.strip(),
        "reported_elsewhere": fields.reported_elsewhere,
        "notes": fields.notes.strip(),
    }
    for context in CONTEXTS:
        values[f"context_{context}"] = context in fields.contexts
    return values


@dataclasses.dataclass(frozen=True, kw_only=True)
class SurvivorFields:
    """Who she is, as the intake form takes it down: kept on the case side only."""

    sex: str
    village_code: str
    name_km: str = ""
    name_latin: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    phone: str = ""


def _clean_survivor(fields: SurvivorFields) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    values = identity_clean(fields, fail)
    if errors:
        raise ValidationError(errors)
    return values


def _survivor_from_person(person: Person) -> dict[str, Any]:
    """Her identity copied onto the case side: the case never reads the programme record."""
    return {
        "name_km": person.name_km,
        "name_latin": person.name_latin,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_year": person.birth_year,
        "village_id": person.village_id,
        "phone": person.phone,
    }


def _require_same_organisation(person: Person, organisation_id: int) -> None:
    if person.organisation_id != organisation_id:
        raise ValidationError({"participant": _("She is not registered by your organisation.")})


def _next_code(organisation: Organisation, year: int) -> str:
    prefix = f"{(organisation.acronym or organisation.slug).upper()}-{year}-"
    taken = Case.objects.filter(organisation=organisation, code__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def case_open(
    *,
    organisation: Organisation,
    by: Any,
    survivor: SurvivorFields | Person,
    fields: CaseFields,
    ip: str | None = None,
) -> Case:
    """Intake: record who she is on the case side and open her case.

    Nothing is written on the programme side, neither a Person nor an audit row: her identity
    is a `Survivor`. Given a programme `Person` (she is also a participant), her identity is
    copied from it and the case links it as `participant`; the Person is left untouched.
    """
    _require_case_role(by=by, organisation=organisation)
    values = _clean_case(fields, organisation=organisation)
    participant: Person | None = None
    if isinstance(survivor, Person):
        _require_same_organisation(survivor, organisation.pk)
        participant = survivor
        identity = _survivor_from_person(survivor)
    else:
        identity = _clean_survivor(survivor)
    code = fields.code.strip() or _next_code(organisation, fields.intake_date.year)
    if Case.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("Another case has the code “%(code)s”.") % {"code": code}})
    her = Survivor.objects.create(organisation=organisation, **identity)
    case = Case.objects.create(
        organisation=organisation, code=code, survivor=her, participant=participant, **values
    )
    case.consent_share_with.set(fields.consent.share_with)
    what = "case, linked participant" if participant else "case"
    case_audit(case=case, by=by, action=CaseAction.CREATE, what=what, ip=ip)
    return case


@transaction.atomic
def case_link_participant(
    *, case: Case, by: Any, person: Person | None, ip: str | None = None
) -> bool:
    """Link (or, with None, unlink) her programme record: a case-side fact, in `CaseAudit` only.

    The Person is not changed and no programme audit row is written, so nobody on the programme
    side can tell that a link was made. Returns whether anything changed.
    """
    _require_case_access(by=by, case=case)
    if person is not None:
        _require_same_organisation(person, case.organisation_id)
    new_id = person.pk if person is not None else None
    if case.participant_id == new_id:
        return False
    case.participant = person
    case.save(update_fields=["participant"])
    what = f"participant linked {new_id}" if new_id else "participant unlinked"
    case_audit(case=case, by=by, action=CaseAction.CHANGE, what=what, ip=ip)
    return True


@transaction.atomic
def case_update(*, case: Case, by: Any, fields: CaseFields, ip: str | None = None) -> Case:
    """Change the intake, risk, safety plan and consent (not the survivor, not the code)."""
    _require_case_access(by=by, case=case)
    values = _clean_case(fields, organisation=case.organisation)
    for name, value in values.items():
        setattr(case, name, value)
    case.save()
    case.consent_share_with.set(fields.consent.share_with)
    case_audit(case=case, by=by, action=CaseAction.CHANGE, what="case", ip=ip)
    return case


@transaction.atomic
def case_close(
    *, case: Case, by: Any, closed_on: datetime.date, reason: str, ip: str | None = None
) -> Case:
    _require_case_access(by=by, case=case)
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = [_("Choose why the case closes.")]
    _not_in_future(closed_on, "closed_on", errors)
    if closed_on < case.intake_date:
        errors.setdefault("closed_on", []).append(_("A case cannot close before its intake."))
    if case.status == CaseStatus.CLOSED:
        errors.setdefault("reason", []).append(_("The case is already closed."))
    if errors:
        raise ValidationError(errors)
    case.status, case.closed_on, case.closure_reason = CaseStatus.CLOSED, closed_on, reason
    case.save(update_fields=["status", "closed_on", "closure_reason"])
    case_audit(case=case, by=by, action=CaseAction.CHANGE, what=f"closed: {reason}", ip=ip)
    return case


# --- Services and shelter ---------------------------------------------------------------------


@transaction.atomic
def service_record(
    *,
    case: Case,
    by: Any,
    kind: str,
    date: datetime.date,
    quantity: int = 1,
    note: str = "",
    ip: str | None = None,
) -> Service:
    _require_case_access(by=by, case=case)
    errors: dict[str, list[str]] = {}
    if kind not in ServiceKind.values:
        errors["kind"] = [_("Choose a service.")]
    _not_in_future(date, "date", errors)
    if date < case.intake_date:
        errors.setdefault("date", []).append(_("This is before her intake."))
    if not 1 <= quantity <= 1000:
        errors["quantity"] = [_("Give a number between 1 and 1000.")]
    if errors:
        raise ValidationError(errors)
    service = Service.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        date=date,
        quantity=quantity,
        note=note.strip(),
        by=acting_user(by),
    )
    case_audit(case=case, by=by, action=CaseAction.CHANGE, what=f"service {kind}", ip=ip)
    return service


@transaction.atomic
def stay_admit(
    *, case: Case, by: Any, admitted_on: datetime.date, bed: str = "", ip: str | None = None
) -> ShelterStay:
    _require_case_access(by=by, case=case)
    errors: dict[str, list[str]] = {}
    _not_in_future(admitted_on, "admitted_on", errors)
    if ShelterStay.objects.filter(case=case, discharged_on__isnull=True).exists():
        errors.setdefault("admitted_on", []).append(_("She is already staying in the house."))
    if errors:
        raise ValidationError(errors)
    stay = ShelterStay.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        admitted_on=admitted_on,
        bed=bed.strip(),
        by=acting_user(by),
    )
    case_audit(case=case, by=by, action=CaseAction.CHANGE, what="shelter admission", ip=ip)
    return stay


@transaction.atomic
def stay_discharge(
    *, stay: ShelterStay, by: Any, discharged_on: datetime.date, ip: str | None = None
) -> ShelterStay:
    _require_case_access(by=by, case=stay.case)
    errors: dict[str, list[str]] = {}
    _not_in_future(discharged_on, "discharged_on", errors)
    if discharged_on < stay.admitted_on:
        errors.setdefault("discharged_on", []).append(_("Discharge is before admission."))
    if stay.discharged_on is not None:
        errors.setdefault("discharged_on", []).append(_("She was already discharged."))
    if errors:
        raise ValidationError(errors)
    stay.discharged_on = discharged_on
    stay.nights = stay.nights_until(discharged_on)
    stay.save(update_fields=["discharged_on", "nights"])
    case_audit(case=stay.case, by=by, action=CaseAction.CHANGE, what="shelter discharge", ip=ip)
    return stay


@transaction.atomic
def capacity_set(*, organisation: Organisation, by: Any, beds: int) -> SafeHouseCapacity:
    _require_supervisor(by=by, organisation_id=organisation.pk)
    if not 1 <= beds <= 1000:
        raise ValidationError({"beds": _("Give a number of beds between 1 and 1000.")})
    before = SafeHouseCapacity.objects.filter(organisation=organisation).first()
    if before is not None and before.beds == beds:
        return before  # nothing changed: no audit row
    capacity, _created = SafeHouseCapacity.objects.update_or_create(
        organisation=organisation, defaults={"beds": beds}
    )
    # Not about a case (no CaseAudit row): the organisation's trail, which names no survivor.
    audit_record(
        by=by,
        action="safe_house_capacity.set",
        obj=capacity,
        organisation_id=organisation.pk,
        before={"beds": before.beds} if before is not None else None,
        after={"beds": beds},
    )
    return capacity


# --- Providers and referrals ------------------------------------------------------------------


@transaction.atomic
def provider_add(
    *,
    organisation: Organisation,
    by: Any,
    name: str,
    service_type: str,
    area_code: str,
    phone: str = "",
    address: str = "",
) -> ServiceProvider:
    _require_case_role(by=by, organisation=organisation)
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = [_("Give the provider's name.")]
    if service_type not in ServiceType.values:
        errors["service_type"] = [_("Choose a service type.")]
    try:
        area = area_get(code=area_code)
    except ValidationError as error:
        errors["area_code"] = error.messages
    if (
        not errors
        and ServiceProvider.objects.filter(
            organisation=organisation, name=name, service_type=service_type
        ).exists()
    ):
        errors["name"] = [_("This provider is already in the directory.")]
    if errors:
        raise ValidationError(errors)
    provider = ServiceProvider.objects.create(
        organisation=organisation,
        name=name,
        service_type=service_type,
        area=area,
        phone=phone.strip(),
        address=address.strip(),
    )
    # A directory entry, not a case: the organisation's trail (no CaseAudit row).
    audit_record(
        by=by,
        action="service_provider.add",
        obj=provider,
        organisation_id=organisation.pk,
        after={"name": provider.name, "service_type": service_type, "area": area.code},
    )
    return provider


def consent_covers(*, case: Case, provider: ServiceProvider) -> bool:
    """She agreed to services and to sharing with this provider by name."""
    return case.consent_services and case.consent_share_with.filter(pk=provider.pk).exists()


@transaction.atomic
def referral_make(
    *,
    case: Case,
    by: Any,
    provider: ServiceProvider,
    made_on: datetime.date,
    override_reason: str = "",
    ip: str | None = None,
) -> Referral:
    """Refer her, if her consent covers this provider; else only a supervisor, with a reason."""
    _require_case_access(by=by, case=case)
    errors: dict[str, list[str]] = {}
    if provider.organisation_id != case.organisation_id:
        errors["provider"] = [_("Choose a provider from your own directory.")]
    _not_in_future(made_on, "made_on", errors)
    if made_on < case.intake_date:
        errors.setdefault("made_on", []).append(_("This is before her intake."))
    if case.status == CaseStatus.CLOSED:
        errors.setdefault("provider", []).append(_("The case is closed."))
    if errors:
        raise ValidationError(errors)
    override_reason = override_reason.strip()
    covered = consent_covers(case=case, provider=provider)
    if not covered:
        if not override_reason:
            raise ValidationError(
                {
                    "provider": _(
                        "Her consent does not cover a referral to %(provider)s. Ask her, or "
                        "ask a supervisor to override with a reason."
                    )
                    % {"provider": provider.name}
                }
            )
        _require_supervisor(by=by, organisation_id=case.organisation_id)
    referral = Referral.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        provider=provider,
        made_on=made_on,
        consent_override=not covered,
        override_reason="" if covered else override_reason,
        made_by=acting_user(by),
    )
    what = f"referral {referral.pk} to provider {provider.pk}"
    if covered:
        case_audit(case=case, by=by, action=CaseAction.CHANGE, what=what, ip=ip)
    else:
        case_audit(
            case=case, by=by, action=CaseAction.OVERRIDE, what=what, ip=ip, detail=override_reason
        )
    return referral


# made → accepted → completed / declined / no response; a made referral may also end unanswered.
REFERRAL_NEXT = {
    ReferralStatus.MADE: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.NO_RESPONSE,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.COMPLETED, ReferralStatus.DECLINED},
}


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    by: Any,
    status: str,
    on: datetime.date,
    outcome: str = "",
    ip: str | None = None,
) -> Referral:
    _require_case_access(by=by, case=referral.case)
    errors: dict[str, list[str]] = {}
    allowed = REFERRAL_NEXT.get(ReferralStatus(referral.status), set())
    if status not in allowed:
        errors["status"] = [
            _("A referral that is “%(now)s” cannot become “%(next)s”.")
            % {"now": referral.get_status_display(), "next": status}
        ]
    _not_in_future(on, "on", errors)
    if on < referral.made_on:
        errors.setdefault("on", []).append(_("This is before the referral was made."))
    if errors:
        raise ValidationError(errors)
    before = referral.status
    referral.status = status
    if status == ReferralStatus.ACCEPTED:
        referral.accepted_on = on
    else:
        referral.closed_on = on
    if outcome.strip():
        referral.outcome = outcome.strip()
    referral.save(update_fields=["status", "accepted_on", "closed_on", "outcome"])
    case_audit(
        case=referral.case,
        by=by,
        action=CaseAction.CHANGE,
        what=f"referral {referral.pk}: {before} → {status}",
        ip=ip,
    )
    return referral


# --- Follow-ups and emergency access ----------------------------------------------------------


@transaction.atomic
def follow_up_plan(
    *, case: Case, by: Any, due_on: datetime.date, note: str = "", ip: str | None = None
) -> FollowUp:
    _require_case_access(by=by, case=case)
    if due_on < case.intake_date:
        raise ValidationError({"due_on": _("This is before her intake.")})
    follow_up = FollowUp.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        due_on=due_on,
        note=note.strip(),
        by=acting_user(by),
    )
    case_audit(case=case, by=by, action=CaseAction.CHANGE, what="follow-up planned", ip=ip)
    return follow_up


@transaction.atomic
def follow_up_done(
    *,
    follow_up: FollowUp,
    by: Any,
    done_on: datetime.date,
    note: str = "",
    ip: str | None = None,
) -> FollowUp:
    _require_case_access(by=by, case=follow_up.case)
    errors: dict[str, list[str]] = {}
    _not_in_future(done_on, "done_on", errors)
    if follow_up.done_on is not None:
        errors["done_on"] = [_("This follow-up is already done.")]
    if errors:
        raise ValidationError(errors)
    follow_up.done_on = done_on
    if note.strip():
        follow_up.note = note.strip()
    follow_up.save(update_fields=["done_on", "note"])
    case_audit(case=follow_up.case, by=by, action=CaseAction.CHANGE, what="follow-up done", ip=ip)
    return follow_up


@transaction.atomic
def access_grant(
    *, case: Case, by: Any, grantee: User, reason: str, hours: int, ip: str | None = None
) -> CaseAccessGrant:
    """Break the glass: a supervisor lets a colleague open this case for a few hours."""
    _require_supervisor(by=by, organisation_id=case.organisation_id)
    errors: dict[str, list[str]] = {}
    if grantee.organisation_id != case.organisation_id or not is_case_worker(grantee):
        errors["grantee"] = [_("Choose one of the safe house's case workers.")]
    elif grantee.pk == case.case_worker_id:
        errors["grantee"] = [_("She is already this case's worker.")]
    if not reason.strip():
        errors["reason"] = [_("Say why she needs this case.")]
    if not 1 <= hours <= MAX_GRANT_HOURS:
        errors["hours"] = [
            _("Emergency access lasts 1 to %(max)s hours.") % {"max": MAX_GRANT_HOURS}
        ]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    grant = CaseAccessGrant.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        grantee=grantee,
        granted_by=by,  # a supervisor: require_case_supervisor above
        reason=reason.strip(),
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=hours),
    )
    case_audit(
        case=case,
        by=by,
        action=CaseAction.GRANT,
        what=f"to {grantee.get_username()} for {hours} h",
        ip=ip,
        detail=reason.strip(),
    )
    return grant


# --- Key rotation -----------------------------------------------------------------------------


def rotate_field_keys(*, log: Any = lambda line: None, chunk: int = 500) -> int:
    """Re-encrypt every encrypted field under the first key (reading decrypts with any key)."""
    from django.apps import apps

    from samaki.cases.fields import EncryptedTextField

    total = 0
    # The people app's `PersonKey` rows (audit sealing keys) are encrypted with the same keys.
    models_ = [*apps.get_app_config("cases").get_models(), apps.get_model("people", "PersonKey")]
    for model in models_:
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not names:
            continue
        count = model._default_manager.count()
        done = 0
        with transaction.atomic():
            for row in model._default_manager.order_by("pk").iterator(chunk_size=chunk):
                row.save(update_fields=names)
                done += 1
                if done % chunk == 0 or done == count:
                    log(f"{model._meta.verbose_name_plural}: {done:,} / {count:,}")
        total += done
    return total
