"""The REST API: the same queries (scopes) and services (rules) as the pages.

Authenticate with `Authorization: Bearer <token>` (an API token acts as one staff member). The
OpenAPI 3.1 schema is at /api/v1/openapi.json and the docs at /api/v1/docs, both served from
Samaki itself (no CDN).
"""

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.security import HttpBearer
from pydantic import StringConstraints

from samaki.activities.models import Activity
from samaki.activities.queries import activity_list, attendance_list, get_activity_for_user
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.api.models import TokenKind
from samaki.api.services import token_authenticate
from samaki.groups.models import Group, Membership
from samaki.groups.queries import get_group_for_user, group_list, membership_list
from samaki.groups.services import group_create, membership_add
from samaki.outcomes.models import Outcome
from samaki.outcomes.queries import outcome_list
from samaki.outcomes.services import outcome_record
from samaki.people.models import Person, RegistrationChannel
from samaki.people.queries import person_list, person_successor_for_user
from samaki.people.services import PersonFields, person_register_reviewed

# Text without NUL (PostgreSQL refuses it) and with a length the columns hold.
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]
ShortText = Annotated[str, StringConstraints(max_length=80, pattern=NO_NUL)]
Code = Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9A-Za-z_\-]*$")]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
WgAnswer = Literal[1, 2, 3, 4] | None


class AuthedRequest(HttpRequest):
    auth: Any  # the user the bearer token acts as (set by BearerToken)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        live = token_authenticate(token, kind=TokenKind.API)
        return live.user if live is not None else None


api = NinjaAPI(
    title="Samaki API",
    version="1",
    description=__doc__ or "",
    auth=BearerToken(),
    urls_namespace="api",
)


class ErrorOut(Schema):
    detail: Any


ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    detail = error.message_dict if hasattr(error, "error_dict") else error.messages
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=403)


class Page(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def page(queryset: QuerySet, paging: Page) -> list:
    return list(queryset.order_by("pk")[paging.offset : paging.offset + paging.limit])


# --- People -----------------------------------------------------------------------------------


class PersonIn(Schema):
    sex: Literal["female", "male", "other"]
    village_code: Code
    name_km: Text = ""
    name_latin: Text = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = Field(None, ge=1900, le=2100)
    phone: Annotated[str, StringConstraints(max_length=30, pattern=NO_NUL)] = ""
    wg_seeing: WgAnswer = None
    wg_hearing: WgAnswer = None
    wg_walking: WgAnswer = None
    wg_cognition: WgAnswer = None
    wg_selfcare: WgAnswer = None
    wg_communication: WgAnswer = None
    id_poor: Literal["poor_1", "poor_2", "not_poor", "unknown"] = "unknown"
    external_id: ShortText = ""


class PersonOut(Schema):
    id: int
    external_id: str
    name_km: str
    name_latin: str
    sex: str
    birth_date: datetime.date | None
    birth_year: int | None
    village_code: str = Field(..., alias="village.code")
    phone: str
    wg_seeing: int | None
    wg_hearing: int | None
    wg_walking: int | None
    wg_cognition: int | None
    wg_selfcare: int | None
    wg_communication: int | None
    disability: str
    id_poor: str
    registered_on: datetime.date


@api.get("/people", response={200: list[PersonOut], **ERRORS}, tags=["people"])
def people(request: AuthedRequest, paging: Query[Page]) -> list[Person]:
    return page(person_list(user=request.auth), paging)


@api.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, tags=["people"])
def person(request: AuthedRequest, person_id: Path[Id]) -> Person:
    # A merged-away record's id answers with the record she was merged into (docs/api.md).
    return person_successor_for_user(user=request.auth, pk=person_id)


@api.post("/people", response={201: PersonOut, **ERRORS}, tags=["people"])
def person_create(request: AuthedRequest, body: PersonIn) -> Status:
    user = request.auth
    fields = PersonFields(**body.dict())
    created, _reviews = person_register_reviewed(
        organisation=_organisation(user), by=user, channel=RegistrationChannel.API, fields=fields
    )
    return Status(201, created)


def _organisation(user: Any) -> Any:
    if user.organisation is None:
        raise PermissionDenied("A platform administrator acts for no organisation here.")
    return user.organisation


# --- Groups and memberships -------------------------------------------------------------------


class GroupIn(Schema):
    name_en: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
    kind_code: Code
    area_code: Code
    name_km: Text = ""
    founded_on: datetime.date | None = None
    parent_id: Id | None = None
    external_id: ShortText = ""


class GroupOut(Schema):
    id: int
    external_id: str
    name_en: str
    name_km: str
    kind_code: str = Field(..., alias="kind.code")
    area_code: str = Field(..., alias="area.code")
    founded_on: datetime.date | None
    parent_id: int | None


@api.get("/groups", response={200: list[GroupOut], **ERRORS}, tags=["groups"])
def groups(request: AuthedRequest, paging: Query[Page]) -> list[Group]:
    return page(group_list(user=request.auth), paging)


@api.get("/groups/{group_id}", response={200: GroupOut, **ERRORS}, tags=["groups"])
def group(request: AuthedRequest, group_id: Path[Id]) -> Group:
    return get_group_for_user(user=request.auth, pk=group_id)


def _in_scope(queryset: QuerySet, pk: int | None, field: str) -> Any:
    """A related object named in a body: 422 (not 404) when she may not see it."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: "Not found."})
    return found


@api.post("/groups", response={201: GroupOut, **ERRORS}, tags=["groups"])
def group_add(request: AuthedRequest, body: GroupIn) -> Status:
    user = request.auth
    created = group_create(
        organisation=_organisation(user),
        by=user,
        name_en=body.name_en,
        name_km=body.name_km,
        kind_code=body.kind_code,
        area_code=body.area_code,
        founded_on=body.founded_on,
        parent=_in_scope(group_list(user=user), body.parent_id, "parent_id"),
        external_id=body.external_id,
    )
    return Status(201, created)


class MembershipIn(Schema):
    person_id: Id
    joined_on: datetime.date
    role: Literal["member", "leader", "mentor", "facilitator"] = "member"
    left_on: datetime.date | None = None


class MembershipOut(Schema):
    id: int
    group_id: int
    person_id: int
    role: str
    joined_on: datetime.date
    left_on: datetime.date | None


@api.get(
    "/groups/{group_id}/memberships",
    response={200: list[MembershipOut], **ERRORS},
    tags=["groups"],
)
def memberships(
    request: AuthedRequest, group_id: Path[Id], paging: Query[Page]
) -> list[Membership]:
    found = get_group_for_user(user=request.auth, pk=group_id)
    return page(membership_list(user=request.auth).filter(group=found), paging)


@api.post(
    "/groups/{group_id}/memberships",
    response={201: MembershipOut, **ERRORS},
    tags=["groups"],
)
def membership_create(request: AuthedRequest, group_id: Path[Id], body: MembershipIn) -> Status:
    user = request.auth
    found = get_group_for_user(user=user, pk=group_id)
    member = _in_scope(person_list(user=user), body.person_id, "person_id")
    created = membership_add(
        group=found,
        person=member,
        by=user,
        joined_on=body.joined_on,
        role=body.role,
        left_on=body.left_on,
    )
    return Status(201, created)


# --- Activities and attendance ----------------------------------------------------------------


class ActivityIn(Schema):
    kind_code: Code
    date: datetime.date
    area_code: Code
    title: Text = ""
    topic_codes: list[Code] = Field(default_factory=list, max_length=20)
    group_id: Id | None = None
    notes: Annotated[str, StringConstraints(max_length=5000, pattern=NO_NUL)] = ""
    external_id: ShortText = ""


class ActivityOut(Schema):
    id: int
    external_id: str
    kind_code: str = Field(..., alias="kind.code")
    title: str
    date: datetime.date
    area_code: str = Field(..., alias="area.code")
    group_id: int | None
    project_id: int | None


class AttendanceIn(Schema):
    person_ids: list[Id] = Field(..., max_length=5000)


class AttendanceOut(Schema):
    activity_id: int
    person_ids: list[int]


@api.get("/activities", response={200: list[ActivityOut], **ERRORS}, tags=["activities"])
def activities(request: AuthedRequest, paging: Query[Page]) -> list[Activity]:
    return page(activity_list(user=request.auth), paging)


@api.get("/activities/{activity_id}", response={200: ActivityOut, **ERRORS}, tags=["activities"])
def activity(request: AuthedRequest, activity_id: Path[Id]) -> Activity:
    return get_activity_for_user(user=request.auth, pk=activity_id)


@api.post("/activities", response={201: ActivityOut, **ERRORS}, tags=["activities"])
def activity_add(request: AuthedRequest, body: ActivityIn) -> Status:
    user = request.auth
    fields = ActivityFields(
        kind_code=body.kind_code,
        date=body.date,
        area_code=body.area_code,
        title=body.title,
        topic_codes=tuple(body.topic_codes),
        group=_in_scope(group_list(user=user), body.group_id, "group_id"),
        notes=body.notes,
        external_id=body.external_id,
    )
    return Status(201, activity_create(organisation=_organisation(user), by=user, fields=fields))


def _attendance(user: Any, found: Activity) -> AttendanceOut:
    people_ids = attendance_list(user=user).filter(activity=found).order_by("person_id")
    return AttendanceOut(
        activity_id=found.pk, person_ids=list(people_ids.values_list("person_id", flat=True))
    )


@api.get(
    "/activities/{activity_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    tags=["activities"],
)
def attendance(request: AuthedRequest, activity_id: Path[Id]) -> AttendanceOut:
    return _attendance(request.auth, get_activity_for_user(user=request.auth, pk=activity_id))


@api.put(
    "/activities/{activity_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    tags=["activities"],
)
def attendance_replace(
    request: AuthedRequest, activity_id: Path[Id], body: AttendanceIn
) -> AttendanceOut:
    """Make these people exactly the activity's attendance (sending it again changes nothing)."""
    user = request.auth
    found = get_activity_for_user(user=user, pk=activity_id)
    if len(set(body.person_ids)) != len(body.person_ids):
        raise ValidationError({"person_ids": "A person is listed twice."})
    people_found = list(person_list(user=user).filter(pk__in=body.person_ids))
    missing = sorted(set(body.person_ids) - {p.pk for p in people_found})
    if missing:
        raise ValidationError({"person_ids": f"Not found: {missing}."})
    attendance_set(activity=found, by=user, people=people_found)
    return _attendance(user, found)


# --- Outcomes ---------------------------------------------------------------------------------


class OutcomeIn(Schema):
    person_id: Id
    kind_code: Code
    date: datetime.date
    detail: Text = ""
    external_id: ShortText = ""


class OutcomeOut(Schema):
    id: int
    external_id: str
    person_id: int
    kind_code: str = Field(..., alias="kind.code")
    date: datetime.date
    detail: str


@api.get("/outcomes", response={200: list[OutcomeOut], **ERRORS}, tags=["outcomes"])
def outcomes(request: AuthedRequest, paging: Query[Page]) -> list[Outcome]:
    return page(outcome_list(user=request.auth), paging)


@api.get("/outcomes/{outcome_id}", response={200: OutcomeOut, **ERRORS}, tags=["outcomes"])
def outcome(request: AuthedRequest, outcome_id: Path[Id]) -> Outcome:
    return get_object_or_404(outcome_list(user=request.auth), pk=outcome_id)


@api.post("/outcomes", response={201: OutcomeOut, **ERRORS}, tags=["outcomes"])
def outcome_add(request: AuthedRequest, body: OutcomeIn) -> Status:
    user = request.auth
    subject = _in_scope(person_list(user=user), body.person_id, "person_id")
    created = outcome_record(
        person=subject,
        by=user,
        kind_code=body.kind_code,
        date=body.date,
        detail=body.detail,
        external_id=body.external_id,
    )
    return Status(201, created)
