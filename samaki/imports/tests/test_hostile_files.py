"""Hostile spreadsheets: refused with a message, nothing imported, memory bounded."""

import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.imports import services
from samaki.imports.models import ImportJob, JobStatus
from samaki.imports.services import MAX_ROWS, import_job_create, import_run
from samaki.imports.tests.hostile import (
    many_rows_csv,
    million_rows_xlsx,
    minimal_xlsx,
    wide_xlsx,
    write_files,
)
from samaki.people.models import Person

REPOSITORY = Path(__file__).resolve().parents[3]


def run(personas, content: bytes, name: str) -> ImportJob:
    job = import_job_create(
        organisation=personas.home,
        by=personas.admin,
        kind="people",
        file_name=name,
        content=content,
    )
    return import_run(job_id=job.pk)


def messages(job: ImportJob) -> list[str]:
    return [error["message"] for error in job.result["errors"]]


def people_xlsx(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["External ID", "Name in Latin script", "Sex", "Village code"])
    for n in range(rows):
        sheet.append([f"P{n}", f"Person {n}", "female", VILLAGE_IN_ANGKOR_THUM])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_small_sheet_declaring_a_million_rows_is_refused_and_nothing_lands(personas):
    content = million_rows_xlsx()
    assert len(content) < 2_000
    job = run(personas, content, "hostile.xlsx")
    assert job.status == JobStatus.FAILED
    assert messages(job) == [f"The file has more than {MAX_ROWS} rows: split it."]
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import.land").exists()


def test_a_header_wider_than_max_columns_is_refused(personas):
    job = run(personas, wide_xlsx(), "wide.xlsx")
    assert messages(job) == [
        "The file has more than 200 columns: delete the ones Samaki does not need."
    ]
    assert Person.objects.count() == 0


def test_one_real_row_too_many_in_a_csv_is_refused(personas):
    job = run(personas, many_rows_csv(MAX_ROWS + 1), "people.csv")
    assert messages(job) == [f"The file has more than {MAX_ROWS} rows: split it."]
    assert Person.objects.count() == 0


def test_one_real_row_too_many_in_an_xlsx_is_refused(personas, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 5)
    assert messages(run(personas, people_xlsx(6), "people.xlsx")) == [
        "The file has more than 5 rows: split it."
    ]
    assert Person.objects.count() == 0
    assert run(personas, people_xlsx(5), "people.xlsx").result["created"] == 5


def test_a_sheet_declaring_more_than_it_holds_still_imports(personas):
    header = [("A", "External ID"), ("B", "Name in Latin script"), ("C", "Sex")]
    content = minimal_xlsx(
        "A1:XFD500",  # Excel's "used range" often runs far past the data
        {
            1: [*header, ("D", "Village code")],
            2: [("A", "P1"), ("B", "Sok Dara"), ("C", "female"), ("D", VILLAGE_IN_ANGKOR_THUM)],
            4: [("A", "P2"), ("B", "Chan Thida"), ("C", "female"), ("D", VILLAGE_IN_ANGKOR_THUM)],
        },
    )
    job = run(personas, content, "people.xlsx")
    assert job.status == JobStatus.DONE, job.result
    assert job.result["created"] == 2
    assert sorted(Person.objects.values_list("external_id", flat=True)) == ["P1", "P2"]


def test_cells_past_the_header_are_not_read(personas):
    job = run(personas, people_xlsx(2), "people.xlsx")
    assert job.result["created"] == 2
    table = services.read_table(
        minimal_xlsx("A1:C2", {1: [("A", "a"), ("B", "b")], 2: [("A", "1"), ("XFD", "far")]}),
        "f.xlsx",
    )
    assert table == [["a", "b"], ["1"]]


def test_a_file_larger_than_the_limit_is_refused_by_the_form(client, personas, settings):
    settings.SAMAKI_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(personas.admin)
    upload = io.BytesIO(many_rows_csv(40_000))  # 1.4 MB
    upload.name = "people.csv"
    response = client.post("/imports/", {"kind": "people", "file": upload})
    assert response.status_code == 200
    assert "The file is larger than 1 MB: split it." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_service_refuses_a_file_larger_than_the_limit(personas, settings):
    settings.SAMAKI_IMPORT_MAX_BYTES = 100
    with pytest.raises(Exception, match="larger than"):
        import_job_create(
            organisation=personas.home,
            by=personas.admin,
            kind="people",
            file_name="x.csv",
            content=b"x" * 101,
        )
    assert not ImportJob.objects.exists()


def test_a_csv_field_too_long_to_read_is_a_clear_error(personas):
    content = b"External ID,Sex,Village code\n" + b"x" * 200_000 + b",female,1\n"
    assert "not a CSV file Samaki can read" in messages(run(personas, content, "p.csv"))[0]


def _peak_rss_mb(path: Path) -> tuple[float, str]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module, a file we wrote
        [sys.executable, "-m", "samaki.imports.tests.hostile", str(path)],
        cwd=REPOSITORY,
        env={"DJANGO_SETTINGS_MODULE": "samaki.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = re.search(r"peak_rss_mb=(\d+) outcome=(.*)", result.stdout)
    assert found, result.stdout + result.stderr
    return float(found[1]), found[2]


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory is read from /proc")
@pytest.mark.parametrize("name", ["million-rows.xlsx", "too-many-rows.csv"])
def test_reading_a_hostile_file_stays_under_200_mb(tmp_path, name):
    write_files(tmp_path)
    peak, outcome = _peak_rss_mb(tmp_path / name)
    assert outcome == f"refused: The file has more than {MAX_ROWS} rows: split it."
    assert peak < 200, f"{name}: {peak} MB"
