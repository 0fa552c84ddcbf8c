"""Correcting an outcome: its kind, date, detail or project, with the change in the audit trail."""

import datetime

import pytest
from django.urls import reverse

from samaki.audit.models import AuditEvent
from samaki.audit.services import event_unsealed
from samaki.conftest import VILLAGE_IN_BANTEAY_SREI
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcome(personas):
    return outcome_record(
        person=personas.person(name="Sokcha Keo"),
        by=personas.admin,
        kind_code="business_started",
        date=datetime.date(2024, 9, 15),
        detail="Tailoring",
    )


def test_a_facilitator_corrects_an_outcome_and_the_audit_keeps_both_versions(
    client, personas, outcome
):
    client.force_login(personas.facilitator)
    url = reverse("outcomes:edit", args=[outcome.pk])
    form = client.get(url).context["form"]
    assert (form["kind_code"].value(), form["detail"].value()) == ("business_started", "Tailoring")

    response = client.post(
        url,
        {
            "reason": "Correction",
            "kind_code": "id_card",
            "date": "14/09/2024",
            "detail": " Card from the commune ",
        },
    )

    assert response["Location"] == reverse("people:detail", args=[outcome.person_id])
    outcome.refresh_from_db()
    assert (outcome.kind.code, outcome.date, outcome.detail) == (
        "id_card",
        datetime.date(2024, 9, 14),
        "Card from the commune",
    )
    event = AuditEvent.objects.get(action="outcome.update")
    assert (event.actor, event.before["date"], event.after["date"]) == (
        personas.facilitator,
        "2024-09-15",
        "2024-09-14",
    )
    before, after = event_unsealed(event)  # the detail is sealed under her key
    assert (before["detail"], after["detail"]) == ("Tailoring", "Card from the commune")


def test_saving_it_unchanged_writes_no_audit_row(client, personas, outcome):
    client.force_login(personas.admin)
    data = {
        "reason": "Correction",
        "kind_code": "business_started",
        "date": "2024-09-15",
        "detail": "Tailoring",
    }

    response = client.post(reverse("outcomes:edit", args=[outcome.pk]), data)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="outcome.update").exists()


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(client, personas, outcome):
    client.force_login(personas.admin)
    url = reverse("outcomes:edit", args=[outcome.pk])

    future = client.post(
        url, {"reason": "Correction", "kind_code": "id_card", "date": "2999-01-01"}
    )
    no_kind = client.post(url, {"reason": "Correction", "kind_code": "", "date": "2024-09-15"})
    unknown = client.post(
        url, {"reason": "Correction", "kind_code": "lottery_won", "date": "2024-09-15"}
    )
    bad_date = client.post(
        url, {"reason": "Correction", "kind_code": "id_card", "date": "31/02/2024"}
    )
    long = client.post(
        url,
        {"reason": "Correction", "kind_code": "id_card", "date": "2024-09-15", "detail": "x" * 201},
    )

    assert future.context["form"].errors == {"date": ["The date is in the future."]}
    assert no_kind.context["form"].errors == {"kind_code": ["This field is required."]}
    assert list(unknown.context["form"].errors) == ["kind_code"]
    assert bad_date.context["form"].errors == {"date": ["Enter a valid date."]}
    assert list(long.context["form"].errors) == ["detail"]
    outcome.refresh_from_db()
    assert (outcome.kind.code, outcome.date, outcome.detail) == (
        "business_started",
        datetime.date(2024, 9, 15),
        "Tailoring",
    )
    assert not AuditEvent.objects.filter(action="outcome.update").exists()


def test_writers_see_an_edit_link_on_her_page_and_viewers_do_not(client, personas, outcome):
    person_url = reverse("people:detail", args=[outcome.person_id])
    edit_url = reverse("outcomes:edit", args=[outcome.pk])
    client.force_login(personas.me_officer)
    assert f'href="{edit_url}"' in client.get(person_url).content.decode()
    client.force_login(personas.viewer)
    assert f'href="{edit_url}"' not in client.get(person_url).content.decode()


def test_viewers_correct_nothing_and_others_see_nothing(client, personas, outcome):
    url = reverse("outcomes:edit", args=[outcome.pk])
    data = {"reason": "Correction", "kind_code": "id_card", "date": "2024-09-15"}
    client.force_login(personas.viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    far = outcome_record(
        person=personas.person(village=VILLAGE_IN_BANTEAY_SREI),
        by=personas.admin,
        kind_code="id_card",
        date=datetime.date(2024, 9, 15),
    )
    client.force_login(personas.facilitator)  # Banteay Srei is outside her district
    assert client.post(reverse("outcomes:edit", args=[far.pk]), data).status_code == 404
    assert list(Outcome.objects.order_by("pk").values_list("kind__code", flat=True)) == [
        "business_started",
        "id_card",
    ]
    assert not AuditEvent.objects.filter(action="outcome.update").exists()


def test_the_project_is_changed_only_to_one_whose_period_holds_the_date(client, personas, outcome):
    from samaki.projects.services import project_create

    def project(code: str, start: int):
        return project_create(
            organisation=personas.home,
            by=personas.admin,
            code=code,
            name_en=code,
            starts_on=datetime.date(start, 1, 1),
            ends_on=datetime.date(start, 12, 31),
        )

    right, later = project("p2024", 2024), project("p2025", 2025)
    client.force_login(personas.admin)
    url = reverse("outcomes:edit", args=[outcome.pk])
    data = {
        "reason": "Correction",
        "kind_code": "business_started",
        "date": "2024-09-15",
        "detail": "Tailoring",
    }

    refused = client.post(url, {**data, "project": later.pk})
    assert list(refused.context["form"].errors) == ["date"]
    assert Outcome.objects.get().project is None
    assert client.post(url, {**data, "project": right.pk}).status_code == 302
    assert Outcome.objects.get().project == right
    assert AuditEvent.objects.get(action="outcome.update").after["project_id"] == right.pk
