"""Who works in the safe house: case staff are provisioned by case supervisors only.

An organisation's administrator and a platform superuser run the programme and the platform;
they give no case role and take none away (`access.require_admin_grantable` refuses it in
`user_create` and the admin). A case supervisor of the same organisation creates case workers
and supervisors, changes their role between the two, deactivates them, and enrols their phones
with the worker beside her: she starts the enrolment (an unconfirmed `TOTPDevice`), her screen
shows the QR code, and the worker's first correct code confirms it — on that screen or at
`/cases/verify/`, which never shows a key. The very first supervisor of an organisation is
created by the platform operator (`samaki case_supervisor create`, acting as `SYSTEM`).

Every change writes an `AuditEvent` (`case_staff.*`) naming the account and its role only: no
case, and never a key.
"""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.accounts import access
from samaki.accounts.models import Role, User
from samaki.accounts.services import account_cut_off
from samaki.audit.services import audit_record
from samaki.organisations.models import Organisation

ENROLMENT_DEVICE_NAME = "phone"


def _require_supervisor_of(*, by: Any, organisation_id: int | None) -> None:
    if organisation_id is None:
        raise PermissionDenied(_("Only a case supervisor may do this."))
    access.require_case_supervisor(by=by, organisation_id=organisation_id)


def _require_case_staff(user: User) -> None:
    """The account changed here is case staff: nobody turns a programme account into one."""
    if not access.holds_case_role(user):
        raise PermissionDenied(_("This account is not one of the safe house's staff."))


def _role(role: str) -> str:
    if role not in access.CASE_ROLES:
        raise ValidationError({"role": _("Choose case worker or case supervisor.")})
    return role


def _summary(user: User) -> dict[str, Any]:
    return {"username": user.username, "role": user.role, "is_active": user.is_active}


# --- reads ----------------------------------------------------------------------------------


def case_staff_list(*, user: Any) -> models.QuerySet[User]:
    """Her organisation's case staff, for a case supervisor; nothing for anyone else."""
    if not access.is_case_supervisor(user):
        return User.objects.none()
    return User.objects.filter(
        organisation_id=user.organisation_id, role__in=access.CASE_ROLES
    ).order_by("-is_active", "username")


def pending_enrolment(user: User) -> TOTPDevice | None:
    """The phone a supervisor started to enrol for her and nobody has confirmed yet."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def case_staff_create(
    *,
    organisation: Organisation,
    by: Any,
    username: str,
    role: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    """A case worker or case supervisor of `organisation`, created by one of its supervisors."""
    _require_supervisor_of(by=by, organisation_id=organisation.pk)
    user = User(
        username=username,
        organisation=organisation,
        role=_role(role),
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=False,  # case staff never reach the admin site
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        by=by,
        action="case_staff.create",
        obj=user,
        organisation_id=organisation.pk,
        after=_summary(user),
    )
    return user


def _require_supervisor_over(*, by: Any, user: User) -> None:
    """`by` supervises `user`'s safe house, `user` is one of its staff, and not `by` herself."""
    _require_supervisor_of(by=by, organisation_id=user.organisation_id)
    _require_case_staff(user)
    access.require_not_self(by=by, user=user)


@transaction.atomic
def case_staff_set_role(*, user: User, by: Any, role: str) -> bool:
    """Promote a case worker to supervisor or the reverse. Returns whether anything changed."""
    _require_supervisor_over(by=by, user=user)
    role = _role(role)
    if user.role == role:
        return False
    before = _summary(user)
    user.role = role
    user.save(update_fields=["role"])
    audit_record(
        by=by,
        action="case_staff.set_role",
        obj=user,
        organisation_id=user.organisation_id,
        before=before,
        after=_summary(user),
    )
    return True


@transaction.atomic
def case_staff_deactivate(*, user: User, by: Any) -> bool:
    """She no longer signs in, and her enrolled phones are forgotten."""
    _require_supervisor_over(by=by, user=user)
    if not user.is_active:
        return False
    before = _summary(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    TOTPDevice.objects.filter(user=user).delete()
    account_cut_off(user)  # her open sessions end now, as any deactivated account's
    audit_record(
        by=by,
        action="case_staff.deactivate",
        obj=user,
        organisation_id=user.organisation_id,
        before=before,
        after=_summary(user),
    )
    return True


@transaction.atomic
def enrolment_start(*, user: User, by: Any) -> TOTPDevice:
    """A new, unconfirmed phone for `user`; its key is shown on the supervisor's screen only.

    A supervisor does not enrol her own phone: another supervisor (or the platform operator's
    command, for the first one) is present.
    """
    _require_supervisor_over(by=by, user=user)
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
    audit_record(
        by=by,
        action="case_staff.enrol_start",
        obj=user,
        organisation_id=user.organisation_id,
        after={"username": user.username, "device": device.pk},
    )
    return device


@transaction.atomic
def enrolment_confirm(*, device: TOTPDevice, by: Any, token: str) -> bool:
    """The worker's first code confirms the phone a supervisor started to enrol.

    `by` is the worker herself (at sign-in) or a supervisor of her organisation (the worker
    types the code on her screen). A wrong code confirms nothing. The new phone replaces any
    she had before.
    """
    access.require_actor(by)
    user = device.user
    if not (access.is_system(by) or (not isinstance(by, access.SystemActor) and by.pk == user.pk)):
        _require_supervisor_of(by=by, organisation_id=user.organisation_id)
    locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
    if locked is None or not locked.verify_token(token.strip()):
        return False
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
    audit_record(
        by=by,
        action="case_staff.enrol_confirm",
        obj=user,
        organisation_id=user.organisation_id,
        after={"username": user.username, "device": locked.pk},
    )
    device.confirmed = True
    return True


@transaction.atomic
def first_supervisor_create(
    *,
    organisation: Organisation,
    by: Any,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, TOTPDevice]:
    """The organisation's first case supervisor, by the platform operator, with her phone's
    enrolment started. Once the organisation has an active supervisor, supervisors provision."""
    access.require_actor(by)
    if not access.is_system(by):
        raise PermissionDenied(_("Only the platform's own command creates a first supervisor."))
    supervisors = User.objects.filter(organisation=organisation, is_active=True)
    if any(access.is_case_supervisor(user) for user in supervisors):
        raise ValidationError(_("This organisation has a case supervisor: she adds the others."))
    user = case_staff_create(
        organisation=organisation,
        by=by,
        username=username,
        role=Role.CASE_SUPERVISOR,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    return user, enrolment_start(user=user, by=by)
