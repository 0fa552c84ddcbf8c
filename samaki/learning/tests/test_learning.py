"""Reflections and capacity: members answer, the lead reads all of them side by side."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role
from samaki.accounts.services import user_create
from samaki.conftest import PASSWORD
from samaki.learning.queries import capacity_assessment_list, capacity_scores, reflection_table
from samaki.learning.services import (
    capacity_assess,
    reflection_answer,
    reflection_round_create,
)
from samaki.learning.tests.conftest import PROMPTS
from samaki.organisations.services import organisation_create

pytestmark = pytest.mark.django_db


def test_the_lead_compares_six_partners_on_one_page(client, personas, consortium):
    client.force_login(personas.outsider)
    url = reverse("learning:compare", args=[consortium["consortium"].pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    partners = response.context["partners"]
    assert len(partners) == 6
    for slug in ["home", "p1", "p2", "p3", "p4", "p5"]:
        assert f"{slug} answer 0" in page and f"{slug} answer 2" in page
    home = next(p for p in partners if p.organisation == personas.home)
    # Financial: (1+2)/2 = 1.5 of 4 → 37.5 %, then (3+4)/2 = 3.5 → 87.5 %: +50 points.
    assert [(s.domain.code, s.percent, change) for s, change in home.change()] == [
        ("financial", 87.5, 50.0),
        ("technical", 75.0, 25.0),
    ]
    assert "87.5%" in page and "(+50.0)" in page
    assert len(queries) < 20


def test_the_comparison_costs_the_same_queries_for_more_partners(client, personas, consortium):
    client.force_login(personas.outsider)
    url = reverse("learning:compare", args=[consortium["consortium"].pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    capacity_assess(
        tool=consortium["tool"],
        organisation=consortium["partners"][0],
        by=SYSTEM,
        assessed_on=datetime.date(2024, 1, 15),
        scores={"budget": 4, "audit": 4, "me": 4},
    )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_a_member_reads_only_her_own_answers(client, personas, consortium):
    table = reflection_table(user=personas.admin, round=consortium["round"])
    assert [row.organisation for row in table.rows] == [personas.home]
    client.force_login(personas.admin)
    page = client.get(reverse("learning:round", args=[consortium["round"].pk])).content.decode()
    assert "home answer 0" in page and "p1 answer" not in page
    # Not the lead: the comparison does not exist for her.
    assert (
        client.get(reverse("learning:compare", args=[consortium["consortium"].pk])).status_code
        == 404
    )
    # Nor does another partner's capacity.
    assert (
        client.get(reverse("learning:capacity", args=[consortium["partners"][0].pk])).status_code
        == 404
    )


def test_a_donor_viewer_sees_no_reflections(client, personas, consortium):
    client.force_login(personas.donor_viewer)
    assert client.get(reverse("learning:round", args=[consortium["round"].pk])).status_code == 404


def test_a_member_answers_through_the_page(client, personas, consortium):
    prompt = consortium["round"].prompts.order_by("order").first()
    client.force_login(personas.me_officer)
    url = reverse("learning:round", args=[consortium["round"].pk])
    response = client.post(url, {f"prompt_{prompt.pk}": "Our Female Protection Network grew"})
    assert response.status_code == 302
    table = reflection_table(user=personas.outsider, round=consortium["round"])
    home = next(row for row in table.rows if row.organisation == personas.home)
    assert home.answers[0] == "Our Female Protection Network grew"
    # A viewer may read but not answer.
    client.force_login(personas.viewer)
    assert client.post(url, {f"prompt_{prompt.pk}": "x"}).status_code == 403


def test_only_members_answer(personas, consortium):
    stranger = organisation_create(by=SYSTEM, slug="stranger", name_en="Stranger")
    with pytest.raises(PermissionDenied):
        reflection_answer(round=consortium["round"], organisation=stranger, by=SYSTEM, answers={})


def test_the_round_exports_to_word_and_excel(client, personas, consortium):
    client.force_login(personas.outsider)
    pk = consortium["round"].pk
    xlsx = client.get(reverse("learning:round_export", args=[pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A4"].value == "Organisation" and sheet["B4"].value == PROMPTS[0][0]
    assert sheet.max_row == 4 + 6
    word = client.get(reverse("learning:round_export", args=[pk, "docx"]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "p5 answer 2" in text
    assert client.get(reverse("learning:round_export", args=[pk, "pdf"])).status_code == 404


def test_scores_are_checked(personas, consortium):
    tool = consortium["tool"]
    for scores in [
        {"budget": 5, "audit": 1, "me": 1},
        {"budget": 1, "audit": 1},
        {"budget": 1, "audit": 1, "me": 1, "x": 2},
    ]:
        with pytest.raises(ValidationError):
            capacity_assess(
                tool=tool,
                organisation=personas.home,
                by=SYSTEM,
                assessed_on=datetime.date(2024, 3, 1),
                scores=scores,
            )
    with pytest.raises(PermissionDenied):  # home does not lead partner 1
        capacity_assess(
            tool=tool,
            organisation=consortium["partners"][0],
            by=personas.admin,
            assessed_on=datetime.date(2024, 3, 1),
            scores={"budget": 1, "audit": 1, "me": 1},
        )


def test_the_capacity_page_draws_a_chart_per_domain(client, personas, consortium):
    client.force_login(personas.admin)
    page = client.get(reverse("learning:capacity", args=[personas.home.pk])).content.decode()
    assert page.count("<polyline") == 2
    assert "Train the accountant" in page
    history = capacity_scores(capacity_assessment_list(user=personas.admin))
    assert [e.assessed_on for e in history] == [
        datetime.date(2023, 1, 15),
        datetime.date(2023, 7, 15),
    ]


def test_a_facilitator_of_the_lead_cannot_open_rounds(personas, consortium):
    facilitator = user_create(
        by=SYSTEM,
        organisation=personas.other,
        username="of",
        password=PASSWORD,
        role=Role.FACILITATOR,
        area_codes=["17"],
    )
    with pytest.raises(PermissionDenied):
        reflection_round_create(
            consortium=consortium["consortium"],
            by=facilitator,
            slug="x",
            title="x",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2023, 1, 2),
            prompts=PROMPTS,
        )
