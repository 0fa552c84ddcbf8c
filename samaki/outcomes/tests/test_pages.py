"""Recording an outcome on its page: the kind (named in the page's language) and its detail."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.audit.models import AuditEvent
from samaki.audit.services import event_unsealed
from samaki.conftest import VILLAGE_IN_BANTEAY_SREI
from samaki.outcomes.models import Outcome, OutcomeKind

KINDS = 11  # the shared outcome kinds of outcomes/migrations/0002_default_vocabularies.py


def test_a_facilitator_records_a_business_started_with_its_kind_of_business(client, personas):
    sokcha = personas.person(name="Sokcha Keo")
    client.force_login(personas.facilitator)
    url = reverse("outcomes:create", args=[sokcha.pk])

    response = client.post(
        url + "?next=/activities/", {"kind_code": "business_started", "date": "15/09/2024",
                                     "detail": " Tailoring ", "next": "/activities/"},
    )  # fmt: skip

    assert response["Location"] == "/activities/"
    assert list(Outcome.objects.values_list("person", "kind__code", "date", "detail")) == [
        (sokcha.pk, "business_started", datetime.date(2024, 9, 15), "Tailoring")
    ]
    event = AuditEvent.objects.get(action="outcome.record")
    # The detail is free text about her: sealed under her key (samaki.audit.services.unseal).
    assert event.after["detail"] != "Tailoring"
    assert (event.actor, event_unsealed(event)[1]["detail"]) == (personas.facilitator, "Tailoring")


def test_the_kinds_are_listed_by_their_khmer_name_on_khmer_pages(client, personas):
    sokcha = personas.person()
    client.force_login(personas.facilitator)
    url = reverse("outcomes:create", args=[sokcha.pk])

    khmer = dict(
        client.get(url, HTTP_ACCEPT_LANGUAGE="km").context["form"].fields["kind_code"].choices
    )
    english = dict(
        client.get(url, HTTP_ACCEPT_LANGUAGE="en").context["form"].fields["kind_code"].choices
    )

    assert len(khmer) == len(english) == KINDS + 1  # and the empty choice
    assert (khmer["business_started"], khmer["id_card"], khmer["leadership_role"]) == (
        "បានចាប់ផ្តើមអាជីវកម្ម",
        "បានទទួលអត្តសញ្ញាណប័ណ្ណ",
        "បានទទួលតួនាទីជាអ្នកដឹកនាំ",
    )
    assert (english["business_started"], english["leadership_role"]) == (
        "Started a business",
        "Took a leadership role",
    )
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert '<option value="business_started">បានចាប់ផ្តើមអាជីវកម្ម</option>' in page
    assert "Started a business" not in page


def test_an_organisations_own_kind_is_offered_to_her_only(client, personas):
    OutcomeKind.objects.create(
        organisation=personas.home, code="savings_group_loan", name_en="Took a savings-group loan",
        name_km="បានខ្ចីប្រាក់ពីក្រុមសន្សំ",
    )  # fmt: skip
    client.force_login(personas.admin)
    choices = client.get(reverse("outcomes:create", args=[personas.person().pk])).context["form"]
    assert "savings_group_loan" in dict(choices.fields["kind_code"].choices)


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(client, personas):
    sokcha = personas.person()
    client.force_login(personas.admin)
    url = reverse("outcomes:create", args=[sokcha.pk])

    future = client.post(url, {"kind_code": "business_started", "date": "2999-01-01"})
    no_kind = client.post(url, {"kind_code": "", "date": "2024-09-15"})
    unknown = client.post(url, {"kind_code": "lottery_won", "date": "2024-09-15"})

    assert future.context["form"].errors == {"date": ["The date is in the future."]}
    assert no_kind.context["form"].errors == {"kind_code": ["This field is required."]}
    assert list(unknown.context["form"].errors) == ["kind_code"]
    assert not Outcome.objects.exists()
    assert not AuditEvent.objects.filter(action="outcome.record").exists()


def test_viewers_write_nothing_and_others_see_nobody(client, personas):
    sokcha, far = personas.person(), personas.person(village=VILLAGE_IN_BANTEAY_SREI)
    data = {"kind_code": "id_card", "date": "2024-09-15"}
    client.force_login(personas.viewer)
    assert client.post(reverse("outcomes:create", args=[sokcha.pk]), data).status_code == 403
    client.force_login(personas.facilitator)  # Banteay Srei is outside her district
    assert client.post(reverse("outcomes:create", args=[far.pk]), data).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(reverse("outcomes:create", args=[sokcha.pk])).status_code == 404
    assert client.post(reverse("outcomes:create", args=[sokcha.pk]), data).status_code == 404
    assert not Outcome.objects.exists()


def test_the_form_makes_the_same_queries_for_1_and_20_kinds(client, personas):
    client.force_login(personas.admin)
    url = reverse("outcomes:create", args=[personas.person().pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    OutcomeKind.objects.bulk_create(
        OutcomeKind(organisation=personas.home, code=f"k{n}", name_en=f"K{n}", name_km=f"ក{n}")
        for n in range(20)
    )
    assert queries() == one
