"""Small counts are suppressed ("<5") in every figure that leaves the organisation: a consortium's
report and dashboard, and a donor viewer's; inside the organisation they stay exact."""

import datetime
import io

import pytest

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.organisations.services import consortium_create
from samaki.people.models import WgAnswer
from samaki.projects.services import project_create
from samaki.results.suppression import TOTAL, suppress_grid

pytestmark = pytest.mark.django_db
DISABILITY = "People reached by Disability (Washington Group)"


@pytest.fixture
def project(personas):
    """Home's project, for home's donor: ten women reached in 2024Q3, one with a disability."""
    project = project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Project",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
        donor=personas.donor,
    )  # fmt: skip
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=datetime.date(2024, 8, 1),
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    people = [personas.person(name="Srey Walks", wg_walking=WgAnswer.A_LOT_OF_DIFFICULTY)]
    people += [personas.person(name=f"Chanthy Woman{i}") for i in range(9)]
    for person in people:
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)
    return project


@pytest.fixture
def consortium(personas, project):
    return consortium_create(
        by=personas.superuser, slug="c", name_en="Consortium", lead=personas.other,
        members=[personas.home],
    )  # fmt: skip


def disability_rows(html: str) -> str:
    """The HTML of the disability table, from its title to its end."""
    start = html.index(DISABILITY)
    return html[start : html.index("</table>", start)]


def test_the_consortium_report_shows_a_member_s_one_woman_with_disability_as_less_than_5(
    client, personas, consortium
):
    client.force_login(personas.outsider)  # the lead's administrator
    url = f"/reports/consortia/{consortium.pk}/?period=2024Q3"
    html = disability_rows(client.get(url).content.decode())
    assert "<td>With disability</td>" in html
    assert '">1</td>' not in html
    # Secondary suppression: the 9 undetermined are hidden too, so 10 − 9 does not give 1 back.
    assert html.count("&lt;5") == 2
    assert '">10</td>' in html and '">9</td>' not in html


def test_the_consortium_report_suppresses_in_xlsx_and_docx(client, personas, consortium):
    import docx
    from openpyxl import load_workbook

    client.force_login(personas.outsider)
    url = f"/reports/consortia/{consortium.pk}/?period=2024Q3&format="
    workbook = load_workbook(io.BytesIO(client.get(url + "xlsx").content))
    sheet = next(sheet for sheet in workbook if sheet["A1"].value == DISABILITY)
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows == {"With disability": "<5", "Undetermined": "<5", "Total": 10}

    document = docx.Document(io.BytesIO(client.get(url + "docx").content))
    cells = {
        tuple(cell.text for cell in row.cells) for table in document.tables for row in table.rows
    }
    assert ("With disability", "<5") in cells and ("Undetermined", "<5") in cells
    assert ("With disability", "1") not in cells


def test_the_same_figures_are_exact_for_the_organisation_itself(client, personas, project):
    client.force_login(personas.me_officer)  # her own organisation's project
    html = client.get(f"/reports/projects/{project.pk}/?period=2024Q3").content.decode()
    rows = disability_rows(html)
    assert "<td>With disability</td>" in rows
    assert '">1</td>' in rows and '">9</td>' in rows and '">&lt;5</td>' not in html


def test_no_line_of_a_suppressed_table_hides_exactly_one_cell():
    # Rows and columns with their totals: whichever line a reader subtracts along, no hidden
    # cell is the total minus the cells shown.
    counts = {("a", "x"): 1, ("a", "y"): 30, ("b", "x"): 12, ("b", "y"): 40}
    grid = suppress_grid(counts, rows=["a", "b"], columns=["x", "y"])
    rows, columns = ["a", "b", TOTAL], ["x", "y", TOTAL]
    lines = [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]
    for line in lines:
        assert sum(isinstance(grid[key], str) for key in line) != 1, line
    assert grid[("a", "x")] == "<5" and grid[(TOTAL, TOTAL)] == 83
    assert suppress_grid({("a", "x"): 0}, rows=["a"], columns=["x"])[("a", "x")] == 0


def test_a_donor_viewer_s_dashboard_and_report_suppress(client, personas, project):
    client.force_login(personas.donor_viewer)
    response = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3")
    assert response.status_code == 200
    headlines = {str(h.label): h.value for h in response.context["dashboard"].headlines}
    assert headlines["People reached"] == 10  # 5 or more: shown
    html = client.get(f"/reports/projects/{project.pk}/?period=2024Q3").content.decode()
    assert '">1</td>' not in disability_rows(html)
    assert disability_rows(html).count("&lt;5") == 2


def test_a_donor_viewer_s_dashboard_shows_a_small_reach_as_less_than_5(client, personas):
    project = project_create(
        organisation=personas.home, by=personas.admin, code="q", name_en="Small",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
        donor=personas.donor,
    )  # fmt: skip
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=datetime.date(2024, 8, 1),
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for i in range(3):
        person = personas.person(name=f"Sophea Girl{i}")
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)
    url = f"/reports/dashboard/projects/{project.pk}/?period=2024Q3"

    client.force_login(personas.donor_viewer)
    response = client.get(url)
    headlines = {str(h.label): h.value for h in response.context["dashboard"].headlines}
    assert (headlines["People reached"], headlines["Women and girls reached"]) == ("<5", "<5")
    assert headlines["Activities (sessions)"] == 1  # not a count of people: exact
    html = response.content.decode()
    assert "<title>Siem Reap: &lt;5</title>" in html and "<title>Siem Reap: 3</title>" not in html

    client.force_login(personas.me_officer)
    headlines = {str(h.label): h.value for h in client.get(url).context["dashboard"].headlines}
    assert headlines["People reached"] == 3
