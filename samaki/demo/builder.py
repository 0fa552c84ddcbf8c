"""`demo_build`: the organisations, people and records of the seed reports, through the services.

Every object has a stable natural key (a slug, a username, a project code, an external ID), and
the builder looks each one up before creating it: running the demo again finds everything and
writes nothing, not even an audit row. All writes go through the services with `by=SYSTEM`, the
system, exactly as an import would.
"""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Callable

from django.db import transaction

from samaki.accounts.access import SYSTEM, is_case_role_name
from samaki.accounts.models import Role, User
from samaki.accounts.services import user_create
from samaki.activities.models import Activity, Attendance, Headcount
from samaki.activities.services import (
    ActivityFields,
    HeadcountCell,
    activity_create,
    attendance_set,
    headcount_set,
)
from samaki.areas.models import Area, AreaLevel
from samaki.cases.staff import case_staff_create
from samaki.demo.banteay_srei import banteay_srei_plan
from samaki.demo.ccdo import ccdo_plan
from samaki.demo.consortia import FIA_PROJECT, live_and_learn_plan, lscw_plan
from samaki.demo.plan import Plan
from samaki.demo.safe_house import CASE_WORKER as SAFE_HOUSE_CASE_WORKER
from samaki.demo.safe_house import SUPERVISOR as SAFE_HOUSE_SUPERVISOR
from samaki.demo.safe_house import safe_house_build
from samaki.demo.voice import voice_build
from samaki.groups.models import Group, Membership
from samaki.groups.services import group_create, membership_add
from samaki.organisations.models import Consortium, Donor, Organisation, Site
from samaki.organisations.services import (
    consortium_create,
    donor_create,
    organisation_create,
    site_create,
)
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record
from samaki.people.models import Person
from samaki.people.services import PersonFields, person_register
from samaki.projects.models import Project
from samaki.projects.services import project_create
from samaki.results.demo import results_demo_build

DEMO_PASSWORD = "samaki-demo-2024"  # noqa: S105 - published on purpose: demo logins only

# slug, English name, Khmer name (left empty where we are not sure of the one it uses), acronym.
ORGANISATIONS = [
    ("care", "CARE International in Cambodia", "ឃែរ អន្តរជាតិ កម្ពុជា", "CARE"),
    ("lscw", "Legal Support for Children and Women", "", "LSCW"),
    ("banteay-srei", "Banteay Srei", "អង្គការបន្ទាយស្រី", "BS"),
    ("act", "Alliance for Conflict Transformation", "", "ACT"),
    ("cwcc", "Cambodian Women's Crisis Centre", "", "CWCC"),
    ("lsg", "Lady Saving Group", "", "LSG"),
    ("mrc", "Micro Rainbow Cambodia", "", "MRC"),
    ("ccdo", "Cambodia Community Dream Organisation", "", "CCDO"),
    ("live-learn", "Live & Learn Cambodia", "", "Live & Learn"),
    ("aua", "ARV Users Association", "", "AUA"),
    ("wpm", "Women Peace Makers", "", "WPM"),
    ("lko", "Lakhon Komnit Organization", "អង្គការល្ខោនគំនិត", "LKO"),
    ("cipl", "Conserve Indigenous Peoples Languages Organization", "", "CIPL"),
    ("wwd-lan", "Women with Disabilities Leadership and Advocacy Network", "", "WWD-LAN"),
]
DONORS = [
    ("afd", "Agence Française de Développement", ""),
    ("si-foundation", "Soroptimist International Foundation", ""),
]
# slug, name, lead, members
CONSORTIA = [
    (
        "feminists-in-action",
        "Feminists in Action",
        "care",
        ["lscw", "banteay-srei", "act", "cwcc", "lsg", "mrc"],
    ),
    ("voice-cop-women", "VOICE CoP Women", "live-learn", ["aua", "wpm", "lko", "cipl", "wwd-lan"]),
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProjectSpec:
    organisation: str
    code: str
    name_en: str
    starts_on: datetime.date
    ends_on: datetime.date
    donor: str | None = None
    consortium: str | None = None
    partners: tuple[str, ...] = ()
    target_areas: tuple[str, ...] = ()


ELC = "Education and Learning in Cambodia throughout the life course"
PROJECTS = [
    ProjectSpec(
        organisation="care",
        code=FIA_PROJECT,
        name_en="Feminists in Action",
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        donor="afd",
        consortium="feminists-in-action",
        partners=("lscw", "banteay-srei", "act", "cwcc", "lsg", "mrc"),
        target_areas=("01", "02", "16", "17"),
    ),
    ProjectSpec(
        organisation="ccdo",
        code="ccdo-elc-2022-2023",
        name_en=f"{ELC} (2022–2023)",
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
        donor="si-foundation",
        target_areas=("1702", "1703", "1709"),
    ),
    ProjectSpec(
        organisation="ccdo",
        code="ccdo-elc-2024",
        name_en=f"{ELC} (2024)",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        donor="si-foundation",
        target_areas=("1702", "1703", "1709"),
    ),
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class UserSpec:
    username: str
    organisation: str
    role: str
    first_name: str
    last_name: str
    areas: tuple[str, ...] = ()
    donor: str | None = None


# A login for every role; the names are synthetic.
USERS = [
    UserSpec(
        username="ccdo.admin",
        organisation="ccdo",
        role=Role.ADMIN,
        first_name="Sokunthea",
        last_name="Keo",
    ),
    UserSpec(
        username="ccdo.me",
        organisation="ccdo",
        role=Role.ME_OFFICER,
        first_name="Chariya",
        last_name="Ly",
    ),
    UserSpec(
        username="ccdo.facilitator",
        organisation="ccdo",
        role=Role.FACILITATOR,
        first_name="Sreyleak",
        last_name="Meas",
        areas=("1702",),
    ),
    UserSpec(
        username="ccdo.viewer",
        organisation="ccdo",
        role=Role.VIEWER,
        first_name="Vanna",
        last_name="Pech",
    ),
    UserSpec(
        username="si.donor",
        organisation="ccdo",
        role=Role.DONOR_VIEWER,
        first_name="Margaret",
        last_name="Hill",
        donor="si-foundation",
    ),
    UserSpec(
        username="care.admin",
        organisation="care",
        role=Role.ADMIN,
        first_name="Sopheap",
        last_name="Tep",
    ),
    UserSpec(
        username="care.lead",
        organisation="care",
        role=Role.ME_OFFICER,
        first_name="Rathana",
        last_name="Chhim",
    ),
    UserSpec(
        username="afd.donor",
        organisation="care",
        role=Role.DONOR_VIEWER,
        first_name="Claire",
        last_name="Martin",
        donor="afd",
    ),
    UserSpec(
        username="bs.admin",
        organisation="banteay-srei",
        role=Role.ADMIN,
        first_name="Bopha",
        last_name="Sun",
    ),
    UserSpec(
        username="bs.me",
        organisation="banteay-srei",
        role=Role.ME_OFFICER,
        first_name="Kunthea",
        last_name="Heng",
    ),
    UserSpec(
        username="bs.facilitator",
        organisation="banteay-srei",
        role=Role.FACILITATOR,
        first_name="Sreypov",
        last_name="Nuon",
        areas=("1706",),
    ),
    UserSpec(
        username="bs.viewer",
        organisation="banteay-srei",
        role=Role.VIEWER,
        first_name="Maly",
        last_name="Ros",
    ),
    UserSpec(
        username=SAFE_HOUSE_CASE_WORKER,
        organisation="banteay-srei",
        role=Role.CASE_WORKER,
        first_name="Sophea",
        last_name="Chea",
    ),
    UserSpec(
        username=SAFE_HOUSE_SUPERVISOR,
        organisation="banteay-srei",
        role=Role.CASE_SUPERVISOR,
        first_name="Rachana",
        last_name="Kong",
    ),
    UserSpec(
        username="lscw.admin",
        organisation="lscw",
        role=Role.ADMIN,
        first_name="Leakhena",
        last_name="Seng",
    ),
    UserSpec(
        username="livelearn.admin",
        organisation="live-learn",
        role=Role.ADMIN,
        first_name="Chenda",
        last_name="Prum",
    ),
    UserSpec(
        username="livelearn.facilitator",
        organisation="live-learn",
        role=Role.FACILITATOR,
        first_name="Pisey",
        last_name="Vong",
        areas=("16",),
    ),
]


@dataclasses.dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str  # a Role value
    organisation: str
    scope: str


@dataclasses.dataclass
class DemoResult:
    created: Counter[str]  # what this run created, by kind ("people", "activities"…)
    found: Counter[str]  # what was there already
    logins: list[Login]


class GazetteerMissing(Exception):
    pass


class AreaGazetteer:
    """The gazetteer as the plans read it: village codes and names, from the Area table."""

    def __init__(self) -> None:
        self._villages: dict[str, list[str]] = {}

    def villages(self, code: str) -> list[str]:
        if code not in self._villages:
            area = Area.objects.get(code=code)
            villages = list(
                Area.objects.filter(level=AreaLevel.VILLAGE, path__startswith=area.path)
                .order_by("code")
                .values_list("code", flat=True)
            )
            if not villages:
                raise GazetteerMissing(f"No villages in area {code}.")
            self._villages[code] = villages
        return self._villages[code]

    def names(self, code: str) -> tuple[str, str]:
        area = Area.objects.get(code=code)
        return area.name_en, area.name_km


def demo_build(*, log: Callable[[str], object] = lambda line: None) -> DemoResult:
    """Create whatever of the demo is missing; one transaction: all of it or nothing."""
    if not Area.objects.filter(code="17060208").exists():
        raise GazetteerMissing("The gazetteer is not loaded: run `samaki load_gazetteer` first.")
    gazetteer = AreaGazetteer()
    writer = _Writer(log)
    with transaction.atomic():
        writer.reference_data()
        for make_plan in [ccdo_plan, banteay_srei_plan, lscw_plan, live_and_learn_plan]:
            writer.plan(make_plan(gazetteer))
        safe_house = safe_house_build(
            organisation=writer.organisations["banteay-srei"], users=writer.users, log=log
        )
        writer.created.update(safe_house.created)
        writer.found.update(safe_house.found)
        voice = voice_build(
            organisations=writer.organisations,
            projects=writer.projects,
            users=writer.users,
            log=log,
        )
        writer.created.update(voice.created)
        writer.found.update(voice.found)
        writer.created["results frameworks"] += results_demo_build(
            projects=writer.projects, log=log
        )
    return DemoResult(created=writer.created, found=writer.found, logins=writer.logins())


def _cell_order(cell: tuple[str, int, int | None, int]) -> tuple[str, int, int]:
    return cell[0], cell[1], -1 if cell[2] is None else cell[2]


class _Writer:
    def __init__(self, log: Callable[[str], object]) -> None:
        self.log = log
        self.created: Counter[str] = Counter()
        self.found: Counter[str] = Counter()
        self.organisations: dict[str, Organisation] = {}
        self.donors: dict[str, Donor] = {}
        self.projects: dict[str, Project] = {}
        self.users: dict[str, User] = {}

    def _count(self, kind: str, created: bool, n: int = 1) -> None:
        (self.created if created else self.found)[kind] += n

    def _report(self, label: str, kinds: list[str]) -> None:
        parts = [
            f"{self.created[kind] + self.found[kind]:,} {kind} ({self.created[kind]:,} new)"
            for kind in kinds
        ]
        self.log(f"{label}: {', '.join(parts)}")

    # --- Organisations, donors, consortia, projects, users ------------------------------------

    def reference_data(self) -> None:
        existing = {o.slug: o for o in Organisation.objects.all()}
        for slug, name_en, name_km, acronym in ORGANISATIONS:
            organisation = existing.get(slug)
            if organisation is None:
                organisation = organisation_create(
                    by=SYSTEM, slug=slug, name_en=name_en, name_km=name_km, acronym=acronym
                )
            self._count("organisations", slug not in existing)
            self.organisations[slug] = organisation
        donors = {d.slug: d for d in Donor.objects.all()}
        for slug, name_en, name_km in DONORS:
            donor = donors.get(slug)
            if donor is None:
                donor = donor_create(by=SYSTEM, slug=slug, name_en=name_en, name_km=name_km)
            self._count("donors", slug not in donors)
            self.donors[slug] = donor
        consortia = set(Consortium.objects.values_list("slug", flat=True))
        for slug, name_en, lead, members in CONSORTIA:
            if slug not in consortia:
                consortium_create(
                    by=SYSTEM,
                    slug=slug,
                    name_en=name_en,
                    lead=self.organisations[lead],
                    members=[self.organisations[member] for member in members],
                )
            self._count("consortia", slug not in consortia)
        self._reference_projects()
        self._reference_users()
        self._report(
            "Reference data", ["organisations", "donors", "consortia", "projects", "users"]
        )

    def _reference_projects(self) -> None:
        existing = {
            (project.organisation.slug, project.code): project
            for project in Project.objects.select_related("organisation")
        }
        consortia = {c.slug: c for c in Consortium.objects.all()}
        for spec in PROJECTS:
            project = existing.get((spec.organisation, spec.code))
            if project is None:
                project = project_create(
                    organisation=self.organisations[spec.organisation],
                    by=SYSTEM,
                    code=spec.code,
                    name_en=spec.name_en,
                    starts_on=spec.starts_on,
                    ends_on=spec.ends_on,
                    donor=self.donors[spec.donor] if spec.donor else None,
                    consortium=consortia[spec.consortium] if spec.consortium else None,
                    partners=[self.organisations[slug] for slug in spec.partners],
                    target_area_codes=list(spec.target_areas),
                )
                self._count("projects", True)
            else:
                self._count("projects", False)
            self.projects[spec.code] = project

    def _reference_users(self) -> None:
        existing = {
            user.username: user
            for user in User.objects.filter(username__in=[spec.username for spec in USERS])
        }
        for spec in USERS:
            user = existing.get(spec.username)
            if user is None and is_case_role_name(spec.role):  # case staff: samaki.cases.staff
                user = case_staff_create(
                    by=SYSTEM,
                    organisation=self.organisations[spec.organisation],
                    username=spec.username,
                    password=DEMO_PASSWORD,
                    role=spec.role,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                )
            elif user is None:
                user = user_create(
                    by=SYSTEM,
                    organisation=self.organisations[spec.organisation],
                    username=spec.username,
                    password=DEMO_PASSWORD,
                    role=spec.role,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    area_codes=list(spec.areas),
                    donor=self.donors[spec.donor] if spec.donor else None,
                )
            self._count("users", spec.username not in existing)
            self.users[spec.username] = user

    def logins(self) -> list[Login]:
        logins = []
        for spec in USERS:
            scope = ""
            if spec.areas:
                areas = Area.objects.filter(code__in=spec.areas).order_by("code")
                scope = ", ".join(f"{area.name_en} ({area.code})" for area in areas)
            if spec.donor:
                scope = self.donors[spec.donor].name_en
            logins.append(
                Login(
                    username=spec.username,
                    password=DEMO_PASSWORD,
                    role=spec.role,
                    organisation=str(self.organisations[spec.organisation]),
                    scope=scope,
                )
            )
        return logins

    # --- An organisation's plan ---------------------------------------------------------------

    def plan(self, plan: Plan) -> None:
        organisation = self.organisations[plan.organisation]
        before_created, before_found = Counter(self.created), Counter(self.found)
        self._sites(organisation, plan)
        people = self._people(organisation, plan)
        groups = self._groups(organisation, plan)
        self._memberships(organisation, plan, groups, people)
        self._activities(organisation, plan, groups, people)
        self._outcomes(organisation, plan, people)
        kinds = ["sites", "people", "groups", "memberships", "activities", "attendances"]
        kinds += ["headcounts", "outcomes"]
        parts = []
        for kind in kinds:
            created = self.created[kind] - before_created[kind]
            total = created + self.found[kind] - before_found[kind]
            if total:
                parts.append(f"{total:,} {kind} ({created:,} new)")
        self.log(f"{organisation}: {', '.join(parts)}")

    def _sites(self, organisation: Organisation, plan: Plan) -> None:
        existing = set(
            Site.objects.filter(organisation=organisation).values_list("kind", "name_en")
        )
        for spec in plan.sites:
            if (spec.kind, spec.name_en) not in existing:
                site_create(
                    organisation=organisation,
                    by=SYSTEM,
                    name_en=spec.name_en,
                    name_km=spec.name_km,
                    kind=spec.kind,
                    area_code=spec.area_code,
                    established_on=spec.established_on,
                )
            self._count("sites", (spec.kind, spec.name_en) not in existing)

    def _people(self, organisation: Organisation, plan: Plan) -> dict[str, Person]:
        people = {
            person.external_id: person
            for person in Person.objects.filter(organisation=organisation).exclude(external_id="")
        }
        for spec in plan.people:
            if spec.external_id in people:
                self._count("people", False)
                continue
            seeing, hearing, walking, cognition, selfcare, communication = spec.wg
            people[spec.external_id] = person_register(
                organisation=organisation,
                by=SYSTEM,
                fields=PersonFields(
                    external_id=spec.external_id,
                    sex=spec.sex,
                    village_code=spec.village_code,
                    name_km=spec.name_km,
                    name_latin=spec.name_latin,
                    birth_date=spec.birth_date,
                    birth_year=spec.birth_year,
                    phone=spec.phone,
                    wg_seeing=seeing,
                    wg_hearing=hearing,
                    wg_walking=walking,
                    wg_cognition=cognition,
                    wg_selfcare=selfcare,
                    wg_communication=communication,
                    id_poor=spec.id_poor,
                ),
                registered_on=spec.registered_on,
                consent_given_by=spec.consent_given_by,
            )
            self._count("people", True)
        return people

    def _groups(self, organisation: Organisation, plan: Plan) -> dict[str, Group]:
        groups = {
            group.external_id: group
            for group in Group.objects.filter(organisation=organisation).exclude(external_id="")
        }
        for spec in plan.groups:
            if spec.external_id in groups:
                self._count("groups", False)
                continue
            groups[spec.external_id] = group_create(
                organisation=organisation,
                by=SYSTEM,
                external_id=spec.external_id,
                name_en=spec.name_en,
                name_km=spec.name_km,
                kind_code=spec.kind_code,
                area_code=spec.area_code,
                founded_on=spec.founded_on,
                parent=groups[spec.parent] if spec.parent else None,
                project=self.projects[spec.project] if spec.project else None,
            )
            self._count("groups", True)
        return groups

    def _memberships(
        self,
        organisation: Organisation,
        plan: Plan,
        groups: dict[str, Group],
        people: dict[str, Person],
    ) -> None:
        existing = set(
            Membership.objects.filter(organisation=organisation).values_list(
                "group_id", "person_id", "joined_on"
            )
        )
        for spec in plan.memberships:
            group, person = groups[spec.group], people[spec.person]
            found = (group.pk, person.pk, spec.joined_on) in existing
            if not found:
                membership_add(
                    group=group,
                    person=person,
                    by=SYSTEM,
                    joined_on=spec.joined_on,
                    role=spec.role,
                    left_on=spec.left_on,
                )
            self._count("memberships", not found)

    def _activities(
        self,
        organisation: Organisation,
        plan: Plan,
        groups: dict[str, Group],
        people: dict[str, Person],
    ) -> None:
        activities = {
            activity.external_id: activity
            for activity in Activity.objects.filter(organisation=organisation).exclude(
                external_id=""
            )
        }
        attendance: dict[int, set[int]] = {}
        for activity_id, person_id in Attendance.objects.filter(
            organisation=organisation
        ).values_list("activity_id", "person_id"):
            attendance.setdefault(activity_id, set()).add(person_id)
        headcounts: dict[int, list[tuple[str, int, int | None, int]]] = {}
        for activity_id, *cell in Headcount.objects.filter(organisation=organisation).values_list(
            "activity_id", "sex", "age_min", "age_max", "count"
        ):
            headcounts.setdefault(activity_id, []).append(tuple(cell))  # type: ignore[arg-type]

        for spec in plan.activities:
            activity = activities.get(spec.external_id)
            self._count("activities", activity is None)
            if activity is None:
                activity = activity_create(
                    organisation=organisation,
                    by=SYSTEM,
                    fields=ActivityFields(
                        external_id=spec.external_id,
                        kind_code=spec.kind_code,
                        date=spec.date,
                        area_code=spec.area_code,
                        title=spec.title,
                        topic_codes=spec.topic_codes,
                        project=self.projects[spec.project] if spec.project else None,
                        group=groups[spec.group] if spec.group else None,
                        facilitators=tuple(self.users[name] for name in spec.facilitators),
                        notes=spec.notes,
                    ),
                )
            attendees = [people[external_id] for external_id in spec.attendees]
            current = attendance.get(activity.pk, set())
            if {person.pk for person in attendees} != current:
                attendance_set(activity=activity, by=SYSTEM, people=attendees)
                self._count("attendances", True, len(attendees))
            else:
                self._count("attendances", False, len(attendees))
            if spec.headcount is not None:
                self._headcount(activity, spec.headcount, headcounts.get(activity.pk, []))

    def _headcount(
        self,
        activity: Activity,
        cells: list[HeadcountCell],
        current: list[tuple[str, int, int | None, int]],
    ) -> None:
        wanted = [(cell.sex, cell.age_min, cell.age_max, cell.count) for cell in cells]
        # headcount_set rewrites (and audits) even an unchanged headcount: call it only if needed.
        changed = sorted(wanted, key=_cell_order) != sorted(current, key=_cell_order)
        if changed:
            headcount_set(activity=activity, by=SYSTEM, cells=cells)
        self._count("headcounts", changed, len(cells))

    def _outcomes(self, organisation: Organisation, plan: Plan, people: dict[str, Person]) -> None:
        existing = set(
            Outcome.objects.filter(organisation=organisation)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        for spec in plan.outcomes:
            found = spec.external_id in existing
            if not found:
                outcome_record(
                    person=people[spec.person],
                    by=SYSTEM,
                    external_id=spec.external_id,
                    kind_code=spec.kind_code,
                    date=spec.date,
                    detail=spec.detail,
                    project=self.projects[spec.project] if spec.project else None,
                )
            self._count("outcomes", not found)
