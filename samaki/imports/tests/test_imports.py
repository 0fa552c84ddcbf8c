"""Excel/CSV imports: every bad cell named, all or nothing, and the same file twice changes nothing."""

import datetime
import io

import openpyxl
import pytest

from samaki.activities.models import Activity, Attendance
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.models import Group, Membership
from samaki.imports import values
from samaki.imports.formats import FORMATS
from samaki.imports.models import ImportJob, JobStatus
from samaki.imports.services import import_job_create, import_run, template_xlsx
from samaki.outcomes.models import Outcome
from samaki.people.models import Person

PEOPLE_HEADER = "External ID,Name in Khmer script,Name in Latin script,Sex,Date of birth,Village code,Phone,WG walking (1-4)\n"


def run(personas, kind: str, content: bytes, name: str = "file.csv", by=None) -> ImportJob:
    job = import_job_create(
        organisation=personas.home,
        by=by or personas.admin,
        kind=kind,
        file_name=name,
        content=content,
    )
    return import_run(job_id=job.pk)


def people_csv(rows: int, *, bad_row: int | None = None) -> bytes:
    lines = [PEOPLE_HEADER]
    for n in range(rows):
        village = "99999999" if n == bad_row else VILLAGE_IN_ANGKOR_THUM
        lines.append(f"P{n:05d},,Person {n},female,1990-01-01,{village},,1\n")
    return "".join(lines).encode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-08-31", datetime.date(2024, 8, 31)),
        ("31/08/2024", datetime.date(2024, 8, 31)),
        ("31.8.2024", datetime.date(2024, 8, 31)),
        ("៣១/០៨/២០២៤", datetime.date(2024, 8, 31)),
        ("31-Aug-2024", datetime.date(2024, 8, 31)),
        ("31 សីហា 2024", datetime.date(2024, 8, 31)),
        (datetime.datetime(2024, 8, 31), datetime.date(2024, 8, 31)),  # noqa: DTZ001 - Excel cells are naive
    ],
)
def test_dates_are_read_as_people_type_them(typed, expected):
    assert values.date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"), [("១២៣៤", 1234), ("1,234", 1234), (1990.0, 1990), ("  7 ", 7)]
)
def test_numbers_are_read_as_people_type_them(typed, expected):
    assert values.integer(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2024", "tomorrow", "2024/31/12"])
def test_impossible_dates_are_refused_with_the_expected_form(typed):
    with pytest.raises(values.BadValue, match="Expected a date like 2024-08-31"):
        values.date(typed)


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_templates_name_every_column_in_english_and_khmer(kind):
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind))).active
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == len(FORMATS[kind].columns)
    for header, column in zip(headers, FORMATS[kind].columns, strict=True):
        assert header.startswith(f"{column.en} / {column.km}")


def test_one_bad_row_among_ten_thousand_lands_nothing_and_names_the_row(personas):
    job = run(personas, "people", people_csv(10_000, bad_row=6_789))
    assert job.status == JobStatus.FAILED
    assert job.result["errors"] == [
        {
            "row": 6_791,  # the header is row 1; row 6,789 counted from 0 is spreadsheet row 6,791
            "column": "village_code",
            "header": "Village code / លេខកូដភូមិ",
            "message": "Unknown area code “99999999”.",
        }
    ]
    assert Person.objects.count() == 0
    assert job.done == 10_000 or job.total == 10_000


def test_every_bad_cell_is_reported_and_nothing_lands(personas):
    content = (
        PEOPLE_HEADER
        + f"A1,,Sok Dara,female,31/08/1990,{VILLAGE_IN_ANGKOR_THUM},,1\n"
        + "A2,,Chan Mony,lady,1990-13-01,17020101,,9\n"
        + f"A1,,,male,,{VILLAGE_IN_ANGKOR_THUM},,\n"
    ).encode()
    job = run(personas, "people", content)
    found = sorted((e["row"], e["column"]) for e in job.result["errors"])
    assert found == [
        (3, "birth_date"),
        (3, "sex"),
        (3, "wg_walking"),
        (4, "external_id"),
        (4, "name_latin"),
    ]
    assert Person.objects.count() == 0


def test_a_service_refusal_rolls_back_the_rows_before_it(personas):
    """The checks pass, but the facilitator may not write outside her district: nothing lands."""
    content = (
        PEOPLE_HEADER
        + f"A1,,Sok Dara,female,,{VILLAGE_IN_ANGKOR_THUM},,\n"
        + f"A2,,Chan Mony,female,,{VILLAGE_IN_BANTEAY_SREI},,\n"
    ).encode()
    job = run(personas, "people", content, by=personas.facilitator)
    assert job.result["errors"] == [
        {"row": 3, "column": "", "header": "", "message": "This is outside your working areas."}
    ]
    assert Person.objects.count() == 0


def test_reimporting_the_same_file_changes_nothing(personas):
    content = (
        "External ID;Name in Khmer script;Name in Latin script;Sex;Date of birth;Village code;Phone;WG walking (1-4)\n"
        f"A1;សុខ ដារា;Sok Dara;ស្រី;៣១/០៨/១៩៩០;{VILLAGE_IN_ANGKOR_THUM};០១២ ៣៤៥ ៦៧៨;៣\n"
    ).encode()
    first = run(personas, "people", content)
    assert first.result == {"created": 1, "updated": 0, "unchanged": 0}
    person = Person.objects.get()
    assert (person.name_km, person.birth_date, person.phone, person.wg_walking) == (
        "សុខ ដារា",
        datetime.date(1990, 8, 31),
        "012 345 678",
        3,
    )
    audits = AuditEvent.objects.filter(action__startswith="person.").count()
    second = run(personas, "people", content)
    assert second.result == {"created": 0, "updated": 0, "unchanged": 1}
    assert AuditEvent.objects.filter(action__startswith="person.").count() == audits
    changed = run(personas, "people", content.replace(b"Sok Dara", b"Sok Dara Chan"))
    assert changed.result == {"created": 0, "updated": 1, "unchanged": 0}
    assert Person.objects.get().name_latin == "Sok Dara Chan"


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_groups_memberships_activities_and_outcomes_from_excel(personas):
    run(personas, "people", people_csv(3))
    groups = xlsx(
        [
            [
                "External ID / លេខសម្គាល់ខាងក្រៅ *",
                "Name (English)",
                "Kind code",
                "Area code",
                "Network's external ID",
            ],
            ["NET", "Smart Women network", "smart_women", "1702", None],
            ["SW-1", "Smart Women Sangkae", "smart_women", 17020101, "NET"],
        ]
    )
    assert run(personas, "groups", groups, "groups.xlsx").result == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert Group.objects.get(external_id="SW-1").parent.external_id == "NET"
    members = xlsx(
        [
            ["Group's external ID", "Person's external ID", "Role", "Joined on"],
            ["SW-1", "P00000", "leader", datetime.datetime(2024, 1, 15)],  # noqa: DTZ001  # noqa: DTZ001
            ["SW-1", "P00001", "", "15/01/2024"],
        ]
    )
    assert run(personas, "memberships", members, "m.xlsx").result["created"] == 2
    assert run(personas, "memberships", members, "m.xlsx").result["unchanged"] == 2
    assert Membership.objects.filter(role="leader").count() == 1
    sessions = xlsx(
        [
            [
                "Activity's external ID",
                "Kind code",
                "Date",
                "Area code",
                "Title",
                "Attendee's external ID",
            ],
            ["T1", "training", "01/08/2024", VILLAGE_IN_ANGKOR_THUM, "Savings", "P00000"],
            ["T1", "training", "01/08/2024", VILLAGE_IN_ANGKOR_THUM, "Savings", "P00001"],
            ["T2", "training", "02/08/2024", VILLAGE_IN_ANGKOR_THUM, "Savings", "P00002"],
        ]
    )
    result = run(personas, "activities", sessions, "a.xlsx").result
    assert (result["created"], result["attendances"]) == (2, 3)
    again = run(personas, "activities", sessions, "a.xlsx").result
    assert again == {"created": 0, "updated": 0, "unchanged": 2}
    assert Activity.objects.count() == 2
    assert Attendance.objects.count() == 3
    outcomes = "External ID,Person's external ID,Kind code,Date,Detail\nO1,P00000,started_business,2024-08-01,Stall\n"
    from samaki.outcomes.models import OutcomeKind

    if not OutcomeKind.objects.filter(code="started_business").exists():
        code = OutcomeKind.objects.values_list("code", flat=True).first()
        outcomes = outcomes.replace("started_business", code)
    assert run(personas, "outcomes", outcomes.encode()).result["created"] == 1
    assert run(personas, "outcomes", outcomes.encode()).result["unchanged"] == 1
    assert Outcome.objects.count() == 1


def test_missing_required_column_is_named(personas):
    job = run(personas, "people", b"External ID,Sex\nA1,female\n")
    assert {e["message"] for e in job.result["errors"]} == {
        "The column “Village code / លេខកូដភូមិ” is missing."
    }


def test_not_a_spreadsheet_is_a_clear_error(personas):
    job = run(personas, "people", b"PK\x03\x04garbage", "x.xlsx")
    assert job.status == JobStatus.FAILED
    assert "not an Excel file" in job.result["errors"][0]["message"]


def test_upload_page_runs_the_job_and_shows_progress(client, personas):
    client.force_login(personas.admin)
    upload = io.BytesIO(people_csv(2))
    upload.name = "people.csv"
    response = client.post("/imports/", {"kind": "people", "file": upload})
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert '<progress max="100" value="100"' in page
    assert "Imported: 2 new, 0 changed, 0 already there." in page
    client.force_login(personas.outsider)
    assert client.get(f"/imports/{job.pk}/").status_code == 404


def test_viewer_cannot_import(client, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_job_create(
            organisation=personas.home,
            by=personas.viewer,
            kind="people",
            file_name="x.csv",
            content=b"",
        )


def test_an_attendee_outside_her_areas_is_not_found_like_an_id_that_does_not_exist(personas):
    """A facilitator's file names people as her pages show them: one of another district of the
    same organisation is "no person of yours", with the very words of an unknown ID."""
    personas.person(name="Sok Dara", external_id="NEAR-1")
    far = personas.person(name="Chan Mony", village=VILLAGE_IN_BANTEAY_SREI, external_id="FAR-1")
    header = "Activity's external ID,Kind code,Date,Area code,Title,Attendee's external ID\n"
    content = (
        header
        + f"T1,training,01/08/2024,{VILLAGE_IN_ANGKOR_THUM},Savings,NEAR-1\n"
        + f"T1,training,01/08/2024,{VILLAGE_IN_ANGKOR_THUM},Savings,FAR-1\n"
        + f"T1,training,01/08/2024,{VILLAGE_IN_ANGKOR_THUM},Savings,NONE-1\n"
    ).encode()
    job = run(personas, "activities", content, by=personas.facilitator)
    assert [(e["row"], e["message"]) for e in job.result["errors"]] == [
        (3, "No person of yours has the external ID “FAR-1”."),
        (4, "No person of yours has the external ID “NONE-1”."),
    ]
    assert Activity.objects.count() == 0
    assert not far.attendances.exists()


def test_creating_an_import_job_is_audited_with_its_author(personas):
    job = import_job_create(
        organisation=personas.home,
        by=personas.facilitator,
        kind="people",
        file_name="people.csv",
        content=PEOPLE_HEADER.encode(),
    )
    row = AuditEvent.objects.get(action="import.create")
    assert (row.actor, row.object_id, row.after["file_name"]) == (
        personas.facilitator,
        str(job.pk),
        "people.csv",
    )


def test_imported_sessions_count_under_the_project_their_rows_name(personas):
    """A session imported with a project code is the project's (its figures count there); a code
    that is not one of her organisation's projects — another organisation's included — is named
    on its row, and nothing lands."""
    from samaki.accounts.access import SYSTEM
    from samaki.projects.services import project_create

    period = {"starts_on": datetime.date(2024, 1, 1), "ends_on": datetime.date(2024, 12, 31)}
    ours = project_create(
        organisation=personas.home, by=SYSTEM, code="wee", name_en="WEE", **period
    )
    project_create(organisation=personas.other, by=SYSTEM, code="theirs", name_en="T", **period)
    personas.person(name="Sok Dara", external_id="P-1")
    header = "Activity's external ID,Kind code,Date,Area code,Title,Project code,Attendee's external ID\n"
    row = f"training,01/08/2024,{VILLAGE_IN_ANGKOR_THUM},Savings"
    bad = (header + f"T1,{row},theirs,P-1\n" + f"T2,{row},nowhere,P-1\n").encode()
    job = run(personas, "activities", bad)
    assert [(e["row"], e["column"], e["message"]) for e in job.result["errors"]] == [
        (2, "project_code", "Unknown project “theirs”."),
        (3, "project_code", "Unknown project “nowhere”."),
    ]
    assert Activity.objects.count() == 0
    good = (header + f"T1,{row},wee,P-1\n" + f"T2,{row},,P-1\n").encode()
    job = run(personas, "activities", good)
    assert job.status == JobStatus.DONE, job.result
    assert {a.external_id: a.project_id for a in Activity.objects.all()} == {
        "T1": ours.pk,
        "T2": None,
    }
