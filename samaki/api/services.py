import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts.models import Role
from samaki.api.models import ApiToken
from samaki.audit.services import audit_record
from samaki.organisations.models import Organisation


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, organisation: Organisation, by: Any, user: Any, name: str
) -> tuple[ApiToken, str]:
    """A token acting as `user`; an administrator issues them (or a user for herself)."""
    if by is not None and not by.is_superuser:
        if by.organisation_id != organisation.pk:
            raise PermissionDenied(_("You may not change this organisation's data."))
        if by.role != Role.ADMIN and by.pk != user.pk:
            raise PermissionDenied(_("Only an administrator issues tokens for someone else."))
    if user.organisation_id != organisation.pk:
        raise ValidationError({"user": _("The token must act as one of the organisation's staff.")})
    if not name.strip():
        raise ValidationError({"name": _("Name the token after what uses it.")})
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation, user=user, name=name.strip(), secret_sha256=_sha256(secret)
    )
    audit_record(
        by=by,
        action="api_token.issue",
        obj=token,
        organisation_id=organisation.pk,
        after={"name": token.name, "user": user.pk},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    if (
        by is not None
        and not by.is_superuser
        and not (
            by.organisation_id == token.organisation_id
            and (by.role == Role.ADMIN or by.pk == token.user_id)
        )
    ):
        raise PermissionDenied(_("You may not revoke this token."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    audit_record(by=by, action="api_token.revoke", obj=token, organisation_id=token.organisation_id)
    return token


def api_token_authenticate(secret: str) -> Any:
    """The user a live token acts as, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_sha256=_sha256(secret or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or token.user.organisation_id != token.organisation_id:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
