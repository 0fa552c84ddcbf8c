"""Every route and API operation, for every persona: the answer the rules give, and no canary.

Routes come from Django's resolver (the admin's and the API's included), operations from the
OpenAPI schema; their rules are in `access_matrix.py`. A route or operation without a rule fails
`test_every_route_has_a_rule`. Each persona's test opens every cell with GET and checks:

- the outcome class (allowed, denied, sign-in) against the rule;
- that the same URL filled with another organisation's object answers 404 to every home persona
  the rule lets in (and an unfunded project to the donor viewer);
- that no canary appears in a body she may not read: another organisation's names, the
  survivor's name, the case narrative, a whistle-blower's words, a home participant's name.

A mismatch listed in KNOWN_GAPS is expected to fail; a KNOWN_GAPS cell that passes fails too.
"""

import base64
import dataclasses
import datetime
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.accounts.access import SYSTEM, can_hold_token
from samaki.accounts.models import Role, User
from samaki.accounts.services import user_create
from samaki.accounts.tests import access_matrix as m
from samaki.conftest import PASSWORD, VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI

DAY = datetime.date(2024, 3, 8)

# Canaries: each string, and who may ever see it.
OTHER = "Canaryother"  # every object of the other organisation is named with it
SURVIVOR = "Canarysurvivor Zv"  # her name: no GET shows it to anyone
NARRATIVE = "Canarynarrative Wp"  # the incident description: her case worker and supervisors
WHISTLE = "Canarywhistle Kj"  # a whistle-blower's words: the focal point
HOME_PERSON = "Canaryhome Rb"  # a programme participant of home's: people readers
CANARIES = {
    OTHER: {"outsider", "superuser"},
    SURVIVOR: set(),
    NARRATIVE: {"case_worker", "case_supervisor"},
    WHISTLE: {"focal_point"},
    HOME_PERSON: set(m.KINDS["people"]),
}

# Route name (or prefix) → which fixture object its `pk` is.
PK_OF = {
    "people:": "person",
    "people:attribute_": "person_attribute",
    "people:duplicate_": "duplicate_review",
    "groups:": "group",
    "activities:": "activity",
    "projects:": "project",
    "results:": "project",
    "reports:project": "project",
    "reports:dashboard_project": "project",
    "reports:narratives": "project",
    "reports:consortium": "consortium",
    "reports:dashboard_consortium": "consortium",
    "reports:job": "job",
    "reports:download": "job",
    "reports:submit": "job",
    "reports:submitted": "submitted",
    "periods:": "period",
    "budgets:": "project",
    "cases:staff": "case_staff",
    "cases:": "case",
    "openrosa:form-": "xform",
    "openrosa:key-form-": "xform",
    "openrosa:device-revoke": "device",
    "openrosa:review-action": "submission",
    "imports:": "import_job",
    "feedback:": "restricted_feedback",
    "advocacy:": "request",
    "learning:round": "round",
    "learning:capacity": "capacity_organisation",
    "learning:compare": "consortium",
    "learning:round_new": "consortium",
    "learning:tool": "tool",
    "outcomes:edit": "outcome",
    "outcomes:void": "outcome",
    "admin:otp_totp_totpdevice_": "totp",
    "organisations:term_": "term",
    "user_": "managed_user",
}
# Any other parameter → which fixture object (or fixed value) fills it.
PARAM_OF = {
    "person_pk": "person",
    "consent_pk": "consent",
    "project_pk": "project",
    "membership_pk": "membership",
    "attendance_pk": "attendance",
    "stay_pk": "stay",
    "referral_pk": "referral",
    "follow_up_pk": "follow_up",
    "key": "device_key",
    "slug": "slug",
    "content_type_id": "person_content_type",
    "person_id": "person",
    "group_id": "group",
    "activity_id": "activity",
    "outcome_id": "outcome",
    "result_pk": "result",
    "indicator_pk": "indicator",
    "line_pk": "budget_line",
    "expenditure_pk": "expenditure",
}
# Query strings some pages need to answer at all.
QUERY = {"reports:project": "?period=2024Q1", "reports:consortium": "?period=2024Q1"}
FIXED = {
    "form_id": "samaki_person_registration",
    "kind": "people",
    "name": "people",
    "extension": "csv",
    "fmt": "xlsx",
    "app_label": "people",
    "url": "no-such-page/",
    "vocabulary": "activity-kinds",
    "token": "no-such-link",
}


# --- the world ------------------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    users: dict[str, User | None]
    home: dict[str, Any]  # fixture objects of home's, by parameter
    other: dict[str, Any]  # the other organisation's, same keys where it has one
    unfunded: dict[str, Any]  # home's project the donor does not fund
    api_secrets: dict[str, str]
    admin_rows: dict[str, Any]  # model label → home's row shown in the admin


def _user(username: str, role: str, organisation, **extra) -> User:
    if role in (Role.CASE_WORKER, Role.CASE_SUPERVISOR):
        from samaki.cases.staff import case_staff_create  # case roles: the case staff service

        return case_staff_create(
            by=SYSTEM, organisation=organisation, username=username, password=PASSWORD, role=role
        )
    return user_create(
        by=SYSTEM,
        organisation=organisation,
        username=username,
        password=PASSWORD,
        role=role,
        **extra,
    )


def _organisation_objects(*, organisation, by, prefix: str, person_name: str, donor=None) -> dict:
    from samaki.activities.services import ActivityFields, activity_create, attendance_set
    from samaki.groups.services import group_create, membership_add
    from samaki.outcomes.services import outcome_record
    from samaki.people.services import PersonFields, person_register
    from samaki.projects.services import project_create

    person = person_register(
        organisation=organisation,
        by=by,
        fields=PersonFields(
            name_latin=person_name, sex="female", village_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    project = project_create(
        organisation=organisation,
        by=by,
        code=f"{prefix.lower()}-project",
        name_en=f"{prefix} project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        donor=donor,
    )
    group = group_create(
        organisation=organisation,
        by=by,
        name_en=f"{prefix} group",
        kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
        project=project,
    )
    membership = membership_add(group=group, person=person, by=by, joined_on=DAY)
    activity = activity_create(
        organisation=organisation,
        by=by,
        fields=ActivityFields(
            kind_code="training",
            date=DAY,
            area_code=VILLAGE_IN_ANGKOR_THUM,
            title=f"{prefix} training",
            project=project,
            group=group,
        ),
    )
    (attendance,) = attendance_set(activity=activity, by=by, people=[person])
    from samaki.outcomes.models import OutcomeKind

    kind = OutcomeKind.objects.filter(organisation__isnull=True).first()
    assert kind is not None
    outcome = outcome_record(person=person, by=by, kind_code=kind.code, date=DAY)
    from samaki.people.services import AttributeNames, person_attribute_declare

    person_attribute = person_attribute_declare(
        by=by, organisation=organisation, code="migrant", names=AttributeNames(name_en="Migrant")
    )
    from samaki.people.services import person_register_reviewed

    _twin, (duplicate_review,) = person_register_reviewed(
        organisation=organisation,
        by=by,
        channel="import",
        fields=PersonFields(
            name_latin=person_name, sex="female", village_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    from samaki.results.services import framework_create, indicator_add, result_add

    framework = framework_create(project=project, by=by)
    goal = result_add(
        framework=framework, by=by, level="goal", code="G", statement_en=f"{prefix} goal"
    )
    indicator = indicator_add(
        result=goal, by=by, code="G.1", name_en=f"{prefix} women", measure="distinct_people"
    )
    return {
        "person": person,
        "result": goal,
        "indicator": indicator,
        "consent": person.consents.first(),
        "person_attribute": person_attribute,
        "duplicate_review": duplicate_review,
        "project": project,
        "group": group,
        "membership": membership,
        "activity": activity,
        "attendance": attendance,
        "outcome": outcome,
    }


def _open_case(*, organisation, worker, supervisor, name: str, narrative: str):
    from samaki.cases import services

    # The intake takes the survivor's own fields (cases.Survivor), or a programme Person's before.
    survivor_fields: Any = getattr(services, "SurvivorFields", None)
    if survivor_fields is None:
        from samaki.people.services import PersonFields as survivor_fields
    CaseFields, Consent, case_open = services.CaseFields, services.Consent, services.case_open
    return case_open(
        organisation=organisation,
        by=SYSTEM,
        survivor=survivor_fields(name_latin=name, sex="female", village_code="17100101"),
        fields=CaseFields(
            intake_date=datetime.date(2024, 3, 4),
            referred_by="police",
            incident_type="physical_assault",
            risk_level="high",
            case_worker=worker,
            supervisor=supervisor,
            consent=Consent(services=True, reporting=True, share_with=()),
            incident_description=narrative,
        ),
    )


def _phone_submission(client: Client, secret: str) -> None:
    """A registration outside the facilitator's areas: it waits in the review queue."""
    xml = (
        '<?xml version="1.0"?><data id="samaki_person_registration" version="2026112101">'
        "<consent>yes</consent><name_latin>Review Person</name_latin><sex>female</sex>"
        f"<birth_year>1990</birth_year><village_code>{VILLAGE_IN_BANTEAY_SREI}</village_code>"
        "<meta><instanceID>uuid:matrix-1</instanceID></meta></data>"
    ).encode()
    auth = "Basic " + base64.b64encode(f"phone:{secret}".encode()).decode()
    client.post(
        "/openrosa/submission",
        {"xml_submission_file": SimpleUploadedFile("i.xml", xml, content_type="text/xml")},
        HTTP_AUTHORIZATION=auth,
        HTTP_X_OPENROSA_VERSION="1.0",
        secure=True,
    )


@pytest.fixture
def world(personas) -> World:
    from samaki.api.services import token_issue
    from samaki.audit.models import AuditEvent
    from samaki.cases.services import (
        follow_up_plan,
        provider_add,
        referral_make,
        stay_admit,
    )
    from samaki.feedback.services import FeedbackFields, feedback_file, focal_point_designate
    from samaki.imports.services import import_job_create
    from samaki.learning.services import (
        DomainSpec,
        capacity_assess,
        capacity_tool_create,
        reflection_round_create,
    )
    from samaki.openrosa.services import shipped_form_publish
    from samaki.organisations.services import consortium_create, organisation_create
    from samaki.reports.queries import project_scope
    from samaki.reports.services import report_job_create, report_job_run, report_submit
    from samaki.results.engine import Period

    home, other = personas.home, personas.other
    lead_org = organisation_create(by=SYSTEM, slug="lead", name_en="Lead Organisation")
    users: dict[str, Any] = {
        "admin": personas.admin,
        "me_officer": personas.me_officer,
        "facilitator": personas.facilitator,
        "viewer": personas.viewer,
        "focal_point": _user("focal", Role.VIEWER, home),
        "donor_viewer": personas.donor_viewer,
        "lead": _user("lead", Role.ADMIN, lead_org),
        "case_worker": _user("worker", Role.CASE_WORKER, home),
        "other_worker": _user("other_worker", Role.CASE_WORKER, home),
        "case_supervisor": _user("supervisor", Role.CASE_SUPERVISOR, home),
        "outsider": personas.outsider,
        "superuser": personas.superuser,
        "anonymous": None,
    }
    assert set(users) == set(m.PERSONAS)
    consortium = consortium_create(
        by=SYSTEM, slug="c", name_en="Consortium", lead=lead_org, members=[home]
    )

    h = _organisation_objects(
        organisation=home,
        by=personas.admin,
        prefix="Home",
        person_name=HOME_PERSON,
        donor=personas.donor,
    )
    o = _organisation_objects(
        organisation=other, by=personas.outsider, prefix=OTHER, person_name=f"{OTHER} Xq"
    )
    from samaki.projects.services import project_create

    unfunded = project_create(
        organisation=home,
        by=personas.admin,
        code="unfunded",
        name_en="Unfunded project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )

    # The safe house, home's and the other organisation's.
    worker, supervisor = users["case_worker"], users["case_supervisor"]
    case = _open_case(
        organisation=home, worker=worker, supervisor=supervisor, name=SURVIVOR, narrative=NARRATIVE
    )
    provider = provider_add(
        organisation=home, by=SYSTEM, name="Hospital", service_type="health", area_code="1710"
    )
    h["case"] = case
    h["case_staff"] = worker
    h["stay"] = stay_admit(case=case, by=worker, admitted_on=DAY)
    h["referral"] = referral_make(
        case=case, by=supervisor, provider=provider, made_on=DAY, override_reason="urgent"
    )
    h["follow_up"] = follow_up_plan(case=case, by=worker, due_on=DAY)
    other_worker = _user("outsider_worker", Role.CASE_WORKER, other)
    o["case_staff"] = other_worker
    o["case"] = _open_case(
        organisation=other,
        worker=other_worker,
        supervisor=None,
        name=f"{OTHER} Survivor",
        narrative=f"{OTHER} narrative",
    )

    # Feedback: a whistle-blower's report of home's, and one of the other organisation's.
    focal_point_designate(organisation=home, by=personas.admin, user=users["focal_point"])
    h["restricted_feedback"] = feedback_file(
        organisation=home,
        by=personas.admin,
        fields=FeedbackFields(kind="whistleblower", message=f"{WHISTLE} took the money"),
    ).feedback
    o["restricted_feedback"] = feedback_file(
        organisation=other,
        by=personas.outsider,
        fields=FeedbackFields(kind="complaint", message=f"{OTHER} complaint"),
    ).feedback

    # Reports, imports, advocacy.
    period = Period.parse("2024Q1")
    # Home's are the facilitator's own (she reads her own jobs only; the others read them all).
    for objects, by in [(h, personas.facilitator), (o, personas.outsider)]:
        job = report_job_create(
            by=by, scope=project_scope(objects["project"]), period=period, fmt="json", language="en"
        )
        report_job_run(job_id=job.pk)
        job.refresh_from_db()
        objects["job"] = job
        objects["import_job"] = import_job_create(
            organisation=by.organisation,
            by=by,
            kind="people",
            file_name="people.csv",
            content=b"name_latin,sex,village_code\n",
        )
    from decimal import Decimal

    from samaki.budgets.services import budget_line_add, expenditure_record

    for objects, by in [(h, personas.admin), (o, personas.outsider)]:
        objects["budget_line"] = budget_line_add(
            project=objects["project"],
            by=by,
            code="b1",
            name_en="Trainings",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 12, 31),
            amount=Decimal("1000"),
            currency="USD",
        )
        objects["expenditure"] = expenditure_record(
            line=objects["budget_line"], by=by, date=DAY, amount=Decimal("10")
        )
    h["submitted"] = report_submit(job=h["job"], by=personas.me_officer)
    # Submitting a project's report submits its period (samaki.periods); reopened at once, as
    # the fixtures below still write into 2024Q1.
    from samaki.periods.services import period_reopen

    h["period"] = period_reopen(
        by=personas.me_officer, period=h["submitted"].revision.period, reason="Fixtures"
    )
    o["period"] = report_submit(job=o["job"], by=personas.outsider).revision.period
    from samaki.advocacy.services import RequestFields, request_record

    topic = __import__("samaki.advocacy.models", fromlist=["RequestTopic"]).RequestTopic
    topic_code = topic.objects.filter(organisation__isnull=True).first().code
    for objects, organisation, by, prefix in [
        (h, home, personas.admin, "Home"),
        (o, other, personas.outsider, OTHER),
    ]:
        objects["request"] = request_record(
            organisation=organisation,
            by=by,
            fields=RequestFields(
                topic_code=topic_code,
                summary=f"{prefix} request",
                raised_on=DAY,
                level="commune",
                area_code=VILLAGE_IN_ANGKOR_THUM,
            ),
        )

    # Learning: the lead's round and capacity tool, home assessed.
    h["consortium"] = consortium
    h["round"] = reflection_round_create(
        consortium=consortium,
        by=users["lead"],
        slug="r1",
        title="Reflection",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        prompts=[("Proudest?", "")],
    )
    tool = capacity_tool_create(
        organisation=lead_org,
        by=users["lead"],
        slug="tool",
        name_en="Capacity",
        domains=[DomainSpec("fin", "Financial", "", [("budget", "Budget", "")])],
    )
    capacity_assess(
        tool=tool, organisation=home, by=users["lead"], assessed_on=DAY, scores={"budget": 2}
    )
    h["capacity_organisation"] = home
    o["capacity_organisation"] = other
    for objects, organisation, by, name in [
        (h, home, personas.admin, "Home tool"),
        (o, other, personas.outsider, f"{OTHER} tool"),
    ]:
        objects["tool"] = capacity_tool_create(
            organisation=organisation,
            by=by,
            slug=f"{organisation.slug}-tool",
            name_en=name,
            domains=[DomainSpec("org", "Organisational", "", [("board", "Board", "")])],
        )

    # Phones: home's forms, a device, a submission waiting for review.
    for objects, organisation, by, phone_user in [
        (h, home, personas.admin, personas.facilitator),
        (o, other, personas.outsider, personas.outsider),
    ]:
        objects["xform"] = shipped_form_publish(
            organisation=organisation, by=by, form_id="samaki_person_registration"
        )
        device, secret = token_issue(
            kind="phone", organisation=organisation, by=by, user=phone_user, name="phone"
        )
        objects["device"], objects["device_key"] = device, secret
    _phone_submission(Client(), h["device_key"])
    from samaki.openrosa.models import Submission

    h["submission"] = Submission.objects.filter(organisation=home).first()
    h["slug"], o["slug"] = home.slug, other.slug
    from samaki.activities.models import ActivityKind
    from samaki.organisations.vocabularies import term_add

    for objects, organisation, by, prefix in [
        (h, home, personas.admin, "Home"),
        (o, other, personas.outsider, OTHER),
    ]:
        objects["term"] = term_add(
            by=by,
            model=ActivityKind,
            organisation=organisation,
            name_en=f"{prefix} kind",
            name_km=f"{prefix} kind km",
        )
    h["managed_user"], o["managed_user"] = personas.viewer, personas.outsider
    h["person_content_type"] = ContentType.objects.get_for_model(h["person"]).pk
    h["totp"] = TOTPDevice.objects.create(user=users["focal_point"], name="phone", confirmed=False)

    api_secrets = {}
    for persona, user in users.items():
        # A role that may hold no API token (a case role, the platform operator) calls without.
        if user is None or user.organisation is None or not can_hold_token(user, "api"):
            continue
        _token, secret = token_issue(
            kind="api", organisation=user.organisation, by=SYSTEM, user=user, name="matrix"
        )
        api_secrets[persona] = secret

    admin_rows = _admin_rows(personas, h, consortium)
    admin_rows["audit.auditevent"] = AuditEvent.objects.filter(organisation=home).first()
    return World(users, h, o, {"project": unfunded}, api_secrets, admin_rows)


def _admin_rows(personas, h: dict, consortium) -> dict[str, Any]:
    from samaki.activities.models import ActivityKind, Attendance, Topic
    from samaki.advocacy.models import RequestTopic
    from samaki.areas.models import Area
    from samaki.feedback.models import FeedbackCategory
    from samaki.groups.models import GroupKind
    from samaki.outcomes.models import OutcomeKind

    rows = {
        "accounts.user": personas.me_officer,
        "areas.area": Area.objects.first(),
        "organisations.organisation": personas.home,
        "organisations.donor": personas.donor,
        "organisations.consortium": consortium,
        "projects.project": h["project"],
        "people.person": h["person"],
        "people.consent": h["person"].consents.first(),
        "groups.group": h["group"],
        "groups.membership": h["membership"],
        "activities.activity": h["activity"],
        "activities.attendance": Attendance.objects.filter(activity=h["activity"]).first(),
        "outcomes.outcome": h["outcome"],
    }
    for label, model in [
        ("groups.groupkind", GroupKind),
        ("activities.activitykind", ActivityKind),
        ("activities.topic", Topic),
        ("outcomes.outcomekind", OutcomeKind),
        ("feedback.feedbackcategory", FeedbackCategory),
        ("advocacy.requesttopic", RequestTopic),
    ]:
        rows[label] = model._default_manager.filter(organisation__isnull=True).first()
    from samaki.activities.services import HeadcountCell, headcount_set
    from samaki.organisations.services import site_create
    from samaki.people.services import self_identification_record

    rows["activities.headcount"] = headcount_set(
        activity=h["activity"], by=personas.admin, cells=[HeadcountCell(sex="female", count=3)]
    )[0]
    rows["organisations.site"] = site_create(
        organisation=personas.home,
        by=personas.admin,
        name_en="Home office",
        kind="office",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )
    rows["people.selfidentification"] = self_identification_record(
        person=h["person"], by=personas.admin, consented_on=DAY, indigenous_group="Kuy"
    )
    return rows


# --- routes, operations, cells ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Route:
    key: str  # namespace:name, or the path pattern of an unnamed route
    pattern: URLPattern
    regex_path: str  # the full pattern, for filling
    params: tuple[str, ...]


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str, regexes: list) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, regexes)
            else:
                full = prefix + str(pattern.pattern)
                key = f"{namespace}{pattern.name}" if pattern.name else full
                params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", full) or ())
                names = tuple(a or b for a, b in params)
                found.append(Route(key, pattern, full, names))

    walk(get_resolver().url_patterns, "", "", [])
    return found


def api_operations() -> dict[str, tuple[str, str]]:
    """operationId → (method, path)."""
    from samaki.api.api import api

    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def _admin_model(route: Route) -> tuple[str, str] | None:
    """(model label, view) of a ModelAdmin's route."""
    model_admin = getattr(route.pattern.callback, "model_admin", None)
    if model_admin is None:
        return None
    label = model_admin.model._meta.label_lower
    if route.pattern.name is None:
        return label, "redirect"
    return label, route.pattern.name.rsplit("_", 1)[1]


def rule_missing(route: Route) -> bool:
    if route.key in m.RULES or route.key in m.ADMIN_SITE_RULES or route.key in m.SKIP:
        return False
    if route.key.startswith(m.API_ROUTE_PREFIX):
        return False  # checked against API_RULES through the schema
    admin = _admin_model(route)
    return admin is None or admin[0] not in m.ADMIN_MODELS


def test_every_route_has_a_rule():
    missing = sorted({route.key for route in routes() if rule_missing(route)})
    assert not missing, f"routes without a rule in access_matrix.RULES: {missing}"
    admin_models = {model._meta.label_lower for model in admin_site._registry}
    assert not admin_models - set(m.ADMIN_MODELS), "admin models without a row in ADMIN_MODELS"
    stale = set(m.RULES) - {route.key for route in routes()}
    assert not stale, f"rules for routes that no longer exist: {sorted(stale)}"


def test_every_api_operation_has_a_rule():
    operations = api_operations()
    missing = sorted(set(operations) - set(m.API_RULES))
    assert not missing, f"API operations without a rule in access_matrix.API_RULES: {missing}"
    assert not set(m.API_RULES) - set(operations), "rules for operations that no longer exist"


def test_skipped_routes_are_few_and_say_why(capsys):
    with capsys.disabled():
        for key, reason in m.SKIP.items():
            print(f"\nSKIP {key}: {reason}")
    assert len(m.SKIP) <= 5
    assert all(reason.strip() for reason in m.SKIP.values())


def _pk_object(key: str) -> str | None:
    matches = [prefix for prefix in PK_OF if key.startswith(prefix)]
    return PK_OF[max(matches, key=len)] if matches else None


def _value(route_key: str, param: str, objects: dict, world: World) -> Any:
    if param in FIXED:
        return FIXED[param]
    if param == "object_id":
        label = _admin_label_from_key(route_key)
        row = world.admin_rows.get(label) if objects is world.home else None
        if row is None and objects is world.home:
            return "1"  # a third-party model with no row: only the superuser gets past its door
        return None if row is None else row.pk
    name = _pk_object(route_key) if param == "pk" else PARAM_OF.get(param)
    if name is None:
        raise AssertionError(f"no fixture value for {param!r} of {route_key}: add it to PK_OF")
    value = objects.get(name)
    return getattr(value, "pk", value)


def _admin_label_from_key(key: str) -> str:
    return key.removeprefix("admin:")  # replaced by _admin_model's label before use


def fill(route: Route, objects: dict, world: World, label: str | None = None) -> str | None:
    kwargs = {}
    for param in route.params:
        if param == "object_id" and label is not None:
            row = world.admin_rows.get(label) if objects is world.home else None
            value = row.pk if row is not None else ("1" if objects is world.home else None)
        else:
            value = _value(route.key, param, objects, world)
        if value is None:
            return None
        kwargs[param] = value
    if route.pattern.name:
        return reverse(route.key, kwargs=kwargs)
    # Unnamed routes: substitute into the pattern.
    path = route.regex_path
    for param, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{param}>|\(\?P<{param}>[^)]*\)", str(value), path)
    return "/" + path.lstrip("^").rstrip("$")


# --- outcomes --------------------------------------------------------------------------------------

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def outcome(response) -> str:
    status = response.status_code
    if status in (401,):
        return m.LOGIN
    if 300 <= status < 400:
        location = urlsplit(response.get("Location", "")).path
        return m.LOGIN if location.startswith(LOGIN_PATHS) else m.ALLOWED
    if 200 <= status < 300:
        return m.ALLOWED
    if status in (403, 404):
        return m.DENIED
    return str(status)


def matches(expected: str, observed: str, *, persona: str, post_only: bool) -> bool:
    if expected == m.ALLOWED and post_only and observed == "405":
        return True
    if expected == m.DENIED and persona != "anonymous":
        return observed in (m.DENIED, m.LOGIN)  # a signed-in user bounced to sign-in is refused
    return expected == observed


def expect(rule: m.Rule, persona: str, *, home_object: bool) -> str:
    allowed = m.KINDS[rule.kind]
    if rule.kind == "absent":
        return m.DENIED
    if rule.own_organisation and persona == "superuser":
        return m.DENIED
    if persona == "anonymous":
        return m.ALLOWED if "anonymous" in allowed else m.LOGIN
    if persona in allowed:
        if (
            persona in m.FOREIGN_ADMINS
            and home_object
            and rule.kind
            not in (
                "public",
                "signed_in",
                "openrosa_key",
            )
        ):
            return m.ALLOWED if persona == "lead" and "lead" in allowed else m.DENIED
        return m.ALLOWED
    if persona in m.FOREIGN_ADMINS and not home_object and "admin" in allowed:
        return m.ALLOWED  # her own organisation's page
    return m.DENIED


def expect_admin(label: str | None, view: str, site_kind: str | None, persona: str) -> str:
    if site_kind in ("public", "public_post"):
        return m.ALLOWED
    if persona == "anonymous":
        return m.LOGIN
    if site_kind == "nowhere":
        return m.DENIED
    model = m.ADMIN_MODELS.get(label) if label else None
    if view in ("add", "delete") and model is not None:
        if view == "delete" and not model.deletes:
            return m.DENIED
        if persona == "superuser":  # she writes wherever a service does; Django's own: deletes
            if view == "add" and not model.writers:
                return m.DENIED
        elif m.STAFF_PERSONAS.get(persona) not in model.writers:
            return m.DENIED
    if persona == "superuser":
        return m.ALLOWED
    role = m.STAFF_PERSONAS.get(persona)
    if role is None or site_kind == "superuser":
        return m.DENIED
    if site_kind in ("staff", "staff_post"):
        return m.ALLOWED
    assert model is not None
    if model.readers == m.SUPERUSER_ONLY or role not in model.readers:
        return m.DENIED
    hidden = model.scope == "home" or (model.scope == "member" and persona == "outsider")
    if view in ("change", "delete", "history") and persona in m.FOREIGN_ADMINS and hidden:
        return m.DENIED
    return m.ALLOWED


@dataclasses.dataclass(frozen=True)
class Cell:
    key: str  # the rule's key, with "@other"/"@unfunded" for another object
    url: str
    expected: str
    post_only: bool = False
    bearer: str | None = None


def cells(world: World, persona: str) -> list[Cell]:
    found: list[Cell] = []
    for route in routes():
        api_operation = route.key.startswith(m.API_ROUTE_PREFIX) and route.key not in m.API_PAGES
        if route.key in m.SKIP or api_operation:
            continue
        admin = _admin_model(route)
        if admin is not None or route.key in m.ADMIN_SITE_RULES:
            label, view = admin if admin else (None, "")
            if (
                label
                and view in ("change", "delete", "history", "redirect")
                and (world.admin_rows.get(label) is None)
            ):
                continue  # SKIP["admin third-party object pages"]
            url = fill(route, world.home, world, label=label)
            assert url is not None, route.key
            site_kind = m.ADMIN_SITE_RULES.get(route.key)
            if view == "redirect":
                assert label is not None
                site_kind = (
                    "staff" if m.ADMIN_MODELS[label].readers != m.SUPERUSER_ONLY else "superuser"
                )
            expected = expect_admin(label, view, site_kind, persona)
            found.append(Cell(route.key, url, expected, post_only=site_kind == "public_post"))
            continue
        rule = m.RULES[route.key]
        url = fill(route, world.home, world)
        assert url is not None, f"{route.key}: no home object to fill it with"
        url += QUERY.get(route.key, "")
        found.append(
            Cell(
                route.key, url, expect(rule, persona, home_object=rule.home_object), rule.post_only
            )
        )
        # The same route with another organisation's object: 404 for whoever home's lets in.
        if (
            rule.home_object
            and persona in m.KINDS[rule.kind]
            and persona
            not in (
                "outsider",
                "superuser",
            )
        ):
            objects = world.other
            if rule.kind == "openrosa_key":  # home's phone asking for the other's form
                objects = {**world.home, "xform": world.other["xform"]}
            other = fill(route, objects, world)
            if other is not None and other != url.split("?")[0]:
                other += QUERY.get(route.key, "")
                found.append(Cell(f"{route.key}@other", other, m.DENIED, rule.post_only))
        if rule.kind == "donor_read" and persona == "donor_viewer" and rule.home_object:
            objects = {**world.home, **world.unfunded}
            unfunded = fill(route, objects, world)
            if unfunded is not None and unfunded != url.split("?")[0]:
                unfunded += QUERY.get(route.key, "")
                found.append(Cell(f"{route.key}@unfunded", unfunded, m.DENIED))
    for operation_id, (method, path) in api_operations().items():
        if method != "GET":
            continue
        rule = m.API_RULES[operation_id]
        expected = expect(rule, persona, home_object=rule.home_object)
        if persona == "anonymous":
            expected = m.LOGIN  # 401
        bearer = world.api_secrets.get(persona)
        if bearer is None and persona != "anonymous":
            expected = m.DENIED  # a role that holds no API token is refused (401)
        for variant, objects in [("", world.home), ("@other", world.other)]:
            if variant and not (
                rule.home_object and persona in m.KINDS[rule.kind] and persona != "outsider"
            ):
                continue
            url = _fill_api(path, objects)
            found.append(
                Cell(
                    operation_id + variant,
                    url,
                    expected if not variant else m.DENIED,
                    bearer=bearer,
                )
            )
    return found


def _fill_api(path: str, objects: dict) -> str:
    def value(match: re.Match) -> str:
        return str(objects[PARAM_OF[match.group(1)]].pk)

    return re.sub(r"\{(\w+)\}", value, path)


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is None:
        return client
    client.force_login(user)
    if persona in m.CASE_ROLES:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("persona", m.PERSONAS)
def test_matrix(world, persona):
    client = client_for(world, persona)
    failures: list[str] = []
    passed_gaps: list[tuple[str, str]] = []
    checked = 0
    for cell in cells(world, persona):
        headers: dict[str, Any] = (
            {"HTTP_AUTHORIZATION": f"Bearer {cell.bearer}"} if cell.bearer else {}
        )
        response = client.get(cell.url, secure=True, **headers)
        checked += 1
        observed = outcome(response)
        problems = []
        if not matches(cell.expected, observed, persona=persona, post_only=cell.post_only):
            problems.append(f"expected {cell.expected}, got {observed} ({response.status_code})")
        content = body(response)
        for canary, readers in CANARIES.items():
            if persona not in readers and canary.encode() in content:
                problems.append(f"shows canary {canary!r}")
        gap = (cell.key, persona) in m.KNOWN_GAPS
        if problems and not gap:
            failures.append(f"{cell.key} {cell.url} as {persona}: {'; '.join(problems)}")
        if gap and not problems:
            passed_gaps.append((cell.key, persona))
        if persona in m.CASE_ROLES and client.session.get(DEVICE_ID_SESSION_KEY) is None:
            client = client_for(world, persona)  # a page signed her out: sign in again
    print(f"\n{persona}: {checked} cells")
    assert not failures, f"{len(failures)} cells break the rules:\n" + "\n".join(failures)
    assert not passed_gaps, f"KNOWN_GAPS entries now pass, remove them: {passed_gaps}"


# --- writes by read-only personas change nothing ---------------------------------------------------


@pytest.mark.parametrize("persona", ["viewer", "donor_viewer", "case_worker", "outsider"])
def test_read_only_posts_change_nothing(world, persona):
    from samaki.groups.models import Group
    from samaki.people.models import Person

    client = client_for(world, persona)
    people, groups = Person.objects.count(), Group.objects.count()
    person = world.home["person"]
    posts = [
        (reverse("people:create"), {"name_latin": "Written", "sex": "female",
                                    "village": VILLAGE_IN_ANGKOR_THUM}),
        (reverse("people:edit", args=[person.pk]), {"name_latin": "Renamed", "sex": "female"}),
        (reverse("groups:create"), {"name_en": "Written group", "kind": "smart_women"}),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data, secure=True)
        if persona != "outsider" or "edit" in url:
            assert outcome(response) in (m.DENIED, m.LOGIN), (url, response.status_code)
    if persona in world.api_secrets:
        response = Client().post(
            "/api/v1/people",
            {"sex": "female", "village_code": VILLAGE_IN_ANGKOR_THUM, "name_latin": "Api"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {world.api_secrets[persona]}",
            secure=True,
        )
        if persona != "outsider":
            assert response.status_code in (401, 403, 404), response.status_code
    person.refresh_from_db()
    assert person.name_latin == HOME_PERSON
    if persona != "outsider":
        assert (Person.objects.count(), Group.objects.count()) == (people, groups)
