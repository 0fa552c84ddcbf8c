"""Reflection rounds opened in the app by the consortium's lead; members answer on the round."""

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role
from samaki.accounts.services import user_create
from samaki.audit.models import AuditEvent
from samaki.conftest import PASSWORD
from samaki.learning.models import ReflectionAnswer, ReflectionRound
from samaki.organisations.services import consortium_create

pytestmark = pytest.mark.django_db

ROUND = {
    "title": "Second half of 2024",
    "period_start": "2024-07-01",
    "period_end": "2024-12-31",
    "prompt_rows": "3",
    "prompt_1_en": "What are you proudest of?",
    "prompt_1_km": "តើអ្នកមានមោទនភាពបំផុតចំពោះអ្វី?",
    "prompt_2_en": "",
    "prompt_3_en": "What challenges did you meet?",
}


@pytest.fixture
def led(personas):
    """`other` leads a consortium home belongs to; outsider is other's administrator."""
    return consortium_create(
        by=SYSTEM, slug="fia", name_en="Feminists", lead=personas.other, members=[personas.home]
    )


def test_the_lead_opens_a_round_with_its_prompts(client, personas, led):
    client.force_login(personas.outsider)

    response = client.post(reverse("learning:round_new", args=[led.pk]), ROUND)

    round_ = ReflectionRound.objects.get()
    assert response["Location"] == reverse("learning:round", args=[round_.pk])
    assert (round_.consortium, round_.organisation, round_.slug, str(round_.period_end)) == (
        led,
        personas.other,
        "2024-07-second-half-of-2024",
        "2024-12-31",
    )
    assert list(round_.prompts.values_list("order", "text_en", "text_km")) == [
        (1, "What are you proudest of?", "តើអ្នកមានមោទនភាពបំផុតចំពោះអ្វី?"),
        (2, "What challenges did you meet?", ""),
    ]
    assert AuditEvent.objects.get(action="reflection_round.create").actor == personas.outsider
    # The member answers it on its page.
    client.force_login(personas.admin)
    page = client.get(response["Location"])
    assert [f.label for f in page.context["form"]] == [
        "What are you proudest of?",
        "What challenges did you meet?",
    ]


def test_the_add_button_gives_one_more_prompt_and_keeps_what_was_typed(client, personas, led):
    client.force_login(personas.outsider)

    response = client.post(
        reverse("learning:round_new", args=[led.pk]), {**ROUND, "_add": "prompt"}
    )

    assert response.status_code == 200
    assert response.context["form"].rows == 4
    assert 'name="prompt_4_en"' in response.content.decode()
    assert 'value="What challenges did you meet?"' in response.content.decode()
    assert not ReflectionRound.objects.exists()


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"title": ""}, {"title": ["This field is required."]}),
        ({"period_end": "2024-06-30"}, {"period_end": ["The period ends before it starts."]}),
        ({"period_start": "someday"}, {"period_start": ["Enter a valid date."]}),
        ({"prompt_1_en": "", "prompt_3_en": ""}, {"prompt_1_en": ["A prompt needs its English text."]}),
        ({"prompt_1_en": "", "prompt_1_km": "", "prompt_3_en": ""},
         {"prompt_1_en": ["A round needs at least one prompt."]}),
        ({"prompt_3_en": "x" * 301},
         {"prompt_3_en": ["Ensure this value has at most 300 characters (it has 301)."]}),
    ],
)  # fmt: skip
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    client, personas, led, change, errors
):
    client.force_login(personas.outsider)

    response = client.post(reverse("learning:round_new", args=[led.pk]), {**ROUND, **change})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not ReflectionRound.objects.exists()
    assert not AuditEvent.objects.filter(action="reflection_round.create").exists()


def test_the_same_round_twice_is_refused_next_to_the_title(client, personas, led):
    client.force_login(personas.outsider)
    url = reverse("learning:round_new", args=[led.pk])
    assert client.post(url, ROUND).status_code == 302

    again = client.post(url, ROUND)

    assert again.context["form"].errors == {
        "title": ["This consortium already has a round with this short name."]
    }
    assert ReflectionRound.objects.count() == 1


def test_a_member_cannot_open_a_round_for_the_consortium_nor_the_leads_viewer(
    client, personas, led
):
    url = reverse("learning:round_new", args=[led.pk])
    client.force_login(personas.admin)  # home is a member, not the lead
    assert client.get(url).status_code == 404
    assert client.post(url, ROUND).status_code == 404
    viewer = user_create(
        by=SYSTEM, organisation=personas.other, username="lv", password=PASSWORD, role=Role.VIEWER
    )
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, ROUND).status_code == 403
    assert not ReflectionRound.objects.exists()


def test_an_answer_too_long_is_shown_next_to_its_prompt_and_nothing_is_saved(
    client, personas, consortium
):
    round_ = consortium["round"]
    prompt = round_.prompts.order_by("order").first()
    before = ReflectionAnswer.objects.get(prompt=prompt, organisation=personas.home).text
    events = AuditEvent.objects.filter(action="reflection.answer").count()
    client.force_login(personas.admin)

    response = client.post(
        reverse("learning:round", args=[round_.pk]), {f"prompt_{prompt.pk}": "x" * 4001}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"prompt_{prompt.pk}": ["Ensure this value has at most 4000 characters (it has 4001)."]
    }
    assert ReflectionAnswer.objects.get(prompt=prompt, organisation=personas.home).text == before
    assert AuditEvent.objects.filter(action="reflection.answer").count() == events
