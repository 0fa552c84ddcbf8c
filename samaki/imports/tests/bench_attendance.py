"""Benchmark (not collected by the suite): import 100,000 attendance rows.

    .venv/bin/pytest -q -s samaki/imports/tests/bench_attendance.py
    DATABASE_URL=postgres://… .venv/bin/pytest -q -s samaki/imports/tests/bench_attendance.py

Figures go to docs/benchmarks.md.
"""

import datetime
import time

from samaki.activities.models import Attendance
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.imports.models import JobStatus
from samaki.imports.services import import_job_create, import_run

PEOPLE = 2_000
ACTIVITIES = 1_000
PER_ACTIVITY = 100


def run(personas, kind, content):
    job = import_job_create(
        organisation=personas.home, by=personas.admin, kind=kind, file_name="f.csv", content=content
    )
    started = time.perf_counter()
    job = import_run(job_id=job.pk)
    return job, time.perf_counter() - started


def test_import_100k_attendance_rows(personas):
    people = ["External ID,Name in Latin script,Sex,Year of birth,Village code"]
    people += [f"P{n},Person {n},female,1990,{VILLAGE_IN_ANGKOR_THUM}" for n in range(PEOPLE)]
    job, seconds = run(personas, "people", "\n".join(people).encode())
    assert job.status == JobStatus.DONE, job.result
    print(f"\n{PEOPLE:,} people: {seconds:.1f} s")

    rows = ["Activity's external ID,Kind code,Date,Area code,Attendee's external ID"]
    start = datetime.date(2024, 1, 1)
    for a in range(ACTIVITIES):
        day = (start + datetime.timedelta(days=a % 300)).strftime("%d/%m/%Y")
        for k in range(PER_ACTIVITY):
            person = (a * 37 + k) % PEOPLE
            rows.append(f"S{a},training,{day},{VILLAGE_IN_ANGKOR_THUM},P{person}")
    content = "\n".join(rows).encode()
    job, seconds = run(personas, "activities", content)
    assert job.status == JobStatus.DONE, job.result["errors"][:3]
    assert Attendance.objects.count() == ACTIVITIES * PER_ACTIVITY
    print(
        f"{ACTIVITIES * PER_ACTIVITY:,} attendance rows ({ACTIVITIES:,} activities): {seconds:.1f} s"
    )
    job, again = run(personas, "activities", content)
    assert job.result == {"created": 0, "updated": 0, "unchanged": ACTIVITIES}
    print(f"the same file again (nothing changes): {again:.1f} s")
