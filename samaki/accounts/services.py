"""Creating users, giving them roles, changing their passwords; one-time sign-in links.

An organisation's administrator invites her staff (`user_invite`): the new account has no usable
password and a one-time link (`SignInLink`, valid 72 hours, single use) where its owner sets her
own. A forgotten password is a new link (`sign_in_link_issue`, purpose "reset"). Deactivation
(`user_deactivate`) takes effect at her next request: Django's `ModelBackend` answers no user
for an inactive account's session, and her API and phone tokens are revoked here (docs/users.md).
"""

import dataclasses
import datetime
import hashlib
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.accounts.models import Role, SignInLink, SignInLinkPurpose, User
from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import Donor, Organisation
from samaki.organisations.services import area_get, organisation_create

logger = logging.getLogger(__name__)

SIGN_IN_LINK_VALIDITY = datetime.timedelta(hours=72)
# Email is sent unless Django's backend is the one that sends nothing (settings.py's default).
NO_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def _areas(role: str, area_codes: list[str] | None) -> list[Any]:
    try:
        areas = [area_get(code=code) for code in area_codes or []]
    except ValidationError as error:
        raise ValidationError({"areas": error.messages}) from error
    if role == Role.FACILITATOR and not areas:
        raise ValidationError({"areas": _("A facilitator needs at least one working area.")})
    return areas


def _role_checked(role: str, donor: Donor | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    # Case staff are provisioned by case supervisors only (samaki.cases.staff, docs/cases.md).
    access.require_admin_grantable(role=role)
    if role == Role.DONOR_VIEWER and donor is None:
        raise ValidationError({"donor": _("A donor viewer follows one donor.")})


def _user_summary(user: User) -> dict[str, Any]:
    after = snapshot(user)
    after.pop("password")
    return {**after, "areas": sorted(user.areas.values_list("code", flat=True))}


def _user_new(
    *,
    by: Any,
    organisation: Organisation,
    username: str,
    password: str | None,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    area_codes: list[str] | None,
    donor: Donor | None,
    check_password: bool,
) -> User:
    """A new account, unaudited (the caller writes the audit row). No password: unusable."""
    access.require_org_admin(by=by, organisation_id=organisation.pk)
    _role_checked(role, donor)
    areas = _areas(role, area_codes)
    user = User(
        username=username.strip(),
        organisation=organisation,
        role=role,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        donor=donor if role == Role.DONOR_VIEWER else None,
        # The admin site is for administrators and M&E officers; others use the app's pages.
        is_staff=role in {Role.ADMIN, Role.ME_OFFICER},
    )
    if password is None:
        user.set_unusable_password()
    else:
        if check_password:
            validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    user.areas.set(areas)
    return user


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
    """A user of `organisation` with a password. Only its administrators (or a superuser) add
    users; in the app they invite them instead (`user_invite`)."""
    user = _user_new(
        by=by,
        organisation=organisation,
        username=username,
        password=password,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        area_codes=area_codes,
        donor=donor,
        check_password=check_password,
    )
    audit_record(
        by=by,
        action="user.create",
        obj=user,
        organisation_id=organisation.pk,
        after=_user_summary(user),
    )
    return user


# --- one-time sign-in links ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class IssuedLink:
    """A link just issued: `token` in clear, here only; `url` the absolute address to give her."""

    link: SignInLink
    token: str
    url: str
    emailed: bool


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_link_url(token: str) -> str:
    """The absolute address of a link, on `SAMAKI_SITE_URL` (docs/settings.md)."""
    return settings.SITE_URL.rstrip("/") + reverse("welcome", args=[token])


def email_configured() -> bool:
    return settings.EMAIL_BACKEND != NO_EMAIL_BACKEND


def _void_links(user: User, now: datetime.datetime) -> int:
    return SignInLink.objects.filter(
        user=user, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)


def _link_email(*, user: User, purpose: str, url: str) -> None:
    """Email her the link once the transaction commits; a failing mail server is logged, not
    fatal: the link is shown on the administrator's page as well."""
    organisation = str(user.organisation) if user.organisation else ""
    if purpose == SignInLinkPurpose.INVITE:
        subject = _("Your Samaki account at %(organisation)s") % {"organisation": organisation}
        opening = _(
            "%(organisation)s has opened a Samaki account for you (username: %(username)s)."
        )
    else:
        subject = _("Set a new Samaki password")
        opening = _(
            "A new password was requested for your Samaki account (username: %(username)s)."
        )
    body = "\n\n".join(
        [
            opening % {"organisation": organisation, "username": user.username},
            _("Open this link within 72 hours to choose your password. It works once:"),
            url,
            _("If the link has expired, ask your administrator for a new one."),
        ]
    )
    recipient = user.email

    def send() -> None:
        send_mail(subject, body, None, [recipient])

    transaction.on_commit(send, robust=True)


def _link_new(*, by: Any, user: User, purpose: str) -> IssuedLink:
    """A new link for her, her older unused ones voided; unaudited (the caller audits)."""
    if purpose not in SignInLinkPurpose.values:
        raise ValidationError({"purpose": _("Unknown kind of link.")})
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: reactivate it first."))
    now = timezone.now()
    _void_links(user, now)
    token = secrets.token_urlsafe(32)
    link = SignInLink.objects.create(
        user=user,
        purpose=purpose,
        token_sha256=_sha256(token),
        created_by=access.acting_user(by),
        expires_at=now + SIGN_IN_LINK_VALIDITY,
    )
    url = sign_in_link_url(token)
    emailed = bool(user.email) and email_configured()
    if emailed:
        _link_email(user=user, purpose=purpose, url=url)
    return IssuedLink(link=link, token=token, url=url, emailed=emailed)


@transaction.atomic
def user_invite(
    *,
    by: Any,
    organisation: Organisation,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    area_codes: list[str] | None = None,
    donor: Donor | None = None,
) -> tuple[User, IssuedLink]:
    """A new account with no usable password, and its one-time link to set one."""
    user = _user_new(
        by=by,
        organisation=organisation,
        username=username,
        password=None,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        area_codes=area_codes,
        donor=donor,
        check_password=False,
    )
    issued = _link_new(by=by, user=user, purpose=SignInLinkPurpose.INVITE)
    audit_record(
        by=by,
        action="user.invite",
        obj=user,
        organisation_id=organisation.pk,
        after={**_user_summary(user), "link": issued.link.pk, "emailed": issued.emailed},
    )
    return user, issued


@transaction.atomic
def organisation_onboard(
    *,
    by: Any,
    slug: str,
    name_en: str,
    admin_username: str,
    name_km: str = "",
    admin_email: str = "",
) -> tuple[Organisation, User, IssuedLink]:
    """A new organisation and its first administrator, invited (the platform operator's
    `samaki organisation create`). Nothing is created if any part is refused."""
    access.require_platform_operator(by)
    organisation = organisation_create(by=by, slug=slug, name_en=name_en, name_km=name_km)
    user, issued = user_invite(
        by=by,
        organisation=organisation,
        username=admin_username,
        role=Role.ADMIN,
        email=admin_email,
    )
    return organisation, user, issued


@transaction.atomic
def sign_in_link_issue(
    *, by: Any, user: User, purpose: str = SignInLinkPurpose.RESET
) -> IssuedLink:
    """A new one-time link for her (a forgotten password, or a lost invitation); her older
    unused links stop working."""
    access.require_user_manager(by=by, user=user)
    issued = _link_new(by=by, user=user, purpose=purpose)
    audit_record(
        by=by,
        action="sign_in_link.issue",
        obj=user,
        organisation_id=user.organisation_id,
        after={"link": issued.link.pk, "purpose": purpose, "emailed": issued.emailed},
    )
    return issued


def sign_in_link_get(token: str) -> SignInLink | None:
    """The live link with this token: unknown, used, voided, expired or her account switched
    off all answer None. Reads only."""
    if not token:
        return None
    return (
        SignInLink.objects.select_related("user")
        .filter(
            token_sha256=_sha256(token),
            used_at__isnull=True,
            voided_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


@transaction.atomic
def password_set_from_link(*, token: str, new_password: str) -> User:
    """She sets her password through her one-time link, which is then used up.

    The link's holder is the actor (audited as its user): no one is signed in yet. An unknown,
    used, voided or expired link raises `PermissionDenied` and changes nothing; a password the
    validators refuse raises `ValidationError` on `new_password` and leaves the link usable.
    """
    link = sign_in_link_get(token)
    if link is None:
        raise PermissionDenied(_("This link does not work any more."))
    user = link.user
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    now = timezone.now()
    claimed = SignInLink.objects.filter(
        pk=link.pk, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:  # another request used it a moment ago
        raise PermissionDenied(_("This link does not work any more."))
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        by=user,
        action="user.password_set",
        obj=user,
        organisation_id=user.organisation_id,
        after={"link": link.pk, "purpose": link.purpose},
    )
    return user


# --- changing, deactivating, reactivating ----------------------------------------------------


@transaction.atomic
def user_update(
    *,
    by: Any,
    user: User,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    area_codes: list[str] | None = None,
    donor: Donor | None = None,
) -> bool:
    """Her role, names, email and working areas. Returns whether anything changed.

    Nobody changes her own role; a case role is neither given nor changed here.
    """
    access.require_user_manager(by=by, user=user)
    _role_checked(role, donor)
    if role != user.role:
        access.require_not_self(by=by, user=user)
    areas = _areas(role, area_codes) if role == Role.FACILITATOR else []
    before = _user_summary(user)
    user.role = role
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.email = email.strip()
    user.donor = donor if role == Role.DONOR_VIEWER else None
    user.is_staff = role in {Role.ADMIN, Role.ME_OFFICER}
    user.full_clean()
    user.save(update_fields=["role", "first_name", "last_name", "email", "donor", "is_staff"])
    user.areas.set(areas)
    after = _user_summary(user)
    if after == before:
        return False
    audit_record(
        by=by,
        action="user.update",
        obj=user,
        organisation_id=user.organisation_id,
        before=before,
        after=after,
    )
    return True


def _end_sessions(user: User) -> int:
    """Delete her open sessions (the database's, Django's default engine), so that reactivating
    her does not bring back a session left open somewhere. Her next request would be refused
    without this (ModelBackend answers no user for an inactive account); this makes it final."""
    from django.contrib.sessions.models import Session

    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def account_cut_off(user: User) -> dict[str, Any]:
    """What stops an account working at once, whoever deactivates it (`user_deactivate`, or a
    case supervisor's `case_staff_deactivate`): her API and phone tokens revoked (not just
    refused: reactivating her does not bring them back), her unused sign-in links voided, her
    open sessions ended. Unaudited: the caller's audit row records what it returns."""
    from samaki.api.services import tokens_revoke_for_user

    return {
        "tokens_revoked": tokens_revoke_for_user(user=user),
        "links_voided": _void_links(user, timezone.now()),
        "sessions_ended": _end_sessions(user),
    }


@transaction.atomic
def user_deactivate(*, by: Any, user: User) -> bool:
    """She signs in no more, from her next request on (`account_cut_off`; Django's ModelBackend
    refuses an inactive user's session anyway). Returns False (no audit row) when she already
    was deactivated."""
    access.require_user_manager(by=by, user=user)
    access.require_not_self(by=by, user=user)
    changed = bool(User.objects.filter(pk=user.pk, is_active=True).update(is_active=False))
    user.refresh_from_db(fields=["is_active"])
    if not changed:
        return False
    audit_record(
        by=by,
        action="user.deactivate",
        obj=user,
        organisation_id=user.organisation_id,
        before={"is_active": True},
        after={"is_active": False, **account_cut_off(user)},
    )
    return True


@transaction.atomic
def user_reactivate(*, by: Any, user: User) -> bool:
    """She may sign in again with her password (or a new link). Her revoked tokens stay
    revoked: an administrator issues new ones. Returns False when she was active."""
    access.require_user_manager(by=by, user=user)
    changed = bool(User.objects.filter(pk=user.pk, is_active=False).update(is_active=True))
    user.refresh_from_db(fields=["is_active"])
    if not changed:
        return False
    audit_record(
        by=by,
        action="user.reactivate",
        obj=user,
        organisation_id=user.organisation_id,
        before={"is_active": False},
        after={"is_active": True},
    )
    return True


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
