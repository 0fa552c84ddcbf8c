"""Assessments entered in the app: every question scored within the tool's scale, action points."""

import datetime

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.learning.models import ActionPoint, CapacityAssessment, CapacityQuestion
from samaki.organisations.services import consortium_create

pytestmark = pytest.mark.django_db


def score_fields(tool) -> dict[str, str]:
    """Field name of each question, by code."""
    return {q.code: f"q_{q.pk}" for q in CapacityQuestion.objects.filter(domain__tool=tool)}


def entry(personas, tool, **scores) -> dict[str, str]:
    fields = score_fields(tool)
    data = {"organisation": str(personas.home.pk), "assessed_on": "2024-03-01"}
    data.update({fields[code.replace("_", "-")]: str(v) for code, v in scores.items()})
    return data


def test_an_administrator_enters_her_organisations_assessment(client, personas, home_tool):
    client.force_login(personas.admin)
    data = entry(personas, home_tool, financial_1=2, financial_2=4, technical_1=1)
    data.update({"a1_domain": "financial", "a1_text": " Train the accountant ",
                 "a1_due_on": "2024-06-30", "notes": "With the board"})  # fmt: skip

    response = client.post(reverse("learning:tool_assess", args=[home_tool.pk]), data)

    assert response["Location"] == reverse("learning:capacity", args=[personas.home.pk])
    assessment = CapacityAssessment.objects.get()
    assert (assessment.organisation, assessment.assessed_on, assessment.notes, assessment.by) == (
        personas.home,
        datetime.date(2024, 3, 1),
        "With the board",
        personas.admin,
    )
    assert dict(assessment.scores.values_list("question__code", "score")) == {
        "financial-1": 2,
        "financial-2": 4,
        "technical-1": 1,
    }
    assert list(ActionPoint.objects.values_list("domain__code", "text", "due_on")) == [
        ("financial", "Train the accountant", datetime.date(2024, 6, 30))
    ]
    event = AuditEvent.objects.get(action="capacity.assess")
    assert event.after["scores"] == {"financial-1": 2, "financial-2": 4, "technical-1": 1}
    page = client.get(response["Location"]).content.decode()
    assert "Train the accountant" in page and "3.0 (75.0%)" in page  # Financial (2+4)/2 of 4


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"financial-1": "5"}, {"financial-1": ["Ensure this value is less than or equal to 4."]}),
        ({"technical-1": "0"}, {"technical-1": ["Ensure this value is greater than or equal to 1."]}),
        ({"financial-2": ""}, {"financial-2": ["This field is required."]}),
        ({"financial-2": "two"}, {"financial-2": ["Enter a whole number."]}),
        ({"assessed_on": "2999-01-01"}, {"assessed_on": ["The date is in the future."]}),
        ({"organisation": ""}, {"organisation": ["This field is required."]}),
        ({"a1_text": "Train"}, {"a1_domain": ["Choose the domain this action point is about."]}),
        ({"a2_domain": "technical"}, {"a2_text": ["Say what will be done."]}),
    ],
)  # fmt: skip
def test_bad_scores_are_shown_next_to_their_question_and_nothing_is_saved(
    client, personas, home_tool, change, errors
):
    fields = score_fields(home_tool)
    client.force_login(personas.admin)
    data = entry(personas, home_tool, financial_1=2, financial_2=3, technical_1=1)
    data.update({fields.get(key, key): value for key, value in change.items()})

    response = client.post(reverse("learning:tool_assess", args=[home_tool.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {fields.get(k, k): v for k, v in errors.items()}
    assert not CapacityAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="capacity.assess").exists()


def test_the_same_day_twice_is_refused_next_to_the_date(client, personas, home_tool):
    client.force_login(personas.admin)
    url = reverse("learning:tool_assess", args=[home_tool.pk])
    data = entry(personas, home_tool, financial_1=2, financial_2=3, technical_1=1)

    assert client.post(url, data).status_code == 302
    again = client.post(url, data)

    assert again.context["form"].errors == {
        "assessed_on": ["This organisation was already assessed with this tool that day."]
    }
    assert CapacityAssessment.objects.count() == 1


def test_the_lead_assesses_a_member_with_its_tool_and_the_member_itself(client, personas):
    from samaki.learning.services import DomainSpec, capacity_tool_create

    consortium_create(
        by=SYSTEM, slug="c", name_en="C", lead=personas.other, members=[personas.home]
    )
    tool = capacity_tool_create(
        organisation=personas.other,
        by=personas.outsider,
        slug="lead-tool",
        name_en="Lead tool",
        domains=[DomainSpec("org", "Organisation", "", [("board", "Board", "")])],
    )
    url = reverse("learning:tool_assess", args=[tool.pk])
    board = score_fields(tool)["board"]
    client.force_login(personas.outsider)  # the lead's administrator
    choices = dict(client.get(url).context["form"].fields["organisation"].choices)
    assert set(choices) == {"", personas.home.pk, personas.other.pk}
    data = {"organisation": personas.home.pk, "assessed_on": "2024-01-10", board: "2"}
    assert client.post(url, data).status_code == 302

    client.force_login(personas.me_officer)  # the member's own M&E officer
    assert "Lead tool" in client.get(reverse("learning:tools")).content.decode()
    choices = dict(client.get(url).context["form"].fields["organisation"].choices)
    assert set(choices) == {"", personas.home.pk}  # never the lead itself
    other = client.post(url, {**data, "organisation": personas.other.pk})
    assert list(other.context["form"].errors) == ["organisation"]
    assert client.post(url, {**data, "assessed_on": "2024-02-10"}).status_code == 302
    assert list(
        CapacityAssessment.objects.order_by("assessed_on").values_list("organisation", "by")
    ) == [(personas.home.pk, personas.outsider.pk), (personas.home.pk, personas.me_officer.pk)]


def test_viewers_assess_nobody_and_outsiders_see_no_tool(client, personas, home_tool):
    url = reverse("learning:tool_assess", args=[home_tool.pk])
    data = entry(personas, home_tool, financial_1=2, financial_2=3, technical_1=1)
    for user in (personas.viewer, personas.facilitator):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert not CapacityAssessment.objects.exists()
