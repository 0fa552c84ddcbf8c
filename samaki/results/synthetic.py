"""Synthetic programme data at any scale, for benchmarking the indicator engine.

`synthetic_generate(people=1_000_000, organisations=7, years=3)` builds one consortium of
`organisations` members (the first is the lead), one project each, groups, memberships,
activities of every kind with topics over `years` years ending in 2024, about ten attendances
per person, headcounts at campaigns and forums, and outcomes for a few people.

This is a benchmark fixture, not programme data, and it deliberately does NOT go through the
per-row services (`person_register`, `attendance_set`, …): those validate and audit every row,
which is right for people's records and far too slow for ten million rows (the import
benchmark in docs/benchmarks.md writes ~3,000 rows a second that way; this writes ~100,000).
So nothing here is audited, and nothing here should ever be run on a production database. The
rows are valid by construction (the test checks them against the schema's constraints on both
databases): ids are assigned here, so that attendance can point at the activities and people
generated a moment before without reading them back, and the sequences are moved past them at
the end.

On PostgreSQL the rows stream through `COPY … FROM STDIN`; when the user is a superuser,
foreign-key triggers are switched off for the load (`session_replication_role = replica`),
which is what makes ten million attendance rows take minutes rather than most of an hour.
On SQLite (small scales, tests) they go through `bulk_create` in batches.
"""

import dataclasses
import datetime
import io
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.areas.models import Area, AreaLevel
from samaki.groups.models import Group, GroupKind, Membership
from samaki.organisations.models import Consortium, ConsortiumMember, Organisation
from samaki.outcomes.models import Outcome, OutcomeKind
from samaki.people.models import IdPoor, Person
from samaki.projects.models import Project

CONSORTIUM_SLUG = "synthetic"
LAST_YEAR = 2024
ATTENDEES_PER_ACTIVITY = (5, 35)  # uniform: 20 on average, so ~10 attendances per person
ACTIVITIES_PER_PERSON = 0.53  # a few campaigns are counted, not registered
PEOPLE_PER_GROUP = 40

# Weights, roughly those of the seed programmes.
KIND_WEIGHTS = {
    "training": 20,
    "workshop": 10,
    "seminar": 4,
    "public_forum": 4,
    "campaign": 4,
    "home_visit": 15,
    "coaching": 10,
    "counselling": 5,
    "meeting_authorities": 3,
    "roundtable": 2,
    "group_meeting": 20,
    "community_event": 3,
}
HEADCOUNT_KINDS = {"campaign", "public_forum", "community_event"}
# Age on 1 January of the last year: (low, high, weight)
AGES = ((10, 17, 15), (18, 24, 20), (25, 49, 45), (50, 80, 20))
WG_ANSWERS = ((1, 90), (2, 7), (3, 25 / 10), (4, 5 / 10))


class SyntheticError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class SyntheticResult:
    organisations: int
    people: int
    groups: int
    memberships: int
    activities: int
    attendances: int
    headcounts: int
    outcomes: int
    consortium_id: int


def _pick(rng: random.Random, weights: dict[Any, float]) -> Callable[[], Any]:
    keys, values = list(weights), list(weights.values())
    cumulative = list(itertools.accumulate(values))

    def pick() -> Any:
        return rng.choices(keys, cum_weights=cumulative)[0]

    return pick


class _Writer:
    """Rows with their ids in, to the database in bulk: COPY on PostgreSQL, bulk_create else."""

    def __init__(self, progress: Callable[[str], object]) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.progress = progress

    def next_id(self, model: type[models.Model]) -> int:
        return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def write(self, model: Any, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]) -> int:
        table = model._meta.db_table
        written = 0
        if self.postgres:
            with connection.cursor() as cursor:
                sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    buffer = io.StringIO()
                    for row in rows:
                        buffer.write("\t".join(_copy_text(value) for value in row))
                        buffer.write("\n")
                        written += 1
                        if written % 100_000 == 0:
                            copy.write(buffer.getvalue())
                            buffer = io.StringIO()
                            if written % 1_000_000 == 0:
                                self.progress(f"{table}: {written:,}")
                    copy.write(buffer.getvalue())
            return written
        attnames = {field.column: field.attname for field in model._meta.concrete_fields}
        batch = []
        for row in rows:
            batch.append(model(**{attnames[c]: v for c, v in zip(columns, row, strict=True)}))
            if len(batch) == 5000:
                model._default_manager.bulk_create(batch)
                written += len(batch)
                batch = []
        model._default_manager.bulk_create(batch)
        return written + len(batch)

    def finish(self, tables: Sequence[str]) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def synthetic_generate(
    *,
    people: int,
    organisations: int = 7,
    years: int = 3,
    seed: int = 2024,
    progress: Callable[[str], object] = lambda message: None,
) -> SyntheticResult:
    """Generate the data; refuses to run twice in one database."""
    if people < organisations or organisations < 1 or years < 1:
        raise SyntheticError("Ask for at least one person per organisation and one year.")
    if Consortium.objects.filter(slug=CONSORTIUM_SLUG).exists():
        raise SyntheticError("Synthetic data is already here: generate into a fresh database.")
    villages_by_province: dict[int, list[int]] = {}
    for pk, province in Area.objects.filter(level=AreaLevel.VILLAGE).values_list(
        "pk", "province_id"
    ):
        villages_by_province.setdefault(province, []).append(pk)
    if not villages_by_province:
        raise SyntheticError("Load the gazetteer first: samaki load_gazetteer.")
    rng = random.Random(seed)  # noqa: S311 - plausible data, not secrets
    first_day = datetime.date(LAST_YEAR - years + 1, 1, 1)
    days = (datetime.date(LAST_YEAR, 12, 31) - first_day).days + 1
    now = timezone.now()

    with transaction.atomic():
        writer = _Writer(progress)
        if writer.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    # Valid by construction; FK triggers would cost a lookup per row.
                    cursor.execute("SET LOCAL session_replication_role = replica")

        # Organisations, the consortium, one project each (a handful of rows: the ORM).
        orgs = [
            Organisation.objects.create(
                slug=f"syn-{index:02d}",
                name_en=f"Synthetic organisation {index}",
                name_km=f"អង្គការសាកល្បង {index}",
                acronym=f"SYN{index}",
            )
            for index in range(1, organisations + 1)
        ]
        consortium = Consortium.objects.create(
            slug=CONSORTIUM_SLUG,
            name_en="Synthetic consortium",
            name_km="សម្ព័ន្ធសាកល្បង",
            lead=orgs[0],
        )
        ConsortiumMember.objects.bulk_create(
            ConsortiumMember(consortium=consortium, organisation=org, joined_on=first_day)
            for org in orgs[1:]
        )
        projects = [
            Project.objects.create(
                organisation=org,
                code=f"{org.slug}-programme",
                name_en=f"{org.name_en}: programme",
                consortium=consortium,
                starts_on=first_day,
                ends_on=datetime.date(LAST_YEAR, 12, 31),
            )
            for org in orgs
        ]
        provinces = sorted(villages_by_province)
        org_villages = [
            villages_by_province[provinces[(index * 3) % len(provinces)]]
            for index in range(len(orgs))
        ]

        # People, split unevenly between the organisations.
        weights = [rng.uniform(1, 3) for _org in orgs]
        sizes = [max(1, int(people * w / sum(weights))) for w in weights]
        sizes[0] += people - sum(sizes)
        person_start = writer.next_id(Person)
        org_people: list[tuple[int, int]] = []  # (first id, count)
        next_id = person_start
        for size in sizes:
            org_people.append((next_id, size))
            next_id += size
        writer.write(Person, _PERSON_COLUMNS, _people(rng, orgs, org_people, org_villages, now))
        progress(f"people: {people:,}")

        # Groups and memberships.
        group_start = writer.next_id(Group)
        group_kinds = list(GroupKind.objects.filter(organisation=None).values_list("pk", flat=True))
        org_groups: list[tuple[int, int]] = []
        next_id = group_start
        for size in sizes:
            count = max(1, size // PEOPLE_PER_GROUP)
            org_groups.append((next_id, count))
            next_id += count
        n_groups = writer.write(
            Group,
            ("id", "organisation_id", "external_id", "name_en", "name_km", "kind_id", "area_id",
             "founded_on", "parent_id", "project_id"),
            (
                (first + i, org.pk, "", f"Group {first + i}", "", rng.choice(group_kinds),
                 rng.choice(villages), first_day - datetime.timedelta(days=rng.randrange(2000)),
                 None, project.pk)
                for org, project, (first, count), villages in zip(
                    orgs, projects, org_groups, org_villages, strict=True
                )
                for i in range(count)
            ),
        )  # fmt: skip

        def memberships() -> Iterator[tuple[Any, ...]]:
            for org, (first, count), (gfirst, gcount) in zip(
                orgs, org_people, org_groups, strict=True
            ):
                for person in range(first, first + count):
                    draw = rng.random()
                    if draw >= 0.4:
                        continue
                    groups = rng.sample(
                        range(gfirst, gfirst + gcount), min(gcount, 1 + (draw < 0.05))
                    )
                    for group in groups:
                        joined = first_day + datetime.timedelta(days=rng.randrange(days))
                        left = (
                            joined + datetime.timedelta(days=rng.randrange(30, 700))
                            if rng.random() < 0.1
                            else None
                        )
                        role = "leader" if rng.random() < 0.05 else "member"
                        yield (org.pk, group, person, role, joined, left)

        n_memberships = writer.write(
            Membership,
            ("organisation_id", "group_id", "person_id", "role", "joined_on", "left_on"),
            memberships(),
        )
        progress(f"memberships: {n_memberships:,}")

        # Activities, their topics, attendance and headcounts.
        kinds = dict(ActivityKind.objects.filter(organisation=None).values_list("code", "pk"))
        pick_kind = _pick(rng, {kinds[code]: w for code, w in KIND_WEIGHTS.items()})
        headcount_kinds = {kinds[code] for code in HEADCOUNT_KINDS}
        topics = list(Topic.objects.filter(organisation=None).values_list("pk", flat=True))
        activity_start = writer.next_id(Activity)
        plan: list[tuple[int, int, int, int]] = []  # (activity id, org index, kind, size)
        next_id = activity_start
        for index, (_first, count) in enumerate(org_people):
            for _n in range(max(1, int(count * ACTIVITIES_PER_PERSON))):
                plan.append((next_id, index, pick_kind(), rng.randint(*ATTENDEES_PER_ACTIVITY)))
                next_id += 1
        activity_dates = [rng.randrange(days) for _row in plan]
        n_activities = writer.write(
            Activity,
            ("id", "organisation_id", "external_id", "project_id", "kind_id", "title", "date",
             "area_id", "group_id", "notes"),
            (
                (pk, orgs[index].pk, "", projects[index].pk, kind, "",
                 first_day + datetime.timedelta(days=day), rng.choice(org_villages[index]),
                 (org_groups[index][0] + rng.randrange(org_groups[index][1]))
                 if rng.random() < 0.4 else None,
                 "")
                for (pk, index, kind, _size), day in zip(plan, activity_dates, strict=True)
            ),
        )  # fmt: skip
        progress(f"activities: {n_activities:,}")
        writer.write(
            Activity.topics.through,
            ("activity_id", "topic_id"),
            (
                (pk, topic)
                for pk, _index, _kind, _size in plan
                for topic in rng.sample(topics, rng.randint(1, 2))
            ),
        )

        def attendances() -> Iterator[tuple[Any, ...]]:
            for pk, index, kind, size in plan:
                if kind in headcount_kinds and rng.random() < 0.5:
                    continue  # counted, not registered
                first, count = org_people[index]
                start = rng.randrange(count)
                org = orgs[index].pk
                for offset in range(min(size, count)):
                    yield (org, pk, first + (start + offset) % count)

        n_attendances = writer.write(
            Attendance, ("organisation_id", "activity_id", "person_id"), attendances()
        )
        progress(f"attendances: {n_attendances:,}")
        n_headcounts = writer.write(
            Headcount,
            ("organisation_id", "activity_id", "sex", "age_min", "age_max", "count"),
            (
                (orgs[index].pk, pk, sex, 18, None, rng.randint(10, 300))
                for pk, index, kind, _size in plan
                if kind in headcount_kinds
                for sex in ("female", "male")
            ),
        )

        # Outcomes: about one person in ten, a few of them two.
        outcome_kinds = list(
            OutcomeKind.objects.filter(organisation=None).values_list("pk", flat=True)
        )

        def outcomes() -> Iterator[tuple[Any, ...]]:
            for index, (first, count) in enumerate(org_people):
                for person in range(first, first + count):
                    draw = rng.random()
                    if draw >= 0.1:
                        continue
                    for kind in rng.sample(outcome_kinds, 1 + (draw < 0.01)):
                        day = first_day + datetime.timedelta(days=rng.randrange(days))
                        yield (orgs[index].pk, "", person, kind, day, "", projects[index].pk)

        n_outcomes = writer.write(
            Outcome,
            ("organisation_id", "external_id", "person_id", "kind_id", "date", "detail",
             "project_id"),
            outcomes(),
        )  # fmt: skip
        writer.finish([model._meta.db_table for model in (Person, Group, Activity)])
    if writer.postgres:
        with connection.cursor() as cursor:
            for model in (Person, Group, Membership, Activity, Attendance, Headcount, Outcome):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
            cursor.execute(f"ANALYZE {Activity.topics.through._meta.db_table}")
    return SyntheticResult(
        organisations=len(orgs),
        people=people,
        groups=n_groups,
        memberships=n_memberships,
        activities=n_activities,
        attendances=n_attendances,
        headcounts=n_headcounts,
        outcomes=n_outcomes,
        consortium_id=consortium.pk,
    )


_PERSON_COLUMNS = (
    "id", "organisation_id", "external_id", "name_km", "name_latin", "sex", "birth_date",
    "birth_year", "village_id", "phone", "wg_seeing", "wg_hearing", "wg_walking", "wg_cognition",
    "wg_selfcare", "wg_communication", "id_poor", "registered_on", "latin_key", "khmer_key",
    "created_at", "updated_at",
)  # fmt: skip


def _people(
    rng: random.Random,
    orgs: list[Organisation],
    org_people: list[tuple[int, int]],
    org_villages: list[list[int]],
    now: datetime.datetime,
) -> Iterator[tuple[Any, ...]]:
    pick_sex = _pick(rng, {"female": 75, "male": 24, "other": 1})
    pick_ages = _pick(rng, {(low, high): w for low, high, w in AGES})
    pick_wg = _pick(rng, dict(WG_ANSWERS))
    pick_poor = _pick(
        rng, {IdPoor.LEVEL_1: 10, IdPoor.LEVEL_2: 15, IdPoor.NOT_POOR: 50, IdPoor.UNKNOWN: 25}
    )
    registered_from = datetime.date(LAST_YEAR - 4, 1, 1)
    for org, (first, count), villages in zip(orgs, org_people, org_villages, strict=True):
        for pk in range(first, first + count):
            low, high = pick_ages()
            birth_year = LAST_YEAR - rng.randint(low, high)
            known = rng.random()
            birth_date: datetime.date | None = None
            if known < 0.7:
                birth_date = datetime.date(birth_year, 1, 1) + datetime.timedelta(
                    days=rng.randrange(365)
                )
            year = birth_year if known < 0.95 else None
            answers = [pick_wg() for _domain in range(6)] if rng.random() < 0.85 else [None] * 6
            name = f"Synthetic {pk}"
            yield (
                pk, org.pk, "", "", name, pick_sex(), birth_date, year, rng.choice(villages),
                "", *answers, pick_poor(),
                registered_from + datetime.timedelta(days=rng.randrange(1500)),
                name.lower(), "", now, now,
            )  # fmt: skip
