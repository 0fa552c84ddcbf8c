"""Writing the audit trail. Every service calls `audit_record` inside its own transaction."""

import datetime
import decimal
from typing import Any

from django.db import models

from samaki.audit.models import AuditEvent


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
) -> AuditEvent:
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor=by if by is not None and by.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        before=before,
        after=after,
    )
