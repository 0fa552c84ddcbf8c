"""The M&E officer builds a results framework in real Chromium: tiers, goal and outcome, a
percentage indicator with its preview, quarterly targets and the reference sheet.
Screenshots: var/screenshots/test_the_me_officer_builds_a_framework-chromium/ (some are copied
to docs/img/ for docs/results-framework.md)."""

import datetime
import decimal

from playwright.sync_api import expect

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import PASSWORD, VILLAGE_IN_ANGKOR_THUM
from samaki.projects.services import project_create
from samaki.results.models import Indicator, ResultsFramework


def test_the_me_officer_builds_a_framework(page, live_server, personas, screenshot):
    project = project_create(
        organisation=personas.home, by=personas.admin, code="women", name_en="Women lead",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 6, 30),
    )  # fmt: skip
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=datetime.date(2024, 8, 1),
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for index, sex in enumerate(["female"] * 6 + ["male"] * 2):
        person = personas.person(name=f"Person {index}", sex=sex, birth_year=1980 + 3 * index)
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)

    page.goto("/accounts/login/")
    page.locator("#id_username").fill("me")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()

    page.goto(f"/results/projects/{project.pk}/")
    page.get_by_role("button", name="Create the results framework").click()
    expect(page.locator("h1")).to_contain_text("Results framework")
    page.get_by_role("link", name="Tier names and age bands").click()
    page.locator("#id_goal_label_en").fill("Impact")
    page.locator("#id_goal_label_km").fill("ផលប៉ះពាល់")
    page.locator("#id_age_bands").fill("0-17, 18-24, 25-49, 50+")
    screenshot(page, "tier names")
    page.locator("main button.primary").click()

    page.get_by_role("link", name="Add Impact").click()
    page.locator("#id_code").fill("G")
    page.locator("#id_statement_en").fill("Women take part in the decisions of their commune")
    page.locator("main button.primary").click()
    page.get_by_role("link", name="Add Outcome").click()
    page.locator("#id_code").fill("1")
    page.locator("#id_statement_en").fill("Women gain the skills to lead")
    page.locator("main button.primary").click()

    page.locator("li.result.depth-1").get_by_role("link", name="Add an indicator").click()
    page.locator("#id_code").fill("1.1")
    page.locator("#id_name_en").fill("Share of training participants who are women")
    page.locator("#id_kind input[value=percentage]").check()
    page.locator("#id_measure").select_option("distinct_people")
    page.locator("#id_sex").select_option("female")
    page.locator("#id_dimensions input[value=sex]").check()
    page.locator("#id_dimensions input[value=age_band]").check()
    page.locator("#id_denominator_measure").select_option("distinct_people")
    page.locator("#id_definition_en").fill(
        "Women among the distinct people who attended a session of the project."
    )
    page.locator("#id_data_source").fill("Attendance lists")
    page.locator("#id_responsible").fill("M&E officer")
    page.locator("#id_unit").fill("%")
    page.locator("#id_preview_period").fill("2024Q3")
    page.get_by_role("button", name="Preview the value").click()
    expect(page.locator("#preview .figure strong")).to_have_text("75.0%")
    screenshot(page, "indicator form with preview")
    page.locator("main button.primary").click()
    expect(page.locator("h1")).to_contain_text("1.1 Share of training participants")
    indicator = Indicator.objects.get(code="1.1")
    assert (indicator.kind, indicator.denominator.measure) == ("percentage", "distinct_people")

    page.get_by_role("link", name="Targets", exact=True).click()
    page.locator("#id_t_2024-07-01").fill("70")
    page.locator("#id_t_2024-10-01").fill("72.5")
    screenshot(page, "quarterly targets")
    page.locator("main button.primary").click()
    assert sorted(t.value for t in indicator.targets.all()) == [
        decimal.Decimal("70"),
        decimal.Decimal("72.5"),
    ]

    page.goto(f"/results/projects/{project.pk}/indicators/{indicator.pk}/?period=2024Q3")
    expect(page.locator("#preview .figure strong")).to_have_text("75.0%")
    screenshot(page, "indicator preview")
    page.locator("#id_period").fill("2024Q4")
    page.get_by_role("button", name="Preview", exact=True).click()  # refreshed by preview.js
    expect(page.locator("#preview .figure strong")).to_have_text("—")

    page.goto(f"/results/projects/{project.pk}/framework/")
    expect(page.locator("li.result")).to_have_count(2)
    screenshot(page, "framework")
    page.goto(f"/results/projects/{project.pk}/indicators/{indicator.pk}/sheet/")
    expect(page.locator("article.reference-sheet")).to_contain_text("Attendance lists")
    screenshot(page, "reference sheet")
    assert ResultsFramework.objects.get(project=project).goal_label_km == "ផលប៉ះពាល់"
