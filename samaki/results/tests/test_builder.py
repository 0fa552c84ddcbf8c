"""The results framework builder: tiers, the results tree, indicators (numbers, percentages,
ratios), previews and drill-downs, targets, the reference sheet, and the XLSX copy."""

import datetime
import decimal
import io

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.projects.services import project_create
from samaki.reports.render import docx_render, xlsx_render
from samaki.results import services
from samaki.results.engine import Period
from samaki.results.models import (
    Denominator,
    Indicator,
    IndicatorKind,
    PeriodKind,
    Result,
    ResultLevel,
    ResultsFramework,
    Target,
)
from samaki.results.queries import indicator_value

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2024Q3")


def make_project(personas, code="p", organisation=None, by=None):
    return project_create(
        organisation=organisation or personas.home, by=by or personas.admin, code=code,
        name_en=f"Project {code}", starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 6, 30), donor=personas.donor,
    )  # fmt: skip


@pytest.fixture
def project(personas):
    return make_project(personas)


@pytest.fixture
def tree(personas, project):
    """A framework: goal G, outcome 1 under it, output 1.1 under the outcome."""
    framework = services.framework_create(project=project, by=personas.me_officer)
    goal = services.result_add(
        framework=framework, by=personas.me_officer, level=ResultLevel.GOAL, code="G",
        statement_en="Women lead",
    )  # fmt: skip
    outcome = services.result_add(
        framework=framework, by=personas.me_officer, level=ResultLevel.OUTCOME, code="1",
        statement_en="Women trained", parent=goal,
    )  # fmt: skip
    output = services.result_add(
        framework=framework, by=personas.me_officer, level=ResultLevel.OUTPUT, code="1.1",
        statement_en="Sessions held", parent=outcome,
    )  # fmt: skip
    return framework, goal, outcome, output


def attend(personas, project, sexes, day=datetime.date(2024, 8, 1)):
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=day,
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for index, sex in enumerate(sexes):
        person = personas.person(name=f"Person {sex} {index} {day}", sex=sex)
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)
    return activity


def percentage(personas, outcome, **extra):
    """% of attendees who are women, split by sex: numerator women, denominator everyone."""
    return services.indicator_add(
        result=outcome, by=personas.me_officer, code="1.2", name_en="Share of women",
        measure="distinct_people", kind=IndicatorKind.PERCENTAGE, sex="female",
        dimensions=extra.pop("dimensions", "sex"), unit="%",
        denominator=services.DenominatorSpec(measure="distinct_people"), **extra,
    )  # fmt: skip


def indicator_post(**overrides):
    data = {
        "code": "1.1.1", "name_en": "Sessions held", "name_km": "", "kind": "number",
        "measure": "sessions", "sex": "", "unit": "sessions", "frequency": "quarterly",
        "baseline": "0", "direction": "increase", "denominator_measure": "",
        "denominator_sex": "", "area_province": "", "area_district": "", "area_commune": "",
        "area_code": "",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- the framework and its tree ----------------------------------------------------------------


def test_the_me_officer_creates_the_framework_from_the_results_page(client, personas, project):
    client.force_login(personas.me_officer)
    page = client.get(f"/results/projects/{project.pk}/")
    assert page.status_code == 200
    assert "Create the results framework" in page.content.decode()
    response = client.post(f"/results/projects/{project.pk}/framework/create/")
    assert response.status_code == 302
    framework = ResultsFramework.objects.get(project=project)
    assert AuditEvent.objects.filter(
        action="results_framework.create", object_id=str(framework.pk)
    ).exists()


def test_a_viewer_sees_no_create_button_and_cannot_create(client, personas, project):
    client.force_login(personas.viewer)
    page = client.get(f"/results/projects/{project.pk}/")
    assert page.status_code == 200
    assert "Create the results framework" not in page.content.decode()
    assert client.post(f"/results/projects/{project.pk}/framework/create/").status_code == 403
    assert not ResultsFramework.objects.filter(project=project).exists()


def test_tier_names_and_age_bands_are_edited(client, personas, tree):
    framework = tree[0]
    client.force_login(personas.me_officer)
    data = {
        "goal_label_en": "Impact", "goal_label_km": "ផលប៉ះពាល់", "outcome_label_en": "Outcome",
        "outcome_label_km": "លទ្ធផល", "output_label_en": "Output", "output_label_km": "សមិទ្ធផល",
        "age_bands": "0-17, 18-59, 60+",
    }  # fmt: skip
    response = client.post(f"/results/projects/{framework.project_id}/framework/edit/", data)
    assert response.status_code == 302
    framework.refresh_from_db()
    assert (framework.goal_label_en, framework.goal_label_km, framework.age_bands) == (
        "Impact", "ផលប៉ះពាល់", "0-17, 18-59, 60+",
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="results_framework.update").count() == 1


def test_bad_tier_names_and_age_bands_are_refused(client, personas, tree):
    framework = tree[0]
    client.force_login(personas.me_officer)
    events = AuditEvent.objects.count()
    data = {"goal_label_en": "", "outcome_label_en": "Outcome", "output_label_en": "Output",
            "age_bands": "young, old"}  # fmt: skip
    response = client.post(f"/results/projects/{framework.project_id}/framework/edit/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"goal_label_en", "age_bands"}
    data["goal_label_en"] = "Impact"
    response = client.post(f"/results/projects/{framework.project_id}/framework/edit/", data)
    assert "Write age bands as" in response.context["form"].errors["age_bands"][0]
    framework.refresh_from_db()
    assert framework.goal_label_en == "Goal"
    assert AuditEvent.objects.count() == events


def test_results_are_added_under_their_parent_edited_and_removed(client, personas, tree):
    framework, goal, _outcome, _output = tree
    client.force_login(personas.me_officer)
    base = f"/results/projects/{framework.project_id}"
    response = client.post(
        f"{base}/results/add/?parent={goal.pk}", {"code": "2", "statement_en": "Men support"}
    )
    assert response.status_code == 302
    second = Result.objects.get(framework=framework, code="2")
    assert (second.level, second.parent_id) == (ResultLevel.OUTCOME, goal.pk)
    response = client.post(
        f"{base}/results/{second.pk}/edit/",
        {"code": "2", "statement_en": "Men support women", "statement_km": "បុរសគាំទ្រ"},
    )
    second.refresh_from_db()
    assert (second.statement_en, second.statement_km) == ("Men support women", "បុរសគាំទ្រ")
    assert client.post(f"{base}/results/{second.pk}/remove/").status_code == 302
    assert not Result.objects.filter(pk=second.pk).exists()
    events = AuditEvent.objects.filter(object_id=str(second.pk), action__startswith="result.")
    assert [e.action for e in events.order_by("pk")] == [
        "result.add", "result.update", "result.remove",
    ]  # fmt: skip


def test_a_result_with_indicators_is_not_removed(client, personas, tree):
    framework, _goal, _outcome, output = tree
    services.indicator_add(
        result=output, by=personas.me_officer, code="1.1.1", name_en="Sessions",
        measure="sessions",
    )  # fmt: skip
    client.force_login(personas.me_officer)
    client.post(f"/results/projects/{framework.project_id}/results/{output.pk}/remove/")
    assert Result.objects.filter(pk=output.pk).exists()
    assert not AuditEvent.objects.filter(action="result.remove").exists()


def test_bad_results_are_refused(client, personas, tree):
    framework, goal, _outcome, _output = tree
    client.force_login(personas.me_officer)
    events = AuditEvent.objects.count()
    base = f"/results/projects/{framework.project_id}"
    response = client.post(
        f"{base}/results/add/?parent={goal.pk}", {"code": "", "statement_en": ""}
    )
    assert set(response.context["form"].errors) == {"code", "statement_en"}
    response = client.post(
        f"{base}/results/add/?parent={goal.pk}", {"code": "1", "statement_en": "Again"}
    )
    assert response.context["form"].errors["code"] == [
        "Another result of this framework has this code."
    ]
    response = client.post(f"{base}/results/add/", {"code": "G2", "statement_en": "A second goal"})
    assert response.context["form"].non_field_errors() == ["The framework has a goal already."]
    assert Result.objects.filter(framework=framework).count() == 3
    assert AuditEvent.objects.count() == events


# --- indicators -------------------------------------------------------------------------------


def test_an_indicator_is_defined_in_the_form(client, personas, tree):
    framework, _goal, outcome, _output = tree
    client.force_login(personas.me_officer)
    url = f"/results/projects/{framework.project_id}/results/{outcome.pk}/indicators/add/"
    assert client.get(url).status_code == 200
    data = indicator_post(
        code="1.1", name_en="Women trained", measure="distinct_people", sex="female",
        activity_kinds=["training"], dimensions=["sex", "age_band", "id_poor"], unit="people",
        definition_en="Women who attended at least one training.", data_source="Attendance",
        responsible="M&E officer", baseline="12", baseline_on="2024-01-15", cumulative="on",
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    indicator = Indicator.objects.get(result=outcome, code="1.1")
    assert (indicator.measure, indicator.sex, indicator.activity_kinds, indicator.dimensions) == (
        "distinct_people", "female", "training", "sex, age_band, id_poor",
    )  # fmt: skip
    assert (indicator.baseline, indicator.baseline_on, indicator.cumulative) == (
        decimal.Decimal(12), datetime.date(2024, 1, 15), True,
    )  # fmt: skip
    assert indicator.definition_en == "Women who attended at least one training."
    assert AuditEvent.objects.filter(action="indicator.add", object_id=str(indicator.pk)).exists()


def test_the_engine_refuses_a_split_the_measure_cannot_give(client, personas, tree):
    framework, _goal, _outcome, output = tree
    client.force_login(personas.me_officer)
    events = AuditEvent.objects.count()
    url = f"/results/projects/{framework.project_id}/results/{output.pk}/indicators/add/"
    response = client.post(url, indicator_post(dimensions=["sex"], outcome_kinds=["id_card"]))
    errors = response.context["form"].errors
    assert errors["outcome_kinds"] == ["“Sessions held” cannot be filtered by this."]
    response = client.post(url, indicator_post(dimensions=["sex", "district"]))
    errors = response.context["form"].errors
    assert errors["dimensions"] == ["“Sessions held” cannot be split by sex."]
    response = client.post(url, indicator_post(code="", measure="counted", baseline="-1"))
    assert set(response.context["form"].errors) == {"code", "measure", "baseline"}
    assert not Indicator.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_percentage_needs_a_denominator_the_engine_accepts(client, personas, tree):
    framework, _goal, outcome, _output = tree
    client.force_login(personas.me_officer)
    url = f"/results/projects/{framework.project_id}/results/{outcome.pk}/indicators/add/"
    data = indicator_post(kind="percentage", measure="distinct_people", dimensions=["disability"])
    response = client.post(url, data)
    assert response.context["form"].errors["denominator_measure"] == [
        "A percentage or a ratio needs a denominator: choose what it counts."
    ]
    data["denominator_measure"] = "sessions"
    response = client.post(url, data)
    assert response.context["form"].errors["denominator_measure"] == [
        "“Sessions held” cannot be split by disability."
    ]
    data["denominator_measure"] = "distinct_people"
    data["denominator_topics"] = ["health"]
    response = client.post(url, data)
    assert response.status_code == 302
    denominator = Denominator.objects.get(indicator__result=outcome)
    assert (denominator.measure, denominator.topics, denominator.dimensions) == (
        "distinct_people", "health", "disability",
    )  # fmt: skip


def test_a_percentage_divides_cell_by_cell_and_a_zero_denominator_is_a_dash(
    client, personas, project, tree
):
    framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    attend(personas, project, ["female", "female", "female", "male"])
    progress = indicator_value(indicator, framework=framework, period=Q3)
    assert (progress.value.total, progress.denominator.total, progress.figure) == (3, 4, 75.0)
    assert progress.cells == {("female",): 100.0, ("male",): 0.0}
    assert (
        indicator_value(indicator, framework=framework, period=Period.parse("2024Q1")).figure
        is None
    )
    client.force_login(personas.me_officer)
    page = client.get(f"/results/projects/{project.pk}/indicators/{indicator.pk}/?period=2024Q3")
    assert page.status_code == 200
    text = page.content.decode()
    assert "75.0%" in text and "(3 ÷ 4)" in text
    empty = client.get(f"/results/projects/{project.pk}/indicators/{indicator.pk}/?period=2024Q1")
    assert empty.context["preview"].figure is None
    assert "<strong>—" in empty.content.decode()


def test_a_ratio_is_not_times_a_hundred(personas, project, tree):
    framework, _goal, outcome, _output = tree
    indicator = services.indicator_add(
        result=outcome, by=personas.me_officer, code="R", name_en="Attendances per session",
        measure="attendances", kind=IndicatorKind.RATIO,
        denominator=services.DenominatorSpec(measure="sessions"),
    )  # fmt: skip
    attend(personas, project, ["female", "male", "male"])
    attend(personas, project, ["female"], day=datetime.date(2024, 9, 1))
    assert indicator_value(indicator, framework=framework, period=Q3).figure == 2.0


def test_the_preview_of_the_form_computes_an_unsaved_definition(client, personas, project, tree):
    framework, _goal, outcome, _output = tree
    attend(personas, project, ["female", "male"])
    client.force_login(personas.me_officer)
    url = f"/results/projects/{framework.project_id}/results/{outcome.pk}/indicators/add/"
    data = indicator_post(measure="distinct_people", dimensions=["sex"], _preview="1")
    data["preview_period"] = "2024Q3"
    response = client.post(url, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.figure, preview.cells) == (2, {("female",): 1, ("male",): 1})
    assert not Indicator.objects.exists()


def test_the_preview_defaults_to_the_latest_quarter_with_data(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    attend(personas, project, ["female"], day=datetime.date(2024, 5, 3))
    client.force_login(personas.me_officer)
    page = client.get(f"/results/projects/{project.pk}/indicators/{indicator.pk}/")
    assert page.context["period"] == Period.parse("2024Q2")
    assert page.context["preview"].figure == 100.0


def test_the_indicator_page_counts_in_few_queries(
    client, personas, project, tree, django_assert_num_queries
):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    attend(personas, project, ["female", "male"])
    client.force_login(personas.me_officer)
    url = f"/results/projects/{project.pk}/indicators/{indicator.pk}/?period=2024Q3"
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)
    attend(personas, project, ["female"] * 5 + ["male"] * 5)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.context["preview"].value.total == 6
    # The cells read as the report reads them: words, not codes.
    assert sorted(row["cell"][0] for row in response.context["cells"]["rows"]) == ["Female", "Male"]


def test_an_indicator_is_edited_and_its_denominator_dropped_when_it_becomes_a_number(
    client, personas, tree
):
    framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.me_officer)
    url = f"/results/projects/{framework.project_id}/indicators/{indicator.pk}/edit/"
    form = client.get(url).context["form"]
    assert form.initial["denominator_measure"] == "distinct_people"
    data = indicator_post(
        code="1.2", name_en="Women reached", measure="distinct_people", sex="female",
        dimensions=["sex"], unit="people",
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.kind, indicator.name_en) == ("number", "Women reached")
    assert not Denominator.objects.exists()
    event = AuditEvent.objects.get(action="indicator.update")
    assert event.before["denominator"]["measure"] == "distinct_people"
    assert event.after["denominator"] is None
    assert client.post(url, data).status_code == 302  # unchanged: no second row
    assert AuditEvent.objects.filter(action="indicator.update").count() == 1


def test_an_indicator_is_removed_with_its_targets(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    services.target_set(
        indicator=indicator, by=personas.me_officer, period_kind=PeriodKind.QUARTER,
        starts_on=Q3.start, ends_on=Q3.end, value="62.5",
    )  # fmt: skip
    client.force_login(personas.me_officer)
    client.post(f"/results/projects/{project.pk}/indicators/{indicator.pk}/remove/")
    assert not Indicator.objects.exists() and not Target.objects.exists()
    event = AuditEvent.objects.get(action="indicator.remove")
    assert event.before["targets"][0]["value"] == "62.50"


# --- targets ----------------------------------------------------------------------------------


def test_the_targets_table_lists_the_projects_quarters_and_saves_them(
    client, personas, project, tree
):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.me_officer)
    url = f"/results/projects/{project.pk}/indicators/{indicator.pk}/targets/?kind=quarter"
    page = client.get(url)
    labels = [label for label, _start, _end, _field in page.context["form"].rows()]
    assert labels == ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    response = client.post(url, {"t_2024-07-01": "60", "t_2024-10-01": "62.5"})
    assert response.status_code == 302
    targets = {(t.starts_on, t.value) for t in indicator.targets.all()}
    assert targets == {
        (datetime.date(2024, 7, 1), decimal.Decimal("60")),
        (datetime.date(2024, 10, 1), decimal.Decimal("62.5")),
    }
    assert AuditEvent.objects.filter(action="indicator.targets_set").count() == 1
    client.post(url, {"t_2024-07-01": "", "t_2024-10-01": "62.5"})  # emptied: removed
    assert [t.starts_on for t in indicator.targets.all()] == [datetime.date(2024, 10, 1)]
    years = client.get(
        f"/results/projects/{project.pk}/indicators/{indicator.pk}/targets/?kind=year"
    )
    assert [r[0] for r in years.context["form"].rows()] == ["2024", "2025"]
    assert years.context["form"].rows()[1][2] == datetime.date(2025, 6, 30)


def test_bad_targets_are_refused_and_nothing_is_saved(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.me_officer)
    events = AuditEvent.objects.count()
    url = f"/results/projects/{project.pk}/indicators/{indicator.pk}/targets/?kind=quarter"
    response = client.post(
        url,
        {"t_2024-01-01": "ten", "t_2024-04-01": "-3", "t_2024-07-01": "1.234", "t_2024-10-01": "5"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"t_2024-01-01", "t_2024-04-01", "t_2024-07-01"}
    assert not Target.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_targets_page_costs_the_same_for_every_period_kind(
    client, personas, project, tree, django_assert_num_queries
):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.me_officer)
    base = f"/results/projects/{project.pk}/indicators/{indicator.pk}/targets/"
    client.get(f"{base}?kind=quarter")
    with django_assert_num_queries(7):
        client.get(f"{base}?kind=quarter")
    with django_assert_num_queries(7):
        client.get(f"{base}?kind=month")


def test_a_percentage_target_compares_with_the_percentage(personas, project, tree):
    framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    services.target_set(
        indicator=indicator, by=personas.me_officer, period_kind=PeriodKind.QUARTER,
        starts_on=Q3.start, ends_on=Q3.end, value="80",
    )  # fmt: skip
    attend(personas, project, ["female", "female", "female", "male"])
    progress = indicator_value(indicator, framework=framework, period=Q3)
    assert (progress.figure, progress.target, round(progress.percent, 2), progress.band) == (
        75.0, 80, 93.75, "on_track",
    )  # fmt: skip


# --- the reference sheet and the drill-down ---------------------------------------------------


def test_the_reference_sheet_says_everything_in_words(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(
        personas, outcome, definition_en="Women among attendees.", data_source="Attendance lists",
        responsible="Field coordinator", baseline=decimal.Decimal("41.5"),
    )  # fmt: skip
    services.target_set(
        indicator=indicator, by=personas.me_officer, period_kind=PeriodKind.LIFE,
        starts_on=project.starts_on, ends_on=project.ends_on, value="60",
    )  # fmt: skip
    client.force_login(personas.donor_viewer)
    page = client.get(f"/results/projects/{project.pk}/indicators/{indicator.pk}/sheet/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "Women among attendees.", "Attendance lists", "Field coordinator", "41.5",
        "People who attended (each counted once)", "sex: female", "Denominator: what is counted",
        "Life of project", "2025-06-30", ">60<", "Sex",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_drill_down_lists_person_codes_never_names(
    client, personas, project, tree, django_assert_num_queries
):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    attend(personas, project, ["female", "male"])
    woman = Attendance.objects.get(person__sex="female").person
    client.force_login(personas.me_officer)
    url = f"/results/projects/{project.pk}/indicators/{indicator.pk}/records/?period=2024Q3&cell=female"
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    text = response.content.decode()
    assert f"P{woman.pk:06d}" in text
    assert woman.name_latin not in text
    records = list(response.context["page"])
    assert [record.person_id for record in records] == [woman.pk]
    denominator = client.get(url.replace("cell=female", "cell=male") + "&part=denominator")
    assert len(list(denominator.context["page"])) == 1
    attend(personas, project, ["female"] * 8)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(list(response.context["page"])) == 9


def test_the_drill_down_pages_by_fifty(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = services.indicator_add(
        result=outcome, by=personas.me_officer, code="A", name_en="Attendances",
        measure="attendances",
    )  # fmt: skip
    activity = attend(personas, project, ["female"])
    person = Attendance.objects.get().person
    for day in range(2, 62):
        other = Activity.objects.create(
            organisation=personas.home, project=project, date=datetime.date(2024, 7, 1) + datetime.timedelta(days=day % 80),
            kind=activity.kind, area=activity.area,
        )  # fmt: skip
        Attendance.objects.create(organisation=personas.home, activity=other, person=person)
    client.force_login(personas.me_officer)
    url = f"/results/projects/{project.pk}/indicators/{indicator.pk}/records/?period=2024Q3"
    first = client.get(url)
    assert (len(list(first.context["page"])), first.context["more"]) == (50, True)
    second = client.get(url + "&page=2")
    assert (len(list(second.context["page"])), second.context["more"]) == (11, False)


# --- access ---------------------------------------------------------------------------------------


def test_a_donor_viewer_reads_the_framework_but_not_the_records(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.donor_viewer)
    base = f"/results/projects/{project.pk}"
    assert client.get(f"{base}/framework/").status_code == 200
    assert client.get(f"{base}/indicators/{indicator.pk}/").status_code == 200
    assert client.get(f"{base}/indicators/{indicator.pk}/records/").status_code == 404
    assert client.get(f"{base}/indicators/{indicator.pk}/edit/").status_code == 403
    page = client.get(f"{base}/indicators/{indicator.pk}/")
    assert "Records behind the value" not in page.content.decode()


def test_a_viewer_reads_but_cannot_edit(client, personas, project, tree):
    _framework, goal, outcome, output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.viewer)
    base = f"/results/projects/{project.pk}"
    assert "Add an indicator" not in client.get(f"{base}/framework/").content.decode()
    for url in (
        f"{base}/framework/edit/", f"{base}/results/add/?parent={goal.pk}",
        f"{base}/results/{outcome.pk}/edit/", f"{base}/results/{outcome.pk}/indicators/add/",
        f"{base}/indicators/{indicator.pk}/edit/", f"{base}/indicators/{indicator.pk}/targets/",
        f"{base}/framework/import/",
    ):  # fmt: skip
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.post(f"{base}/indicators/{indicator.pk}/remove/").status_code == 403
    assert client.post(f"{base}/results/{output.pk}/remove/").status_code == 403
    assert client.get(f"{base}/indicators/{indicator.pk}/records/").status_code == 200
    with pytest.raises(Exception, match="Only an administrator or M&E officer"):
        services.result_remove(result=output, by=personas.facilitator)


def test_another_organisations_framework_answers_404(client, personas, project, tree):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.outsider)
    base = f"/results/projects/{project.pk}"
    for url in (
        f"{base}/", f"{base}/framework/", f"{base}/framework/edit/", f"{base}/framework.xlsx",
        f"{base}/results/{outcome.pk}/edit/", f"{base}/indicators/{indicator.pk}/",
        f"{base}/indicators/{indicator.pk}/sheet/", f"{base}/indicators/{indicator.pk}/records/",
        f"{base}/indicators/{indicator.pk}/targets/", f"{base}/framework/import/",
    ):  # fmt: skip
        assert client.get(url).status_code == 404, url
    # Nor does an indicator answer under another of her projects' numbers.
    mine = make_project(personas, code="mine", organisation=personas.other, by=personas.outsider)
    assert client.get(f"/results/projects/{mine.pk}/indicators/{indicator.pk}/").status_code == 404


def test_the_framework_page_costs_the_same_for_one_and_three_indicators(
    client, personas, project, tree, django_assert_num_queries
):
    _framework, goal, outcome, output = tree
    percentage(personas, outcome)
    client.force_login(personas.me_officer)
    url = f"/results/projects/{project.pk}/framework/"
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    services.indicator_add(
        result=output, by=personas.me_officer, code="1.1.1", name_en="Sessions", measure="sessions"
    )
    services.indicator_add(
        result=goal, by=personas.me_officer, code="G.1", name_en="Women", measure="distinct_people"
    )
    with django_assert_num_queries(8):
        response = client.get(url)
    assert sum(len(r.indicators_list) for r in response.context["results"]) == 3


# --- the framework as XLSX ------------------------------------------------------------------------


def full_framework(personas, project, tree):
    framework, _goal, outcome, output = tree
    indicator = percentage(personas, outcome, topics="health", definition_en="Women share.")
    services.indicator_add(
        result=output, by=personas.me_officer, code="1.1.1", name_en="Sessions", measure="sessions",
        activity_kinds="training", area_path=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM).path,
    )  # fmt: skip
    services.target_set(
        indicator=indicator, by=personas.me_officer, period_kind=PeriodKind.QUARTER,
        starts_on=Q3.start, ends_on=Q3.end, value="62.5",
    )  # fmt: skip
    return framework


def test_a_framework_is_copied_to_another_project_through_xlsx(client, personas, project, tree):
    full_framework(personas, project, tree)
    client.force_login(personas.me_officer)
    exported = client.get(f"/results/projects/{project.pk}/framework.xlsx")
    assert exported.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["Framework", "Results", "Indicators", "Targets"]
    copy = make_project(personas, code="copy")
    response = client.post(
        f"/results/projects/{copy.pk}/framework/import/",
        {"file": SimpleUploadedFile("f.xlsx", exported.content)},
    )
    assert response.status_code == 302, response.context["problems"]
    framework = ResultsFramework.objects.get(project=copy)
    assert [r.code for r in Result.objects.filter(framework=framework).order_by("code")] == [
        "1", "1.1", "G",
    ]  # fmt: skip
    share = Indicator.objects.get(result__framework=framework, code="1.2")
    assert (share.kind, share.topics, share.denominator.measure) == (
        "percentage", "health", "distinct_people",
    )  # fmt: skip
    assert [(t.starts_on, t.value) for t in share.targets.all()] == [
        (Q3.start, decimal.Decimal("62.5"))
    ]
    assert AuditEvent.objects.filter(action="results_framework.import").count() == 1


def test_an_import_with_bad_rows_lands_nothing_and_names_each_row(client, personas, project, tree):
    full_framework(personas, project, tree)
    client.force_login(personas.me_officer)
    exported = client.get(f"/results/projects/{project.pk}/framework.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(exported))
    indicators = book["Indicators"]
    header = [cell.value for cell in indicators[1]]
    indicators.cell(row=2, column=header.index("topics") + 1, value="health, knitting")
    indicators.cell(row=3, column=header.index("dimensions") + 1, value="sex")
    book["Targets"].cell(row=2, column=6, value="lots")
    out = io.BytesIO()
    book.save(out)
    copy = make_project(personas, code="copy")
    events = AuditEvent.objects.count()
    response = client.post(
        f"/results/projects/{copy.pk}/framework/import/",
        {"file": SimpleUploadedFile("f.xlsx", out.getvalue())},
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems == [
        "Sheet Indicators, row 2: topics: Unknown codes: knitting.",
        "Sheet Indicators, row 3: dimensions: “Sessions held” cannot be split by sex.",
        "Sheet Targets, row 2: no indicator “1.2” under result “1”.",
    ]
    assert not ResultsFramework.objects.filter(project=copy).exists()
    assert not Result.objects.filter(framework__project=copy).exists()
    assert AuditEvent.objects.count() == events


def test_codes_unknown_to_the_other_organisation_are_reported(client, personas, project, tree):
    from samaki.activities.models import Topic

    Topic.objects.create(
        organisation=personas.home, code="knitting", name_en="Knitting", name_km="សន្សំ"
    )
    _framework, _goal, outcome, _output = tree
    percentage(personas, outcome, topics="knitting")
    client.force_login(personas.me_officer)
    exported = client.get(f"/results/projects/{project.pk}/framework.xlsx").content
    rows = list(openpyxl.load_workbook(io.BytesIO(exported))["Indicators"].values)
    assert rows[1][rows[0].index("topics")] == "knitting"
    client.force_login(personas.outsider)
    theirs = make_project(
        personas, code="theirs", organisation=personas.other, by=personas.outsider
    )
    response = client.post(
        f"/results/projects/{theirs.pk}/framework/import/",
        {"file": SimpleUploadedFile("f.xlsx", exported)},
    )
    assert response.status_code == 200, response
    assert response.context["problems"] == [
        "Sheet Indicators, row 2: topics: Unknown codes: knitting."
    ]


def test_a_file_that_is_not_a_framework_is_refused(client, personas, project):
    client.force_login(personas.me_officer)
    response = client.post(
        f"/results/projects/{project.pk}/framework/import/",
        {"file": SimpleUploadedFile("f.xlsx", b"not a spreadsheet")},
    )
    assert response.status_code == 200
    assert "not an Excel file" in response.context["problems"][0]
    book = openpyxl.Workbook()
    book.active.title = "Results"
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        f"/results/projects/{project.pk}/framework/import/",
        {"file": SimpleUploadedFile("f.xlsx", out.getvalue())},
    )
    assert response.context["problems"] == [
        "The file has no sheet “Framework”: export a framework to see the layout."
    ]
    response = client.post(f"/results/projects/{project.pk}/framework/import/", {})
    assert set(response.context["form"].errors) == {"file"}
    assert not ResultsFramework.objects.exists()


def test_an_import_into_a_framework_with_results_is_refused(client, personas, project, tree):
    full_framework(personas, project, tree)
    client.force_login(personas.me_officer)
    exported = client.get(f"/results/projects/{project.pk}/framework.xlsx").content
    response = client.post(
        f"/results/projects/{project.pk}/framework/import/",
        {"file": SimpleUploadedFile("f.xlsx", exported)},
    )
    assert response.context["problems"] == [
        "This project's framework has results already: import into an empty framework."
    ]


# --- percentages in the donor report ---------------------------------------------------------------


def test_a_percentage_reads_as_a_percentage_in_the_report(personas, project, tree):
    from samaki.reports.queries import project_scope, report_build
    from samaki.results.suppression import Audience

    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    services.target_set(
        indicator=indicator, by=personas.me_officer, period_kind=PeriodKind.QUARTER,
        starts_on=Q3.start, ends_on=Q3.end, value="80",
    )  # fmt: skip
    attend(personas, project, ["female"] * 6 + ["male"] * 2)
    report = report_build(
        scope=project_scope(project), period=Q3, language="en", today=datetime.date(2024, 10, 15)
    )
    figure = next(f for f in report.indicators if f.code == "1.2")
    assert (figure.kind, figure.value, figure.numerator, figure.denominator) == (
        "percentage", "75.0%", 6, 8,
    )  # fmt: skip
    assert (figure.target, figure.percent, figure.band) == ("80.0%", 93.8, "on_track")
    assert figure.cells == {"Sex": {"Female": "100.0%", "Male": "0.0%"}}
    assert figure.cross_cells == [
        {"sex": "female", "value": 100.0, "numerator": 6, "denominator": 6},
        {"sex": "male", "value": 0.0, "numerator": 0, "denominator": 2},
    ]
    section = next(s for s in report.sections if s.title == "Indicators")
    assert ["1.2", "Share of women", "75.0%", "80.0%", "94", "on track"] in section.tables[0].rows
    outside = report_build(
        scope=project_scope(project, audience=Audience.EXTERNAL), period=Q3, language="en",
        today=datetime.date(2024, 10, 15),
    )  # fmt: skip
    hidden = next(f for f in outside.indicators if f.code == "1.2")
    # 2 men is under the threshold: the figure stays, the male cell and the parts hide.
    assert (hidden.value, hidden.denominator, hidden.numerator) == ("75.0%", 8, 6)
    assert hidden.cells == {"Sex": {"Female": "100.0%", "Male": "<5"}}
    document = docx_render(report)
    assert document[:2] == b"PK"
    assert xlsx_render(report)[:2] == b"PK"
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(document)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "75.0%" in text and "100.0%" in text


def test_the_sheet_and_the_forms_cost_the_same_whatever_the_targets(
    client, personas, project, tree, django_assert_num_queries
):
    _framework, _goal, outcome, _output = tree
    indicator = percentage(personas, outcome)
    client.force_login(personas.me_officer)
    base = f"/results/projects/{project.pk}"
    pages = {
        f"{base}/indicators/{indicator.pk}/sheet/": 8,
        f"{base}/indicators/{indicator.pk}/edit/": 14,
        f"{base}/results/{outcome.pk}/indicators/add/": 13,
        f"{base}/framework/edit/": 5,
        f"{base}/results/{outcome.pk}/edit/": 6,
        f"{base}/framework/import/": 4,
    }
    for url in pages:
        client.get(url)
    for url, count in pages.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200
    for start in ("2024-01-01", "2024-04-01", "2024-07-01"):
        day = datetime.date.fromisoformat(start)
        services.target_set(
            indicator=indicator, by=personas.me_officer, period_kind=PeriodKind.QUARTER,
            starts_on=day, ends_on=Period.parse(f"2024Q{day.month // 3 + 1}").end, value="50",
        )  # fmt: skip
    for url, count in pages.items():
        with django_assert_num_queries(count):
            client.get(url)
