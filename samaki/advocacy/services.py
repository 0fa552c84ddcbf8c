"""Recording what communities ask of their authorities, and following each request up."""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.accounts.access import acting_user
from samaki.activities.models import Activity
from samaki.advocacy.models import (
    AuthorityLevel,
    CommunityRequest,
    RequestFollowUp,
    RequestStatus,
    RequestTopic,
)
from samaki.audit.services import audit_record, snapshot
from samaki.groups.models import Group
from samaki.organisations.models import Organisation
from samaki.organisations.queries import vocabulary_get
from samaki.organisations.services import area_get, require_writer

# Statuses that answer the request: the response date is then required.
ANSWERED = frozenset({RequestStatus.GRANTED, RequestStatus.PARTLY_GRANTED, RequestStatus.REFUSED})


@dataclasses.dataclass(frozen=True, kw_only=True)
class RequestFields:
    topic_code: str
    summary: str
    raised_on: datetime.date
    level: str
    authority: str = ""
    area_code: str = ""
    people_asking: int | None = None
    external_id: str = ""


@transaction.atomic
def request_record(
    *,
    organisation: Organisation,
    by: Any,
    fields: RequestFields,
    activity: Activity | None = None,
    group: Group | None = None,
) -> CommunityRequest:
    area = area_get(code=fields.area_code) if fields.area_code else None
    if area is None and activity is not None:
        area = activity.area
    require_writer(by=by, organisation=organisation, area=area)
    errors: dict[str, str] = {}
    if fields.level not in AuthorityLevel.values:
        errors["level"] = _("Choose the level of authority the request is addressed to.")
    for row, name in [(activity, "activity"), (group, "group")]:
        if row is not None and row.organisation_id != organisation.pk:
            errors[name] = _("This belongs to another organisation.")
    if not fields.summary.strip():
        errors["summary"] = _("Say what was asked.")
    if errors:
        raise ValidationError(errors)
    request = CommunityRequest(
        organisation=organisation,
        external_id=fields.external_id,
        topic=vocabulary_get(RequestTopic, organisation=organisation, code=fields.topic_code),
        summary=fields.summary.strip(),
        raised_on=fields.raised_on,
        activity=activity,
        group=group,
        area=area,
        level=fields.level,
        authority=fields.authority,
        people_asking=fields.people_asking,
    )
    request.full_clean()
    request.save()
    audit_record(
        by=by,
        action="request.record",
        obj=request,
        organisation_id=organisation.pk,
        after=snapshot(request),
    )
    return request


@transaction.atomic
def request_follow_up(
    *,
    request: CommunityRequest,
    by: Any,
    date: datetime.date,
    note: str,
    status: str,
    response: str = "",
) -> RequestFollowUp:
    """A step taken and where the request now stands; an answer records the authority's response."""
    require_writer(by=by, organisation=request.organisation, area=request.area)
    if status not in RequestStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what happened.")})
    if date < request.raised_on:
        raise ValidationError({"date": _("A follow-up comes after the request was raised.")})
    if status in ANSWERED and not (response.strip() or request.response):
        raise ValidationError({"response": _("Write down what the authority answered.")})
    locked = CommunityRequest.objects.select_for_update().get(pk=request.pk)
    before = {"status": locked.status}
    follow_up = RequestFollowUp.objects.create(
        organisation_id=locked.organisation_id,
        request=locked,
        date=date,
        note=note.strip(),
        status=status,
        by=acting_user(by),
    )
    locked.status = status
    update = ["status"]
    if response.strip():
        locked.response = response.strip()
        locked.responded_on = date
        update += ["response", "responded_on"]
    locked.save(update_fields=update)
    audit_record(
        by=by,
        action="request.follow_up",
        obj=locked,
        organisation_id=locked.organisation_id,
        before=before,
        after={"status": status, "follow_up": follow_up.pk},
    )
    return follow_up
