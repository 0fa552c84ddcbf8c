"""Activities, who attended them, and headcounts of people counted but not registered."""

import dataclasses
import datetime
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.audit.services import audit_record, snapshot
from samaki.groups.models import Group
from samaki.organisations.models import Organisation
from samaki.organisations.queries import vocabulary_get
from samaki.organisations.services import area_get, require_writer
from samaki.people.models import Person, Sex
from samaki.people.services import local_today
from samaki.projects.models import Project
from samaki.projects.services import project_use_errors


@dataclasses.dataclass(frozen=True, kw_only=True)
class ActivityFields:
    kind_code: str
    date: datetime.date
    area_code: str
    title: str = ""
    topic_codes: tuple[str, ...] = ()
    project: Project | None = None
    group: Group | None = None
    facilitators: tuple[Any, ...] = ()
    notes: str = ""
    external_id: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class HeadcountCell:
    sex: str
    count: int
    age_min: int = 0
    age_max: int | None = None


def _clean(
    organisation: Organisation, fields: ActivityFields, activity: Activity | None = None
) -> dict[str, Any]:
    """The activity's terms and place, checked; every problem found, by field. `activity` is
    the one being changed (None for a new one): activity_create and activity_update check here."""
    errors: dict[str, list[str]] = {}

    def attempt(field: str, check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
            return None

    # A retired kind or topic is refused, except the ones the session being changed has.
    kept_kind = [activity.kind_id] if activity is not None else []
    kept_topics = activity.topics.values_list("pk", flat=True) if activity is not None else []
    kind = attempt(
        "kind_code",
        lambda: vocabulary_get(
            ActivityKind, organisation=organisation, code=fields.kind_code, keeping=kept_kind
        ),
    )
    area = attempt("area_code", lambda: area_get(code=fields.area_code))
    topics = [
        attempt(
            "topic_codes",
            lambda code=code: vocabulary_get(
                Topic, organisation=organisation, code=code, keeping=kept_topics
            ),
        )
        for code in fields.topic_codes
    ]
    if len(set(fields.topic_codes)) != len(fields.topic_codes):
        errors.setdefault("topic_codes", []).append(_("A topic is listed twice."))
    if fields.date > local_today():
        errors.setdefault("date", []).append(
            _("The date is in the future: record an activity once it has happened.")
        )
    if fields.project is not None:
        problems = project_use_errors(
            project=fields.project, organisation=organisation, on=fields.date
        )
        for field, message in problems.items():
            errors.setdefault(field, []).append(message)
    if fields.group is not None and fields.group.organisation_id != organisation.pk:
        errors.setdefault("group", []).append(_("The group belongs to another organisation."))
    for facilitator in fields.facilitators:
        if facilitator.organisation_id != organisation.pk:
            errors.setdefault("facilitators", []).append(
                _("%(user)s is not on your organisation's staff.") % {"user": facilitator}
            )
    if fields.external_id:
        others = Activity.objects.filter(organisation=organisation, external_id=fields.external_id)
        if activity is not None:
            others = others.exclude(pk=activity.pk)
        if others.exists():
            errors.setdefault("external_id", []).append(
                _("Another activity already has this external ID.")
            )
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "area": area, "topics": topics}


@transaction.atomic
def activity_create(*, organisation: Organisation, by: Any, fields: ActivityFields) -> Activity:
    cleaned = _clean(organisation, fields)
    require_writer(by=by, organisation=organisation, area=cleaned["area"])
    activity = Activity(
        organisation=organisation,
        kind=cleaned["kind"],
        area=cleaned["area"],
        date=fields.date,
        title=fields.title.strip(),
        project=fields.project,
        group=fields.group,
        notes=fields.notes,
        external_id=fields.external_id,
    )
    activity.full_clean()
    activity.save()
    activity.topics.set(cleaned["topics"])
    activity.facilitators.set(fields.facilitators)
    audit_record(
        by=by,
        action="activity.create",
        obj=activity,
        organisation_id=organisation.pk,
        after={**snapshot(activity), "topics": list(fields.topic_codes)},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by: Any, fields: ActivityFields) -> Activity:
    """Change a session: `fields` are all its values (what is not changing, as it is). Its
    attendance and headcount stay. A facilitator changes only a session inside her areas, and
    cannot move it out of them."""
    organisation = activity.organisation
    require_writer(by=by, organisation=organisation, area=activity.area)
    cleaned = _clean(organisation, fields, activity)
    require_writer(by=by, organisation=organisation, area=cleaned["area"])
    before = {
        **snapshot(activity),
        "topics": sorted(activity.topics.values_list("code", flat=True)),
        "facilitators": sorted(activity.facilitators.values_list("pk", flat=True)),
    }
    activity.kind = cleaned["kind"]
    activity.area = cleaned["area"]
    activity.date = fields.date
    activity.title = fields.title.strip()
    activity.project = fields.project
    activity.group = fields.group
    activity.notes = fields.notes
    activity.external_id = fields.external_id
    after = {
        **snapshot(activity),
        "topics": sorted(topic.code for topic in cleaned["topics"]),
        "facilitators": sorted(user.pk for user in fields.facilitators),
    }
    if after == before:
        return activity  # nothing changed: nothing written, nothing audited
    # `_clean` checked what the constraints guard; the database still enforces them.
    activity.full_clean(validate_unique=False, validate_constraints=False)
    activity.save()
    activity.topics.set(cleaned["topics"])
    activity.facilitators.set(fields.facilitators)
    audit_record(
        by=by,
        action="activity.update",
        obj=activity,
        organisation_id=organisation.pk,
        before=before,
        after=after,
    )
    return activity


@transaction.atomic
def attendance_set(*, activity: Activity, by: Any, people: list[Person]) -> list[Attendance]:
    """Make `people` exactly the registered attendance of `activity`.

    Sending the same list again changes nothing; a person listed twice is refused, never counted
    twice; people of another organisation are refused.
    """
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    twice = [person for person, n in Counter(people).items() if n > 1]
    if twice:
        raise ValidationError(
            {
                "people": _("Listed more than once: %(names)s.")
                % {"names": ", ".join(str(person) for person in twice)}
            }
        )
    foreign = [person for person in people if person.organisation_id != activity.organisation_id]
    if foreign:
        raise ValidationError(
            {
                "people": _("Not registered by your organisation: %(names)s.")
                % {"names": ", ".join(str(person) for person in foreign)}
            }
        )
    wanted = {person.pk for person in people}
    current = set(activity.attendances.values_list("person_id", flat=True))
    Attendance.objects.filter(activity=activity, person_id__in=current - wanted).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(organisation_id=activity.organisation_id, activity=activity, person_id=pk)
            for pk in sorted(wanted - current)
        ],
        batch_size=1000,
    )
    if wanted != current:
        audit_record(
            by=by,
            action="attendance.set",
            obj=activity,
            organisation_id=activity.organisation_id,
            before={"people": sorted(current)},
            after={"people": sorted(wanted)},
        )
    return list(activity.attendances.all())


@transaction.atomic
def headcount_set(*, activity: Activity, by: Any, cells: list[HeadcountCell]) -> list[Headcount]:
    """Replace the activity's headcount with `cells` (sex × age band)."""
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    errors = []
    keys = Counter((cell.sex, cell.age_min, cell.age_max) for cell in cells)
    if any(n > 1 for n in keys.values()):
        errors.append(_("The same sex and age band is counted twice."))
    for cell in cells:
        if cell.sex not in Sex.values:
            errors.append(_("Unknown sex “%(sex)s”.") % {"sex": cell.sex})
        if cell.count < 0:
            errors.append(_("A count cannot be negative."))
        if cell.age_min < 0 or (cell.age_max is not None and cell.age_max < cell.age_min):
            errors.append(_("An age band must run from a lower to a higher age."))
    if errors:
        raise ValidationError({"cells": errors})
    before = list(activity.headcounts.values("sex", "age_min", "age_max", "count"))
    wanted = [dataclasses.asdict(cell) for cell in cells]
    key = lambda cell: (cell["sex"], cell["age_min"], cell["age_max"] or -1)  # noqa: E731
    if sorted(before, key=key) == sorted(wanted, key=key):
        return list(activity.headcounts.all())
    activity.headcounts.all().delete()
    created = Headcount.objects.bulk_create(
        [
            Headcount(
                organisation_id=activity.organisation_id,
                activity=activity,
                sex=cell.sex,
                age_min=cell.age_min,
                age_max=cell.age_max,
                count=cell.count,
            )
            for cell in cells
        ]
    )
    audit_record(
        by=by,
        action="headcount.set",
        obj=activity,
        organisation_id=activity.organisation_id,
        before={"cells": before},
        after={"cells": [dataclasses.asdict(cell) for cell in cells]},
    )
    return created
