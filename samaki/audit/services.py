"""Writing the audit trail. Every service calls `audit_record` inside its own transaction."""

import datetime
import decimal
from typing import Any

from django.db import models

from samaki.accounts.access import SystemActor, require_actor
from samaki.audit.models import AuditAction, AuditEvent


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete fields of a row as JSON-safe values (foreign keys by id)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
            value = str(value)
        data[field.attname] = value
    return data


def audit_record(
    *,
    by: Any,
    action: str,
    obj: models.Model,
    organisation_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """One audit row; `by` is a user or `SYSTEM`, `action` one of `AuditAction`, `reason` the
    person's own words where the write needs one (a correction, a void, a merge)."""
    require_actor(by)
    if action not in AuditAction.values:
        raise ValueError(f"{action!r} is not an audit action (samaki.audit.models.AuditAction)")
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor=None if isinstance(by, SystemActor) else by,
        system_actor=by.name if isinstance(by, SystemActor) else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        before=before,
        after=after,
        reason=reason,
    )
