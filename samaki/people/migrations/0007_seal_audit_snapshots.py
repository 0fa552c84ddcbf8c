"""Seal the personal fields of the audit rows written before snapshots were sealed.

The same sealing as `samaki.audit.services.seal` (written out here: a migration must not depend
on today's code): each personal value becomes {"sealed": "<Fernet token under her key>"}, her key
is created when she has none. Rows of people who no longer exist are sealed under no key at all:
their values are simply dropped to "erased".
"""

import json

from cryptography.fernet import Fernet
from django.db import migrations

# What `Person.PERSONAL_FIELDS` and `Outcome.PERSONAL_FIELDS` said when this was written.
PERSONAL = {
    "people.person": (
        "external_id",
        "name_km",
        "name_latin",
        "birth_date",
        "village_id",
        "phone",
        "latin_key",
        "khmer_key",
    ),
    "outcomes.outcome": ("detail",),
}


def seal_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Person = apps.get_model("people", "Person")
    PersonKey = apps.get_model("people", "PersonKey")
    keys: dict[int, Fernet | None] = {}

    def fernet(person_id):
        if person_id not in keys:
            if not Person.objects.filter(pk=person_id).exists():
                keys[person_id] = None
            else:
                row = PersonKey.objects.filter(person_id=person_id).first()
                if row is None:
                    row = PersonKey.objects.create(
                        person_id=person_id, key=Fernet.generate_key().decode()
                    )
                keys[person_id] = Fernet(row.key.encode())
        return keys[person_id]

    def sealed(data, person_id, fields):
        if not isinstance(data, dict):
            return data, False
        changed = False
        data = dict(data)
        for name in fields:
            value = data.get(name)
            if value in (None, "") or (isinstance(value, dict) and set(value) == {"sealed"}):
                continue
            key = fernet(person_id) if person_id is not None else None
            data[name] = (
                {"sealed": key.encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()}
                if key
                else "erased"
            )
            changed = True
        return data, changed

    events = AuditEvent.objects.filter(object_type__in=list(PERSONAL)).order_by("pk")
    for event in events.iterator(chunk_size=500):
        fields = PERSONAL[event.object_type]
        if event.object_type == "people.person":
            person_id = int(event.object_id) if event.object_id.isdigit() else None
        else:
            person_id = next(
                (
                    data["person_id"]
                    for data in (event.after, event.before)
                    if isinstance(data, dict) and isinstance(data.get("person_id"), int)
                ),
                None,
            )
        before, before_changed = sealed(event.before, person_id, fields)
        after, after_changed = sealed(event.after, person_id, fields)
        if before_changed or after_changed:
            event.before, event.after = before, after
            event.save(update_fields=["before", "after"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0007_event_reason"),
        ("people", "0006_person_erasure"),
    ]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
