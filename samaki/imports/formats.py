"""The import formats: their columns (English and Khmer headers) and how a row becomes records.

Each format checks every row first (cell by cell, then with one query per lookup for the whole
file), and only then writes, through the same services as the web forms. docs/imports.md says
how to add a format.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.areas.models import Area, AreaLevel
from samaki.groups.models import Group, GroupKind, MemberRole, Membership
from samaki.groups.services import group_create, membership_add
from samaki.imports import values
from samaki.organisations.models import Organisation
from samaki.outcomes.models import Outcome, OutcomeKind
from samaki.outcomes.services import outcome_record
from samaki.people.models import WG_FIELDS, IdPoor, Person, RegistrationChannel, Sex
from samaki.people.queries import people_by_external_id
from samaki.people.services import PersonFields, person_register_reviewed, person_update
from samaki.projects.models import Project

SEX_WORDS = {
    "female": Sex.FEMALE, "f": Sex.FEMALE, "woman": Sex.FEMALE, "ស្រី": Sex.FEMALE,
    "male": Sex.MALE, "m": Sex.MALE, "man": Sex.MALE, "ប្រុស": Sex.MALE,
    "other": Sex.OTHER, "ផ្សេងទៀត": Sex.OTHER,
}  # fmt: skip


def sex(value: Any) -> str:
    word = values.text(value).lower()
    if word not in SEX_WORDS:
        raise values.BadValue(_("Write female, male or other (or ស្រី, ប្រុស)."))
    return SEX_WORDS[word]


def wg_answer(value: Any) -> int | None:
    answer = values.integer(value)
    if answer is not None and answer not in {1, 2, 3, 4}:
        raise values.BadValue(
            _("The answer must be 1, 2, 3 or 4 (no difficulty … cannot do at all).")
        )
    return answer


def id_poor(value: Any) -> str:
    word = values.code(value).lower()
    if not word:
        return IdPoor.UNKNOWN
    aliases = {"1": IdPoor.LEVEL_1, "2": IdPoor.LEVEL_2, "0": IdPoor.NOT_POOR}
    word = aliases.get(word, word)
    if word not in IdPoor.values:
        raise values.BadValue(_("Write poor_1, poor_2, not_poor or unknown (or 1, 2, 0)."))
    return word


def member_role(value: Any) -> str:
    word = values.code(value).lower() or MemberRole.MEMBER
    if word not in MemberRole.values:
        raise values.BadValue(_("Write member, leader, mentor or facilitator."))
    return word


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    en: str | Promise
    km: str
    required: bool = False
    read: Callable[[Any], Any] = values.text
    example: str = ""

    @property
    def header(self) -> str:
        return f"{self.en} / {self.km}"


@dataclasses.dataclass
class Row:
    number: int  # as the spreadsheet shows it (the header is row 1)
    values: dict[str, Any]


@dataclasses.dataclass
class Context:
    organisation: Organisation
    by: Any
    errors: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    counts: dict[str, int] = dataclasses.field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    # Rows registered although they look like someone already there (on the review list).
    duplicates: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def fail(self, row: Row | int, column: str, message: str) -> None:
        """Note a problem in `row`'s cell of `column` (a column key)."""
        number = row.number if isinstance(row, Row) else row
        self.errors.append({"row": number, "column": column, "message": str(message)})

    def fail_service(
        self, row: Row, error: ValidationError | PermissionDenied, fmt: "ImportFormat"
    ) -> None:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.fail(row, fmt.column_for(field), " ".join(messages))
        else:
            self.fail(row, "", " ".join(getattr(error, "messages", [str(error)])))


@dataclasses.dataclass(frozen=True)
class ImportFormat:
    kind: str
    title: str | Promise
    columns: list[Column]
    check: Callable[[list[Row], Context], None]
    write: Callable[[list[Row], Context], None]
    # Service error field -> column key, where they differ.
    fields: dict[str, str] = dataclasses.field(default_factory=dict)

    def column_for(self, field: str) -> str:
        """The column key a service's error field names ("" when it is about the whole row)."""
        key = self.fields.get(field, field)
        return key if any(c.key == key for c in self.columns) else ""

    def header(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), "")


def _areas(codes: set[str]) -> dict[str, Area]:
    return {area.code: area for area in Area.objects.filter(code__in=codes)}


def _check_areas(rows: list[Row], ctx: Context, key: str, header: str, level: str | None) -> None:
    found = _areas({row.values[key] for row in rows if row.values.get(key)})
    for row in rows:
        code = row.values.get(key)
        if not code:
            continue
        area = found.get(code)
        if area is None:
            ctx.fail(row, header, _("Unknown area code “%(code)s”.") % {"code": code})
        elif level is not None and area.level != level:
            ctx.fail(row, header, _("“%(code)s” is not a village code.") % {"code": code})


def _check_unique(rows: list[Row], ctx: Context, key: str, header: str) -> None:
    first: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if value and value in first:
            ctx.fail(
                row, header, _("Also on row %(row)s: an ID appears once.") % {"row": first[value]}
            )
        if value:
            first.setdefault(value, row.number)


def _check_known(rows, ctx, key, header, known: set[str], message) -> None:
    for row in rows:
        value = row.values.get(key)
        if value and value not in known:
            ctx.fail(row, header, message % {"value": value})


def _vocabulary_codes(model: Any, organisation: Organisation) -> set[str]:
    from django.db.models import Q

    return set(
        model._default_manager.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation)
        ).values_list("code", flat=True)
    )


def _people_by_external_id(ctx: Context, ids: set[str]) -> dict[str, Person]:
    # The people she may see, as on her pages: one outside her areas is "no person of yours",
    # exactly like an external ID that does not exist; a merged-away record's ID leads to the
    # record she was merged into.
    return people_by_external_id(user=ctx.by, organisation_id=ctx.organisation.pk, external_ids=ids)


def _check_people_exist(rows: list[Row], ctx: Context, key: str, header: str) -> dict[str, Person]:
    people = _people_by_external_id(ctx, {row.values[key] for row in rows if row.values.get(key)})
    _check_known(
        rows,
        ctx,
        key,
        header,
        set(people),
        _("No person of yours has the external ID “%(value)s”."),
    )
    return people


# --- People -----------------------------------------------------------------------------------

PEOPLE_COLUMNS = [
    Column(
        "external_id", gettext_lazy("External ID"), "លេខសម្គាល់ខាងក្រៅ", True, values.code, "BS-0001"
    ),
    Column("name_km", gettext_lazy("Name in Khmer script"), "ឈ្មោះជាអក្សរខ្មែរ", example="សុខ ដារា"),
    Column(
        "name_latin", gettext_lazy("Name in Latin script"), "ឈ្មោះជាអក្សរឡាតាំង", example="Sok Dara"
    ),
    Column("sex", gettext_lazy("Sex"), "ភេទ", True, sex, "female"),
    Column(
        "birth_date",
        gettext_lazy("Date of birth"),
        "ថ្ងៃខែឆ្នាំកំណើត",
        read=values.date,
        example="31/08/1990",
    ),
    Column(
        "birth_year", gettext_lazy("Year of birth"), "ឆ្នាំកំណើត", read=values.integer, example="1990"
    ),
    Column("village_code", gettext_lazy("Village code"), "លេខកូដភូមិ", True, values.code, "17020101"),
    Column("phone", gettext_lazy("Phone"), "លេខទូរស័ព្ទ", example="012 345 678"),
    Column("id_poor", gettext_lazy("ID Poor"), "ប័ណ្ណក្រីក្រ", read=id_poor, example="poor_1"),
    *[
        Column(
            name,
            gettext_lazy("WG %(domain)s (1-4)") % {"domain": name[3:]},
            f"WG {name[3:]} (១-៤)",
            read=wg_answer,
            example="1",
        )
        for name in WG_FIELDS
    ],
    Column(
        "registered_on",
        gettext_lazy("Registered on"),
        "ថ្ងៃចុះឈ្មោះ",
        read=values.date,
        example="2024-08-01",
    ),
]


def people_check(rows: list[Row], ctx: Context) -> None:
    _check_unique(rows, ctx, "external_id", "external_id")
    _check_areas(rows, ctx, "village_code", "village_code", AreaLevel.VILLAGE)
    for row in rows:
        if not row.values.get("name_km") and not row.values.get("name_latin"):
            ctx.fail(
                row,
                "name_latin",
                _("Give her name in Khmer script, in Latin script, or both."),
            )


def _person_fields(row: Row) -> PersonFields:
    v = row.values
    return PersonFields(
        external_id=v["external_id"],
        name_km=v.get("name_km") or "",
        name_latin=v.get("name_latin") or "",
        sex=v["sex"],
        birth_date=v.get("birth_date"),
        birth_year=v.get("birth_year"),
        village_code=v["village_code"],
        phone=v.get("phone") or "",
        id_poor=v.get("id_poor") or IdPoor.UNKNOWN,
        **{name: v.get(name) for name in WG_FIELDS},
    )


def _same_person(person: Person, fields: PersonFields) -> bool:
    birth_year = fields.birth_date.year if fields.birth_date else fields.birth_year
    return (
        person.name_km == fields.name_km.strip()
        and person.name_latin == " ".join(fields.name_latin.split())
        and person.sex == fields.sex
        and person.birth_date == fields.birth_date
        and person.birth_year == birth_year
        and person.village.code == fields.village_code
        and person.phone == fields.phone.translate(values.KHMER_DIGITS).strip()
        and person.id_poor == fields.id_poor
        and all(getattr(person, name) == getattr(fields, name) for name in WG_FIELDS)
    )


def people_write(rows: list[Row], ctx: Context) -> None:
    existing = _people_by_external_id(ctx, {row.values["external_id"] for row in rows})
    for row in rows:
        fields = _person_fields(row)
        person = existing.get(fields.external_id)
        if person is not None and person.external_id != fields.external_id:
            # A merged-away record's ID: the row is about the record she was merged into, which
            # keeps her own external ID.
            fields = dataclasses.replace(fields, external_id=person.external_id)
        try:
            if person is None:
                _person, reviews = person_register_reviewed(
                    organisation=ctx.organisation,
                    by=ctx.by,
                    channel=RegistrationChannel.IMPORT,
                    fields=fields,
                    registered_on=row.values.get("registered_on"),
                )
                ctx.counts["created"] += 1
                ctx.duplicates += [
                    {"row": row.number, "candidate": review.candidate.samaki_number}
                    for review in reviews
                ]
            elif _same_person(person, fields):
                ctx.counts["unchanged"] += 1
            else:
                person_update(person=person, by=ctx.by, fields=fields)
                ctx.counts["updated"] += 1
        except (ValidationError, PermissionDenied) as error:
            ctx.fail_service(row, error, PEOPLE)


PEOPLE = ImportFormat("people", gettext_lazy("People"), PEOPLE_COLUMNS, people_check, people_write)

# --- Groups -----------------------------------------------------------------------------------

GROUP_COLUMNS = [
    Column(
        "external_id", gettext_lazy("External ID"), "លេខសម្គាល់ខាងក្រៅ", True, values.code, "SW-01"
    ),
    Column(
        "name_en",
        gettext_lazy("Name (English)"),
        "ឈ្មោះ (អង់គ្លេស)",
        True,
        example="Smart Women Sangkae",
    ),
    Column("name_km", gettext_lazy("Name (Khmer)"), "ឈ្មោះ (ខ្មែរ)", example="ស្ត្រីឆ្លាតវៃ"),
    Column("kind_code", gettext_lazy("Kind code"), "លេខកូដប្រភេទ", True, values.code, "smart_women"),
    Column("area_code", gettext_lazy("Area code"), "លេខកូដតំបន់", True, values.code, "17020101"),
    Column(
        "founded_on", gettext_lazy("Founded on"), "ថ្ងៃបង្កើត", read=values.date, example="2023-01-15"
    ),
    Column(
        "parent_external_id",
        gettext_lazy("Network's external ID"),
        "លេខសម្គាល់បណ្តាញ",
        read=values.code,
    ),
]


def groups_check(rows: list[Row], ctx: Context) -> None:
    _check_unique(rows, ctx, "external_id", "external_id")
    _check_areas(rows, ctx, "area_code", "area_code", None)
    known = _vocabulary_codes(GroupKind, ctx.organisation)
    _check_known(rows, ctx, "kind_code", "kind_code", known, _("Unknown group kind “%(value)s”."))
    in_file = {str(row.values["external_id"]) for row in rows if row.values.get("external_id")}
    parents = {
        row.values["parent_external_id"] for row in rows if row.values.get("parent_external_id")
    }
    in_db = set(
        Group.objects.filter(organisation=ctx.organisation, external_id__in=parents).values_list(
            "external_id", flat=True
        )
    )
    _check_known(
        rows,
        ctx,
        "parent_external_id",
        "parent_external_id",
        in_file | in_db,
        _("No group of yours has the external ID “%(value)s”."),
    )


def groups_write(rows: list[Row], ctx: Context) -> None:
    groups = {
        g.external_id: g
        for g in Group.objects.filter(organisation=ctx.organisation).exclude(external_id="")
    }
    for row in rows:
        v = row.values
        if v["external_id"] in groups:
            ctx.counts["unchanged"] += 1
            continue
        try:
            groups[v["external_id"]] = group_create(
                organisation=ctx.organisation,
                by=ctx.by,
                name_en=v["name_en"],
                name_km=v.get("name_km") or "",
                kind_code=v["kind_code"],
                area_code=v["area_code"],
                founded_on=v.get("founded_on"),
                parent=groups.get(v.get("parent_external_id") or ""),
                external_id=v["external_id"],
            )
            ctx.counts["created"] += 1
        except (ValidationError, PermissionDenied) as error:
            ctx.fail_service(row, error, GROUPS)


GROUPS = ImportFormat(
    "groups",
    gettext_lazy("Groups"),
    GROUP_COLUMNS,
    groups_check,
    groups_write,
    {"parent": "parent_external_id"},
)

# --- Memberships ------------------------------------------------------------------------------

MEMBERSHIP_COLUMNS = [
    Column(
        "group_external_id",
        gettext_lazy("Group's external ID"),
        "លេខសម្គាល់ក្រុម",
        True,
        values.code,
        "SW-01",
    ),
    Column(
        "person_external_id",
        gettext_lazy("Person's external ID"),
        "លេខសម្គាល់បុគ្គល",
        True,
        values.code,
        "BS-0001",
    ),
    Column("role", gettext_lazy("Role"), "តួនាទី", read=member_role, example="member"),
    Column("joined_on", gettext_lazy("Joined on"), "ថ្ងៃចូល", True, values.date, "2024-01-15"),
    Column("left_on", gettext_lazy("Left on"), "ថ្ងៃចាកចេញ", read=values.date),
]


def _groups(ctx: Context, ids: set[str]) -> dict[str, Group]:
    return {
        g.external_id: g
        for g in Group.objects.filter(
            organisation=ctx.organisation, external_id__in=ids
        ).select_related("organisation")
    }


def memberships_check(rows: list[Row], ctx: Context) -> None:
    groups = _groups(
        ctx,
        {row.values["group_external_id"] for row in rows if row.values.get("group_external_id")},
    )
    _check_known(
        rows,
        ctx,
        "group_external_id",
        "group_external_id",
        set(groups),
        _("No group of yours has the external ID “%(value)s”."),
    )
    _check_people_exist(rows, ctx, "person_external_id", "person_external_id")


def memberships_write(rows: list[Row], ctx: Context) -> None:
    groups = _groups(ctx, {row.values["group_external_id"] for row in rows})
    people = _people_by_external_id(ctx, {row.values["person_external_id"] for row in rows})
    existing = set(
        Membership.objects.filter(group__in=groups.values()).values_list(
            "group_id", "person_id", "joined_on"
        )
    )
    for row in rows:
        v = row.values
        group, person = groups[v["group_external_id"]], people[v["person_external_id"]]
        if (group.pk, person.pk, v["joined_on"]) in existing:
            ctx.counts["unchanged"] += 1
            continue
        try:
            membership_add(
                group=group,
                person=person,
                by=ctx.by,
                joined_on=v["joined_on"],
                role=v.get("role") or MemberRole.MEMBER,
                left_on=v.get("left_on"),
            )
            existing.add((group.pk, person.pk, v["joined_on"]))
            ctx.counts["created"] += 1
        except (ValidationError, PermissionDenied) as error:
            ctx.fail_service(row, error, MEMBERSHIPS)


MEMBERSHIPS = ImportFormat(
    "memberships",
    gettext_lazy("Group memberships"),
    MEMBERSHIP_COLUMNS,
    memberships_check,
    memberships_write,
    {"person": "person_external_id", "group": "group_external_id"},
)

# --- Activities with attendance ---------------------------------------------------------------

ACTIVITY_COLUMNS = [
    Column(
        "activity_external_id",
        gettext_lazy("Activity's external ID"),
        "លេខសម្គាល់សកម្មភាព",
        True,
        values.code,
        "TR-2024-001",
    ),
    Column("kind_code", gettext_lazy("Kind code"), "លេខកូដប្រភេទ", True, values.code, "training"),
    Column("date", gettext_lazy("Date"), "កាលបរិច្ឆេទ", True, values.date, "01/08/2024"),
    Column("area_code", gettext_lazy("Area code"), "លេខកូដតំបន់", True, values.code, "17020101"),
    Column("title", gettext_lazy("Title"), "ចំណងជើង", example="Savings basics"),
    Column(
        "project_code",
        gettext_lazy("Project code"),
        "លេខកូដគម្រោង",
        read=values.code,
        example="wee-2024",
    ),
    Column(
        "person_external_id",
        gettext_lazy("Attendee's external ID"),
        "លេខសម្គាល់អ្នកចូលរួម",
        read=values.code,
        example="BS-0001",
    ),
]
ACTIVITY_KEYS = ("kind_code", "date", "area_code", "title", "project_code")


def activities_check(rows: list[Row], ctx: Context) -> None:
    _check_areas(rows, ctx, "area_code", "area_code", None)
    known = _vocabulary_codes(ActivityKind, ctx.organisation)
    _check_known(
        rows, ctx, "kind_code", "kind_code", known, _("Unknown activity kind “%(value)s”.")
    )
    _check_people_exist(rows, ctx, "person_external_id", "person_external_id")
    projects = set(_projects_by_code(rows, ctx))
    _check_known(
        rows, ctx, "project_code", "project_code", projects, _("Unknown project “%(value)s”.")
    )
    first: dict[str, Row] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        v = row.values
        activity_id = v.get("activity_external_id")
        if not activity_id:
            continue
        head = first.setdefault(activity_id, row)
        for key in ACTIVITY_KEYS:
            if v.get(key) != head.values.get(key):
                ctx.fail(
                    row,
                    key,
                    _("Differs from row %(row)s for the same activity.") % {"row": head.number},
                )
        pair = (activity_id, v.get("person_external_id") or "")
        if pair[1] and pair in seen:
            ctx.fail(row, "person_external_id", _("She is listed twice for this activity."))
        seen.add(pair)


def _projects_by_code(rows: list[Row], ctx: Context) -> dict[str, Project]:
    """The organisation's projects the rows name, by code (one query; none when none is named)."""
    codes = {row.values["project_code"] for row in rows if row.values.get("project_code")}
    if not codes:
        return {}
    found = Project.objects.filter(organisation=ctx.organisation, code__in=codes)
    return {project.code: project for project in found}


def activities_write(rows: list[Row], ctx: Context) -> None:
    projects = _projects_by_code(rows, ctx)
    by_activity: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_activity[row.values["activity_external_id"]].append(row)
    existing = {
        a.external_id: a
        for a in Activity.objects.filter(
            organisation=ctx.organisation, external_id__in=list(by_activity)
        ).select_related("organisation", "area")
    }
    people = _people_by_external_id(
        ctx,
        {row.values["person_external_id"] for row in rows if row.values.get("person_external_id")},
    )
    attended: dict[int, set[int]] = defaultdict(set)
    pairs = Attendance.objects.filter(activity__in=existing.values())
    for activity_pk, person_pk in pairs.values_list("activity_id", "person_id"):
        attended[activity_pk].add(person_pk)
    for activity_id, activity_rows in by_activity.items():
        head = activity_rows[0]
        v = head.values
        try:
            activity = existing.get(activity_id)
            if activity is None:
                activity = activity_create(
                    organisation=ctx.organisation,
                    by=ctx.by,
                    fields=ActivityFields(
                        kind_code=v["kind_code"],
                        date=v["date"],
                        area_code=v["area_code"],
                        title=v.get("title") or "",
                        project=projects.get(v.get("project_code") or ""),
                        external_id=activity_id,
                    ),
                )
                ctx.counts["created"] += 1
            current = attended[activity.pk]
            wanted = {
                people[r.values["person_external_id"]].pk
                for r in activity_rows
                if r.values.get("person_external_id")
            }
            if wanted - current:
                everyone = [
                    Person(pk=pk, organisation_id=ctx.organisation.pk)
                    for pk in sorted(current | wanted)
                ]
                attendance_set(activity=activity, by=ctx.by, people=everyone)
                ctx.counts["attendances"] = ctx.counts.get("attendances", 0) + len(wanted - current)
            elif activity_id in existing:
                ctx.counts["unchanged"] += 1
        except (ValidationError, PermissionDenied) as error:
            ctx.fail_service(head, error, ACTIVITY)


ACTIVITY = ImportFormat(
    "activities",
    gettext_lazy("Activities with attendance"),
    ACTIVITY_COLUMNS,
    activities_check,
    activities_write,
    {"external_id": "activity_external_id", "people": "person_external_id"},
)

# --- Outcomes ---------------------------------------------------------------------------------

OUTCOME_COLUMNS = [
    Column(
        "external_id", gettext_lazy("External ID"), "លេខសម្គាល់ខាងក្រៅ", True, values.code, "OC-0001"
    ),
    Column(
        "person_external_id",
        gettext_lazy("Person's external ID"),
        "លេខសម្គាល់បុគ្គល",
        True,
        values.code,
        "BS-0001",
    ),
    Column(
        "kind_code", gettext_lazy("Kind code"), "លេខកូដប្រភេទ", True, values.code, "started_business"
    ),
    Column("date", gettext_lazy("Date"), "កាលបរិច្ឆេទ", True, values.date, "2024-08-01"),
    Column("detail", gettext_lazy("Detail"), "ព័ត៌មានលម្អិត", example="Vegetable stall"),
]


def outcomes_check(rows: list[Row], ctx: Context) -> None:
    _check_unique(rows, ctx, "external_id", "external_id")
    _check_people_exist(rows, ctx, "person_external_id", "person_external_id")
    known = _vocabulary_codes(OutcomeKind, ctx.organisation)
    _check_known(rows, ctx, "kind_code", "kind_code", known, _("Unknown outcome kind “%(value)s”."))


def outcomes_write(rows: list[Row], ctx: Context) -> None:
    people = _people_by_external_id(ctx, {row.values["person_external_id"] for row in rows})
    existing = set(
        Outcome.objects.filter(
            organisation=ctx.organisation, external_id__in=[r.values["external_id"] for r in rows]
        ).values_list("external_id", flat=True)
    )
    for row in rows:
        v = row.values
        if v["external_id"] in existing:
            ctx.counts["unchanged"] += 1
            continue
        try:
            outcome_record(
                person=people[v["person_external_id"]],
                by=ctx.by,
                kind_code=v["kind_code"],
                date=v["date"],
                detail=v.get("detail") or "",
                external_id=v["external_id"],
            )
            ctx.counts["created"] += 1
        except (ValidationError, PermissionDenied) as error:
            ctx.fail_service(row, error, OUTCOMES)


OUTCOMES = ImportFormat(
    "outcomes",
    gettext_lazy("Outcomes"),
    OUTCOME_COLUMNS,
    outcomes_check,
    outcomes_write,
    {"person": "person_external_id"},
)

FORMATS = {fmt.kind: fmt for fmt in (PEOPLE, GROUPS, MEMBERSHIPS, ACTIVITY, OUTCOMES)}
