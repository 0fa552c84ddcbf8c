"""Merging two records of one woman in the demo: the CCDO 2024Q3 report counts her once.

Issue 12's acceptance: with the demo's Q3 report, a merge of two records that did not both
count in the quarter changes no figure; a merge of two records that both counted takes one off
the distinct count and nothing off attendances or sessions.
"""

import datetime

import pytest
from django.db.models import Exists, OuterRef

from samaki.accounts.models import Role, User
from samaki.activities.models import Attendance
from samaki.people.models import Person
from samaki.people.services import person_merge
from samaki.projects.models import Project
from samaki.reports.queries import project_scope, report_build
from samaki.results.engine import Period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

Q3 = Period.parse("2024Q3")
PROJECT = "ccdo-elc-2024"


def figures() -> tuple[dict[str, float | None], dict[str, object]]:
    report = report_build(
        scope=project_scope(Project.objects.get(code=PROJECT)),
        period=Q3,
        language="en",
        today=datetime.date(2024, 10, 15),
    )
    indicators = {figure.code: figure.value for figure in report.indicators}
    summary = dict(map(tuple, report.sections[0].tables[0].rows))
    return indicators, summary


def women_of_the_project(*, in_q3: bool) -> list[Person]:
    """CCDO's women who attended the project's sessions in 2024Q3, or who attended sessions
    but none of the project's in 2024Q3, by Samaki number."""
    project = Project.objects.get(code=PROJECT)
    in_quarter = Attendance.objects.filter(
        person=OuterRef("pk"),
        activity__project=project,
        activity__date__range=(Q3.start, Q3.end),
    )
    people = Person.objects.filter(
        organisation=project.organisation, sex="female", merged_into__isnull=True
    ).filter(Exists(Attendance.objects.filter(person=OuterRef("pk"))))
    people = people.filter(Exists(in_quarter)) if in_q3 else people.exclude(Exists(in_quarter))
    return list(people.order_by("pk"))


def apart(women: list[Person]) -> tuple[Person, Person]:
    """The first two of `women` who never attended the same session."""
    kept = women[0]
    sessions = Attendance.objects.filter(person=kept).values("activity_id")
    merged = next(
        woman
        for woman in women[1:]
        if not Attendance.objects.filter(person=woman, activity_id__in=sessions).exists()
    )
    return kept, merged


def officer() -> User:
    project = Project.objects.get(code=PROJECT)
    return User.objects.get(organisation=project.organisation, role=Role.ME_OFFICER)


REACHED = "People reached (registered, each counted once)"


def test_merging_a_record_that_did_not_count_in_the_quarter_changes_no_figure():
    counted, not_counted = women_of_the_project(in_q3=True)[0], women_of_the_project(in_q3=False)[0]
    before = figures()
    person_merge(by=officer(), kept=counted, merged=not_counted, reason="Registered twice")
    assert figures() == before
    assert before[1][REACHED] == 1072


def test_merging_two_records_that_both_counted_takes_one_off_the_distinct_count_only():
    kept, merged = apart(women_of_the_project(in_q3=True))  # no attendance is a clash
    (indicators, summary) = figures()
    person_merge(by=officer(), kept=kept, merged=merged, reason="Registered twice")
    (indicators_after, summary_after) = figures()
    changed = {
        key: (summary[key], summary_after[key])
        for key in summary
        if summary[key] != summary_after[key]
    }
    # Both are women: the reach and its women and girls take one off; attendances, sessions and
    # the headcount stay.
    assert changed == {REACHED: (1072, 1071), "of whom women and girls": (1072, 1071)}
    assert (summary_after["Attendances"], summary_after["Activities (sessions)"]) == (1906, 263)
    moved = {
        code: (indicators[code], indicators_after[code])
        for code in indicators
        if indicators[code] != indicators_after[code]
    }
    # 1.5 is the project's people reached; 1.1 (women and girls at health sessions) counts at
    # most one of the two.
    assert moved == {"1.5": (1072, 1071)}
