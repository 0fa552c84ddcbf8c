"""Bearer tokens for the REST API and for phones (OpenRosa): issue, revoke, authenticate.

One model (`Token`, with its `kind`) and one set of rules (`samaki.accounts.access`): a token acts
as one staff member, only on its own channel, and only while she is active and holds a role the
kind allows. Only the SHA-256 of the secret is stored.
"""

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.api.models import Token, TokenKind
from samaki.audit.services import audit_record
from samaki.organisations.models import Organisation

# A phone's token is typed by hand more often than a script's: a little shorter, still 192 bits.
SECRET_BYTES = {TokenKind.API: 32, TokenKind.PHONE: 24}


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_issue(
    *, organisation: Organisation, by: Any, user: Any, kind: str, name: str
) -> tuple[Token, str]:
    """A new token of `kind` acting as `user`; the secret is returned once, never stored."""
    access.require_token_issuer(by=by, user=user)
    if kind not in TokenKind.values:
        raise ValidationError({"kind": _("Unknown kind of token.")})
    if user.organisation_id != organisation.pk or not access.can_hold_token(user, kind):
        raise ValidationError(
            {
                "user": _("The phone must act as a staff member who may write.")
                if kind == TokenKind.PHONE
                else _("The token must act as one of the organisation's staff.")
            }
        )
    if not name.strip():
        raise ValidationError(
            {
                "name": _("Name the device, e.g. “Sokha's phone”.")
                if kind == TokenKind.PHONE
                else _("Name the token after what uses it.")
            }
        )
    secret = secrets.token_urlsafe(SECRET_BYTES[TokenKind(kind)])
    token = Token.objects.create(
        organisation=organisation,
        user=user,
        kind=kind,
        name=name.strip(),
        secret_sha256=_sha256(secret),
    )
    audit_record(
        by=by,
        action="token.issue",
        obj=token,
        organisation_id=organisation.pk,
        after={"kind": kind, "name": token.name, "user": user.pk},
    )
    return token, secret


def tokens_revoke_for_user(*, user: Any) -> list[int]:
    """Revoke every live token of `user` at once (her account is being cut off); the ids
    revoked. Unaudited: the caller's one audit row names them."""
    live = Token.objects.filter(user=user, revoked_at__isnull=True)
    ids = sorted(live.values_list("pk", flat=True))
    Token.objects.filter(pk__in=ids).update(revoked_at=timezone.now())
    return ids


@transaction.atomic
def token_revoke(*, token: Token, by: Any) -> bool:
    """Revoke the token at once; False (and no audit row) when it was already revoked."""
    access.require_token_revoker(by=by, token=token)
    changed = bool(
        Token.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )
    token.refresh_from_db(fields=["revoked_at"])
    if changed:
        audit_record(
            by=by,
            action="token.revoke",
            obj=token,
            organisation_id=token.organisation_id,
            after={"kind": token.kind, "name": token.name},
        )
    return changed


def token_authenticate(secret: str, *, kind: str) -> Token | None:
    """The live token of `kind` with this secret, or None: unknown, revoked, another channel's,
    or its user switched off, moved to another organisation or given a role it may not act as."""
    if not secret:
        return None
    token = (
        Token.objects.select_related("user", "organisation")
        .filter(secret_sha256=_sha256(secret), kind=kind, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    if token.user.organisation_id != token.organisation_id:
        return None
    if not access.can_hold_token(token.user, kind):
        return None
    Token.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
