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
from samaki.periods.rules import require_period_open, require_periods_open
from samaki.projects.models import Project
from samaki.projects.services import project_use_errors
from samaki.records import clean_reason, require_not_voided, void_fields


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
    require_period_open(project_id=fields.project.pk if fields.project else None, on=fields.date)
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
def activity_update(
    *, activity: Activity, by: Any, fields: ActivityFields, reason: str = ""
) -> Activity:
    """Change a session: `fields` are all its values (what is not changing, as it is). Its
    attendance and headcount stay. A facilitator changes only a session inside her areas, and
    cannot move it out of them. `reason`, her words for the correction, goes on the audit row."""
    organisation = activity.organisation
    require_writer(by=by, organisation=organisation, area=activity.area)
    require_not_voided(activity)
    reason = clean_reason(reason, required=False)
    cleaned = _clean(organisation, fields, activity)
    require_periods_open(  # what the session was, and what it becomes
        dated=[
            (activity.project_id, activity.date),
            (fields.project.pk if fields.project else None, fields.date),
        ]
    )
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
        reason=reason,
    )
    return activity


@transaction.atomic
def attendance_set(
    *, activity: Activity, by: Any, people: list[Person], reason: str = ""
) -> list[Attendance]:
    """Make `people` exactly the registered attendance of `activity`.

    Sending the same list again changes nothing; a person listed twice is refused, never counted
    twice; people of another organisation are refused. A person taken off the list is not
    deleted: her attendance is voided with `reason`, so it stays visible to the M&E officer.
    """
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    require_not_voided(activity)
    reason = clean_reason(reason, required=False)
    require_period_open(project_id=activity.project_id, on=activity.date)
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
    Attendance.objects.filter(activity=activity, person_id__in=current - wanted).update(
        **void_fields(by=by, reason=reason)
    )
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
            reason=reason,
        )
    return list(activity.attendances.all())


@transaction.atomic
def headcount_set(
    *, activity: Activity, by: Any, cells: list[HeadcountCell], reason: str = ""
) -> list[Headcount]:
    """Replace the activity's headcount with `cells` (sex × age band); the cells replaced are
    kept on the audit row with `reason` (to keep them visible instead, `headcount_void`)."""
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    require_not_voided(activity)
    reason = clean_reason(reason, required=False)
    require_period_open(project_id=activity.project_id, on=activity.date)
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
        reason=reason,
    )
    return created


# --- voids: the record stays, marked, and stops counting (samaki/records.py) -------------------


def _void_claim(model: Any, pk: int, marks: dict[str, Any]) -> None:
    """Mark one record voided, unless it is already (a second void is refused)."""
    if not model.objects.filter(pk=pk).update(**marks):
        raise ValidationError(_("This record is already voided."))


@transaction.atomic
def activity_void(*, by: Any, activity: Activity, reason: str) -> Activity:
    """Void a session and, with the same reason, its attendance and headcount: none of them
    counts any more; the M&E officer still sees them on the session's page."""
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    reason = clean_reason(reason)
    require_not_voided(activity, voiding=True)
    require_period_open(project_id=activity.project_id, on=activity.date)
    marks = void_fields(by=by, reason=reason)
    _void_claim(Activity, activity.pk, marks)
    attendances = sorted(activity.attendances.values_list("pk", flat=True))
    headcounts = sorted(activity.headcounts.values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=attendances).update(**marks)
    Headcount.objects.filter(pk__in=headcounts).update(**marks)
    for name, value in marks.items():
        setattr(activity, name, value)
    audit_record(
        by=by,
        action="activity.void",
        obj=activity,
        organisation_id=activity.organisation_id,
        after={"attendances": attendances, "headcounts": headcounts},
        reason=reason,
    )
    return activity


@transaction.atomic
def attendance_void(*, by: Any, attendance: Attendance, reason: str) -> Attendance:
    """Void one person's attendance at one session; she may be ticked again afterwards."""
    activity = attendance.activity
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    reason = clean_reason(reason)
    require_not_voided(attendance, voiding=True)
    require_period_open(project_id=activity.project_id, on=activity.date)
    marks = void_fields(by=by, reason=reason)
    _void_claim(Attendance, attendance.pk, marks)
    for name, value in marks.items():
        setattr(attendance, name, value)
    audit_record(
        by=by,
        action="attendance.void",
        obj=activity,
        organisation_id=activity.organisation_id,
        after={"attendance": attendance.pk, "person": attendance.person_id},
        reason=reason,
    )
    return attendance


@transaction.atomic
def headcount_void(
    *, by: Any, activity: Activity, reason: str, headcounts: list[Headcount] | None = None
) -> list[Headcount]:
    """Void the session's headcount cells (`headcounts`, or all of them); returns those voided."""
    require_writer(by=by, organisation=activity.organisation, area=activity.area)
    reason = clean_reason(reason)
    require_not_voided(activity)
    require_period_open(project_id=activity.project_id, on=activity.date)
    cells = activity.headcounts.all()
    if headcounts is not None:
        foreign = [cell for cell in headcounts if cell.activity_id != activity.pk]
        if foreign:
            raise ValidationError(_("A headcount of another session was given."))
        cells = cells.filter(pk__in=[cell.pk for cell in headcounts])
    voided = list(cells.order_by("pk"))
    if headcounts is not None and len(voided) != len(headcounts):
        raise ValidationError(_("This record is already voided."))
    if not voided:
        raise ValidationError(_("This session has no headcount to void."))
    marks = void_fields(by=by, reason=reason)
    Headcount.objects.filter(pk__in=[cell.pk for cell in voided]).update(**marks)
    for cell in voided:
        for name, value in marks.items():
            setattr(cell, name, value)
    audit_record(
        by=by,
        action="headcount.void",
        obj=activity,
        organisation_id=activity.organisation_id,
        after={"headcounts": [cell.pk for cell in voided]},
        reason=reason,
    )
    return voided
