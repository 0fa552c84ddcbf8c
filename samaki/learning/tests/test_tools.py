"""Capacity tools built in the app: the builder, its edits until the first assessment, the list."""

import datetime

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.learning.models import CapacityQuestion, CapacityTool
from samaki.learning.services import DomainSpec, capacity_assess, capacity_tool_create

pytestmark = pytest.mark.django_db

NEW = {
    "name_en": "Partner capacity",
    "name_km": "សមត្ថភាពដៃគូ",
    "scale_max": "5",
    "layout": "3,2",
    "d1_name_en": "Financial",
    "d1_name_km": "ហិរញ្ញវត្ថុ",
    "d1_q1_en": "The budget is followed",
    "d1_q1_km": "ថវិកាត្រូវបានអនុវត្ត",
    "d1_q2_en": "",
    "d1_q3_en": "An external audit every year",
    "d2_name_en": "Technical",
    "d2_q1_en": "M&E plan",
}


def outline(tool: CapacityTool) -> list:
    return [
        (domain.code, domain.name_en, domain.name_km, [
            (q.code, q.text_en, q.text_km) for q in domain.questions.order_by("order")
        ])
        for domain in tool.domains.order_by("order")
    ]  # fmt: skip


def test_an_me_officer_builds_a_tool_with_its_domains_and_questions(client, personas):
    client.force_login(personas.me_officer)

    response = client.post(reverse("learning:tool_new"), NEW)

    tool = CapacityTool.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:tool", args=[tool.pk])
    assert (tool.organisation, tool.slug, tool.name_km, tool.scale_max) == (
        personas.home,
        "home-partner-capacity",
        "សមត្ថភាពដៃគូ",
        5,
    )
    assert outline(tool) == [
        ("financial", "Financial", "ហិរញ្ញវត្ថុ", [
            ("financial-1", "The budget is followed", "ថវិកាត្រូវបានអនុវត្ត"),
            ("financial-2", "An external audit every year", ""),  # the empty row is skipped
        ]),
        ("technical", "Technical", "", [("technical-1", "M&E plan", "")]),
    ]  # fmt: skip
    event = AuditEvent.objects.get(action="capacity_tool.create")
    assert event.actor == personas.me_officer
    assert [d["code"] for d in event.after["domains"]] == ["financial", "technical"]


def test_the_add_buttons_give_one_more_row_and_keep_what_was_typed(client, personas):
    client.force_login(personas.admin)
    url = reverse("learning:tool_new")

    question = client.post(url, {**NEW, "_add": "d2"})
    domain = client.post(url, {**NEW, "_add": "domain"})

    assert question.status_code == domain.status_code == 200
    assert question.context["form"].layout == [3, 3]
    assert domain.context["form"].layout == [3, 2, 4]
    page = question.content.decode()
    assert 'name="d2_q3_en"' in page and 'value="The budget is followed"' in page
    assert 'name="layout" value="3,3"' in page
    assert not question.context["form"].errors  # nothing checked, nothing saved
    assert not CapacityTool.objects.exists()


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"name_en": ""}, {"name_en": ["This field is required."]}),
        (
            {"scale_max": "11"},
            {"scale_max": ["Ensure this value is less than or equal to 10."]},
        ),
        ({"d2_name_en": "", "d2_name_km": "បច្ចេកទេស"}, {"d2_name_en": ["A domain needs its English name."]}),
        ({"d2_q1_en": "", "d2_q1_km": "ផែនការ"}, {"d2_q1_en": ["A question needs its English text."]}),
        ({"d2_q1_en": ""}, {"d2_q1_en": ["A domain needs at least one question."]}),
        (
            {"d1_name_en": "", "d1_name_km": "", "d1_q1_en": "", "d1_q1_km": "", "d1_q3_en": "",
             "d2_name_en": "", "d2_q1_en": ""},
            {"d1_name_en": ["A tool needs at least one domain."]},
        ),
        ({"d1_q1_en": "x" * 301}, {"d1_q1_en": ["Ensure this value has at most 300 characters (it has 301)."]}),
    ],
)  # fmt: skip
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    client, personas, change, errors
):
    client.force_login(personas.admin)

    response = client.post(reverse("learning:tool_new"), {**NEW, **change})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not CapacityTool.objects.exists()
    assert not AuditEvent.objects.filter(action="capacity_tool.create").exists()


def test_a_name_already_taken_is_refused_next_to_the_name(client, personas, home_tool):
    client.force_login(personas.admin)

    response = client.post(reverse("learning:tool_new"), NEW)
    again = client.post(reverse("learning:tool_new"), {**NEW, "name_en": "Partner  Capacity"})

    assert response.status_code == 302
    assert again.context["form"].errors == {
        "name_en": ["Another tool already has this short name."]
    }
    assert CapacityTool.objects.count() == 2
    assert AuditEvent.objects.filter(action="capacity_tool.create").count() == 2


def test_a_tool_is_edited_until_its_first_assessment(client, personas, home_tool):
    client.force_login(personas.admin)
    url = reverse("learning:tool_edit", args=[home_tool.pk])
    form = client.get(url).context["form"]
    assert form.layout == [3, 2, 4]  # each domain's questions and an empty row, an empty domain
    assert form["d1_q1_km"].value() == "ថវិកា"
    data = {**form.initial, "layout": "3,2,4", "d1_q2_en": "Audited every year", "d2_name_km": ""}

    response = client.post(url, {k: v for k, v in data.items() if v is not None})

    assert response.status_code == 302
    home_tool.refresh_from_db()
    assert outline(home_tool) == [
        ("financial", "Financial", "ហិរញ្ញវត្ថុ", [
            ("financial-1", "Budget", "ថវិកា"), ("financial-2", "Audited every year", ""),
        ]),
        ("technical", "Technical", "", [("technical-1", "M&E", "")]),
    ]  # fmt: skip
    event = AuditEvent.objects.get(action="capacity_tool.update")
    assert event.before["domains"][0]["questions"][1] == ["financial-2", "Audit", ""]
    assert event.after["domains"][0]["questions"][1] == ["financial-2", "Audited every year", ""]
    # Saving it again unchanged writes nothing.
    client.post(url, {k: v for k, v in data.items() if v is not None})
    assert AuditEvent.objects.filter(action="capacity_tool.update").count() == 1


def test_an_assessed_tool_is_refused_with_a_message_and_offered_as_a_copy(
    client, personas, home_tool
):
    capacity_assess(
        tool=home_tool,
        organisation=personas.home,
        by=personas.admin,
        assessed_on=datetime.date(2024, 3, 1),
        scores={"financial-1": 2, "financial-2": 3, "technical-1": 1},
    )
    client.force_login(personas.admin)
    url = reverse("learning:tool_edit", args=[home_tool.pk])

    page = client.get(url)
    post = client.post(url, {**NEW, "layout": "3,2"})

    assert "its questions can no longer change" in page.content.decode()
    assert f"/learning/tools/new/?from={home_tool.pk}" in page.content.decode()
    assert post.context["form"].non_field_errors() == [
        "This tool has been used for assessments, so its questions can no longer change. "
        "Copy it as a new tool instead."
    ]
    assert CapacityQuestion.objects.filter(domain__tool=home_tool).count() == 3
    assert not AuditEvent.objects.filter(action="capacity_tool.update").exists()
    detail = client.get(reverse("learning:tool", args=[home_tool.pk])).content.decode()
    assert url not in detail  # no Edit button
    copy = client.get(reverse("learning:tool_new") + f"?from={home_tool.pk}").context["form"]
    assert (copy["name_en"].value(), copy["d2_q1_en"].value()) == ("Home capacity", "M&E")


def test_viewers_and_facilitators_build_nothing_and_others_see_no_tool(client, personas, home_tool):
    for user in (personas.viewer, personas.facilitator):
        client.force_login(user)
        assert client.get(reverse("learning:tool_new")).status_code == 403
        assert client.post(reverse("learning:tool_new"), NEW).status_code == 403
        assert client.get(reverse("learning:tool_edit", args=[home_tool.pk])).status_code == 403
        assert client.get(reverse("learning:tool", args=[home_tool.pk])).status_code == 200
    client.force_login(personas.outsider)
    for name in ("learning:tool", "learning:tool_edit", "learning:tool_assess"):
        assert client.get(reverse(name, args=[home_tool.pk])).status_code == 404
    assert client.post(reverse("learning:tool_edit", args=[home_tool.pk]), NEW).status_code == 404
    assert "Home capacity" not in client.get(reverse("learning:tools")).content.decode()
    client.force_login(personas.donor_viewer)
    assert client.get(reverse("learning:tools")).status_code == 404  # no learning at all
    assert CapacityTool.objects.count() == 1


def _more_tools(personas, n: int) -> None:
    for i in range(n):
        tool = capacity_tool_create(
            organisation=personas.home,
            by=SYSTEM,
            slug=f"t{i}",
            name_en=f"Tool {i}",
            domains=[
                DomainSpec(f"d{j}", f"D{j}", "", [(f"d{j}-{k}", "Q", "") for k in range(3)])
                for j in range(3)
            ],
        )
        capacity_assess(
            tool=tool,
            organisation=personas.home,
            by=SYSTEM,
            assessed_on=datetime.date(2024, 1, 1),
            scores={f"d{j}-{k}": 2 for j in range(3) for k in range(3)},
        )


LIST_QUERIES = 4  # session, user, her organisation (the page frame), the tools with their counts


def test_the_tool_list_makes_the_same_queries_for_1_and_several_tools(
    client, personas, home_tool, django_assert_num_queries
):
    client.force_login(personas.admin)
    url = reverse("learning:tools")
    with django_assert_num_queries(LIST_QUERIES):
        one = client.get(url)
    assert [(t.name_en, t.domain_count, t.question_count, t.assessment_count)
            for t in one.context["tools"]] == [("Home capacity", 2, 3, 0)]  # fmt: skip
    _more_tools(personas, 3)
    with django_assert_num_queries(LIST_QUERIES):
        several = client.get(url)
    assert [t.assessment_count for t in several.context["tools"]] == [0, 1, 1, 1]
    assert "Tool 2" in several.content.decode()


# Session, user, her organisation (the frame), the tool, its domains, their questions, its
# assessments.
DETAIL_QUERIES = 7


def test_the_tool_page_makes_the_same_queries_for_1_and_several_rows(
    client, personas, home_tool, django_assert_num_queries
):
    client.force_login(personas.admin)
    url = reverse("learning:tool", args=[home_tool.pk])
    with django_assert_num_queries(DETAIL_QUERIES):
        page = client.get(url).content.decode()
    assert "Audit" in page and "ថវិកា" in page and "None yet." in page
    capacity_tool_create(
        organisation=personas.home, by=SYSTEM, slug="x", name_en="X",
        domains=[DomainSpec("x", "X", "", [("x-1", "Q", "")])],
    )  # fmt: skip
    for day in (1, 2, 3):
        capacity_assess(
            tool=home_tool,
            organisation=personas.home,
            by=SYSTEM,
            assessed_on=datetime.date(2024, 1, day),
            scores={"financial-1": 2, "financial-2": 3, "technical-1": 1},
        )
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    assert [a.assessed_on.day for a in response.context["assessments"]] == [3, 2, 1]
    assert (
        response.content.decode().count(reverse("learning:capacity", args=[personas.home.pk])) == 3
    )
