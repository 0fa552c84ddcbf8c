"""Data: move every case's survivor off `people.Person` onto the case side's `Survivor`.

For each case, a `Survivor` is made from the Person the intake pointed at (names, sex, birth,
village, phone; names and phone are encrypted on the way in: the historical model carries
`EncryptedTextField`). Then the Person:

- if she has any programme life of her own (any row of another table pointing at her other than
  the registration consent the intake wrote, an external ID, a registration by a user, any
  person.* audit row other than that registration, or a registration on another day than her
  intake), she stays a programme participant and the case links her (`Case.participant`);
- else she exists only because of a case: her Person row (with its registration consent) and her
  person.* audit rows are deleted, so nothing on the programme side remains of her.

When in doubt she is kept and linked: deleting a real participant's record would lose the
programme's data. The reverse refuses once there is any survivor: they are not put back among
the programme's people (on an empty installation it has nothing to undo).
"""

from django.db import migrations

PERSON = "people.person"


def _programme_rows(apps, person) -> bool:
    """Anything of the programme pointing at her, the intake's registration consent aside."""
    Person = apps.get_model("people", "Person")
    Case = apps.get_model("cases", "Case")
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model is Case:
            continue
        rows = model._base_manager.filter(**{relation.field.name: person})
        if model._meta.label_lower == "people.consent":
            rows = rows.exclude(purpose="registration", given_on=person.registered_on)
        if rows.exists():
            return True
    return False


def _exists_only_for_cases(apps, person, intake_dates: set) -> bool:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.filter(object_type=PERSON, object_id=str(person.pk))
    return (
        not person.external_id
        and person.registered_on in intake_dates
        and not events.exclude(action="person.register", actor__isnull=True).exists()
        and not _programme_rows(apps, person)
    )


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    if not Case.objects.exists():
        return
    Survivor = apps.get_model("cases", "Survivor")
    Person = apps.get_model("people", "Person")
    AuditEvent = apps.get_model("audit", "AuditEvent")

    cases_by_person: dict[int, list] = {}
    for case in Case.objects.order_by("pk"):
        cases_by_person.setdefault(case.survivor_id, []).append(case)
    for person_id, cases in cases_by_person.items():
        person = Person.objects.get(pk=person_id)
        survivor = Survivor.objects.create(
            organisation_id=person.organisation_id,
            name_km=person.name_km,
            name_latin=person.name_latin,
            sex=person.sex,
            birth_date=person.birth_date,
            birth_year=person.birth_year,
            village_id=person.village_id,
            phone=person.phone,
        )
        case_only = _exists_only_for_cases(apps, person, {case.intake_date for case in cases})
        for case in cases:
            case.survivor_record = survivor
            case.survivor = None
            case.participant = None if case_only else person
            case.save(update_fields=["survivor_record", "survivor", "participant"])
        if case_only:
            AuditEvent.objects.filter(
                object_type=PERSON, object_id=str(person.pk), action__startswith="person."
            ).delete()
            person.delete()  # her registration consent goes with her (CASCADE)


def backwards(apps, schema_editor):
    """Nothing to undo on an installation without survivors; with any, refuse."""
    if apps.get_model("cases", "Survivor").objects.exists():
        raise RuntimeError(
            "Survivors are not put back among the programme's people: restore a backup taken "
            "before cases.0003 instead."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_survivor_and_participant"),
        ("activities", "0002_default_vocabularies"),
        ("audit", "0002_action_vocabulary_system_actor"),
        ("feedback", "0002_default_categories"),
        ("groups", "0002_default_vocabularies"),
        ("outcomes", "0002_default_vocabularies"),
        ("people", "0002_person_search_keys"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
