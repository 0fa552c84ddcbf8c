"""Creating users, giving them roles, changing their passwords."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.accounts.models import Role, User
from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import Donor, Organisation
from samaki.organisations.services import area_get


@transaction.atomic
def user_create(
    *,
    by: Any,
    organisation: Organisation,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    area_codes: list[str] | None = None,
    donor: Donor | None = None,
    check_password: bool = True,
) -> User:
    """A user of `organisation`. Only its administrators (or a superuser) add users."""
    access.require_org_admin(by=by, organisation_id=organisation.pk)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    # Case staff are provisioned by case supervisors only (samaki.cases.staff, docs/cases.md).
    access.require_admin_grantable(role=role)
    areas = [area_get(code=code) for code in area_codes or []]
    if role == Role.FACILITATOR and not areas:
        raise ValidationError({"areas": _("A facilitator needs at least one working area.")})
    if role == Role.DONOR_VIEWER and donor is None:
        raise ValidationError({"donor": _("A donor viewer follows one donor.")})
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        donor=donor,
        # The admin site is for administrators and M&E officers; others use the app's pages.
        is_staff=role in {Role.ADMIN, Role.ME_OFFICER},
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.areas.set(areas)
    after = snapshot(user)
    after.pop("password")
    audit_record(
        by=by,
        action="user.create",
        obj=user,
        organisation_id=organisation.pk,
        after={**after, "areas": [area.code for area in areas]},
    )
    return user


@transaction.atomic
def password_change(*, user: User, by: Any, new_password: str) -> User:
    """Set `user`'s password. She changes her own; a platform administrator anyone's.

    The audit row says who changed whose password and when, never the password or its hash.
    """
    access.require_actor(by)
    if not (access.is_system(by) or access.is_platform_operator(by)) and by.pk != user.pk:
        raise PermissionDenied(_("You may change only your own password."))
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        by=by,
        action="user.password_change",
        obj=user,
        organisation_id=user.organisation_id,
        after={"password_changed": True},
    )
    return user
