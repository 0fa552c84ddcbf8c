"""Writing the audit trail. Every service calls `audit_record` inside its own transaction."""

import datetime
import decimal
import json
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.db import models

from samaki.accounts.access import SystemActor, require_actor
from samaki.audit.models import AuditAction, AuditEvent

SEALED = "sealed"  # the key of a sealed value: {"sealed": "<Fernet token under her key>"}
ERASED = "erased"  # what `unseal` gives for a value whose person has been erased


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete fields of a row as JSON-safe values (foreign keys by id), in clear: what a
    service compares to know whether anything changed. `audit_record` seals the personal ones."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
            value = str(value)
        data[field.attname] = value
    return data


def seal_personal(obj: models.Model, data: dict[str, Any] | None) -> dict[str, Any] | None:
    """`data` (a snapshot of `obj`) with her personal values sealed under her own key.

    A model about a person declares `PERSONAL_FIELDS` and `PERSON_FIELD` (`"pk"` for `Person`,
    `"person_id"` for a row of hers, an `Outcome`): `audit_record` seals those values of the
    before and after it writes, so the audit trail never holds them in clear and her erasure
    (which deletes her key) makes them unreadable. Field names stay readable. Sealing happens
    here and not in `snapshot`, because a Fernet token differs each time: services compare
    clear snapshots.
    """
    personal: tuple[str, ...] = getattr(obj, "PERSONAL_FIELDS", ())
    if not personal or not data:
        return data
    person_id = getattr(obj, getattr(obj, "PERSON_FIELD", "person_id"))
    return seal(data, person_id=person_id, fields=personal)


def _person_fernet(person_id: int, *, create: bool) -> Fernet | None:
    from samaki.people.models import PersonKey  # the people app holds the keys

    row = PersonKey.objects.filter(person_id=person_id).first()
    if row is None and create:
        row, _created = PersonKey.objects.get_or_create(
            person_id=person_id, defaults={"key": Fernet.generate_key().decode()}
        )
    return Fernet(row.key.encode()) if row is not None else None


def seal(data: dict[str, Any], *, person_id: int, fields: Iterable[str]) -> dict[str, Any]:
    """`data` with the values of `fields` (those present, not empty) sealed under her key."""
    wanted = [name for name in fields if data.get(name) not in (None, "")]
    if not wanted:
        return data
    fernet = _person_fernet(person_id, create=True)
    assert fernet is not None  # noqa: S101 - created above
    sealed = dict(data)
    for name in wanted:
        token = fernet.encrypt(json.dumps(data[name], ensure_ascii=False).encode()).decode()
        sealed[name] = {SEALED: token}
    return sealed


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {SEALED}


def unseal(data: dict[str, Any] | None, *, person_id: int | None) -> dict[str, Any] | None:
    """A snapshot as written: every sealed value in clear while her key exists, `ERASED` once
    it is gone. The one way audit pages, the admin and tests read personal values."""
    if not data or not any(is_sealed(value) for value in data.values()):
        return data
    fernet = _person_fernet(person_id, create=False) if person_id is not None else None
    clear = dict(data)
    for name, value in data.items():
        if not is_sealed(value):
            continue
        try:
            clear[name] = json.loads(fernet.decrypt(value[SEALED].encode())) if fernet else ERASED
        except InvalidToken:
            clear[name] = ERASED
    return clear


def event_person_id(event: AuditEvent) -> int | None:
    """Whose key seals the personal values of an audit row: the person's own rows are named by
    the row; a row of hers (an outcome) names her in its snapshot's `person_id`."""
    if event.object_type == "people.person":
        return int(event.object_id) if event.object_id.isdigit() else None
    for data in (event.after, event.before):
        if isinstance(data, dict) and isinstance(data.get("person_id"), int):
            return data["person_id"]
    return None


def event_unsealed(event: AuditEvent) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """An audit row's before and after with her personal values in clear (or `ERASED`)."""
    person_id = event_person_id(event)
    return unseal(event.before, person_id=person_id), unseal(event.after, person_id=person_id)


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
        before=seal_personal(obj, before),
        after=seal_personal(obj, after),
        reason=reason,
    )
