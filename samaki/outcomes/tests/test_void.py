"""Voiding an outcome recorded by mistake: it stops counting, and stays visible, struck through,
to the M&E officer on the person's page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_BANTEAY_SREI
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record, outcome_update, outcome_void
from samaki.results.engine import IndicatorDefinition, Measure, Period, indicator_compute

Q3 = Period(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))
DAY = datetime.date(2024, 9, 15)


def figures(personas) -> tuple[int, int]:
    """(outcomes, people with an outcome) of home's in Q3."""
    return tuple(
        indicator_compute(
            IndicatorDefinition(measure=measure), organisations=[personas.home.pk], period=Q3
        ).total
        for measure in (Measure.OUTCOMES, Measure.DISTINCT_PEOPLE_WITH_OUTCOME)
    )


@pytest.fixture
def outcomes(personas):
    dara, mealea = personas.person(name="Sok Dara"), personas.person(name="Chan Mealea")
    return [
        outcome_record(person=dara, by=personas.admin, kind_code="business_started", date=DAY),
        outcome_record(person=dara, by=personas.admin, kind_code="id_card", date=DAY),
        outcome_record(
            person=mealea, by=personas.admin, kind_code="id_card", date=DAY, external_id="X-1"
        ),
    ]


def test_a_voided_outcome_stops_counting(personas, outcomes):
    card, _business, mealeas = outcomes[1], outcomes[0], outcomes[2]
    assert figures(personas) == (3, 2)

    outcome_void(by=personas.facilitator, outcome=card, reason="No card yet")
    assert figures(personas) == (2, 2)
    outcome_void(by=personas.me_officer, outcome=mealeas, reason="Wrong person")
    assert figures(personas) == (1, 1)

    row = Outcome.all_objects.get(pk=card.pk)
    assert (row.voided_by, row.void_reason) == (personas.facilitator, "No card yet")
    assert dict(
        AuditEvent.objects.filter(action="outcome.void").values_list("object_id", "reason")
    ) == {str(card.pk): "No card yet", str(mealeas.pk): "Wrong person"}
    # Its external ID is free again: the right record may be imported.
    outcome_record(
        person=mealeas.person, by=personas.admin, kind_code="id_card", date=DAY, external_id="X-1"
    )
    assert figures(personas) == (2, 2)


@pytest.mark.parametrize("reason", ["", "  ", "x" * 1001])
def test_a_void_without_a_reason_is_refused_and_changes_nothing(personas, outcomes, reason):
    with pytest.raises(ValidationError) as refused:
        outcome_void(by=personas.admin, outcome=outcomes[0], reason=reason)
    assert list(refused.value.message_dict) == ["reason"]
    assert figures(personas) == (3, 2)


def test_voiding_twice_or_correcting_a_voided_outcome_is_refused(personas, outcomes):
    outcome_void(by=personas.admin, outcome=outcomes[0], reason="Duplicate")
    with pytest.raises(ValidationError, match="already voided"):
        outcome_void(by=personas.admin, outcome=outcomes[0], reason="Again")
    with pytest.raises(ValidationError, match="voided"):
        outcome_update(by=personas.admin, outcome=outcomes[0], kind_code="id_card", date=DAY)


def test_only_those_who_may_edit_it_void_an_outcome(personas, outcomes):
    far = outcome_record(
        person=personas.person(name="Far Away", village=VILLAGE_IN_BANTEAY_SREI),
        by=personas.admin,
        kind_code="id_card",
        date=DAY,
    )
    for by, outcome in [
        (personas.viewer, outcomes[0]),
        (personas.outsider, outcomes[0]),
        (personas.facilitator, far),
    ]:
        with pytest.raises(PermissionDenied):
            outcome_void(by=by, outcome=outcome, reason="No")
    assert figures(personas) == (4, 3)


def test_a_correction_keeps_its_reason(personas, outcomes):
    outcome_update(
        by=personas.admin, outcome=outcomes[0], kind_code="id_card", date=DAY, reason=" Misread "
    )
    assert AuditEvent.objects.get(action="outcome.update").reason == "Misread"


def test_her_page_strikes_it_through_for_managers_only(client, personas, outcomes):
    business = outcomes[0]
    outcome_void(by=personas.admin, outcome=business, reason="Never started")
    url = reverse("people:detail", args=[business.person_id])
    client.force_login(personas.me_officer)
    html = client.get(url).content.decode()
    assert "Never started" in html and "Voided on" in html
    for other in (personas.facilitator, personas.viewer):
        client.force_login(other)
        assert "Never started" not in client.get(url).content.decode()
    client.force_login(personas.me_officer)
    # Voided, it is neither corrected nor voided again: not found.
    assert client.get(reverse("outcomes:edit", args=[business.pk])).status_code == 404
    assert client.get(reverse("outcomes:void", args=[business.pk])).status_code == 404


def test_the_void_page_asks_why(client, personas, outcomes):
    url = reverse("outcomes:void", args=[outcomes[0].pk])
    client.force_login(personas.facilitator)
    assert client.get(url).status_code == 200
    assert list(client.post(url, {"reason": " "}).context["form"].errors) == ["reason"]
    assert figures(personas) == (3, 2)
    done = client.post(url, {"reason": "Never started"})
    assert done["Location"] == reverse("people:detail", args=[outcomes[0].person_id])
    assert figures(personas) == (2, 2)
    client.force_login(personas.viewer)
    assert (
        client.post(reverse("outcomes:void", args=[outcomes[1].pk]), {"reason": "x"}).status_code
        == 403
    )
    client.force_login(personas.outsider)
    assert client.get(reverse("outcomes:void", args=[outcomes[1].pk])).status_code == 404
