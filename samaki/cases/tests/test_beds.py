"""The safe house's beds: set by a case supervisor; occupancy rate and bed-nights of a period."""

import datetime

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.cases.models import SafeHouseCapacity, ShelterStay
from samaki.cases.reporting import occupancy_for_period
from samaki.cases.services import capacity_set, stay_admit, stay_discharge
from samaki.cases.tests.conftest import verified_login

BEDS = reverse("cases:beds")
REPORT = reverse("cases:report")
JUNE = {"start": datetime.date(2024, 6, 1), "end": datetime.date(2024, 6, 30)}
LATER = datetime.date(2024, 8, 15)  # "today" for a June that is over


def stay(house, admitted_on, discharged_on=None, case=None) -> ShelterStay:
    admitted = stay_admit(case=case or house.case, by=SYSTEM, admitted_on=admitted_on)
    if discharged_on is not None:
        stay_discharge(stay=admitted, by=SYSTEM, discharged_on=discharged_on)
    return admitted


def test_a_stay_from_the_3rd_to_the_7th_is_4_bed_nights(safe_house):
    stay(safe_house, datetime.date(2024, 6, 3), datetime.date(2024, 6, 7))
    capacity_set(organisation=safe_house.personas.home, by=SYSTEM, beds=10)

    figures = occupancy_for_period(organisation_id=safe_house.personas.home.pk, today=LATER, **JUNE)

    assert (figures.bed_nights, figures.nights, figures.beds, figures.stays) == (4, 30, 10, 1)
    assert figures.rate == pytest.approx(4 / 300)
    assert figures.percent == "1.3 %"


def test_stays_are_cut_at_the_periods_edges_and_an_open_stay_counts_to_its_end(safe_house):
    home = safe_house.personas.home
    second = safe_house.open_case()
    third = safe_house.open_case()
    stay(safe_house, datetime.date(2024, 5, 28), datetime.date(2024, 6, 2))  # 1 June night only
    stay(safe_house, datetime.date(2024, 6, 25), case=second)  # open: 25–30 June, 6 nights
    stay(safe_house, datetime.date(2024, 5, 1), datetime.date(2024, 6, 1), case=third)  # none
    stay(safe_house, datetime.date(2024, 7, 1), case=third)  # after June: none
    capacity_set(organisation=home, by=SYSTEM, beds=2)

    figures = occupancy_for_period(organisation_id=home.pk, today=LATER, **JUNE)

    assert (figures.bed_nights, figures.stays) == (1 + 6, 2)
    assert figures.percent == "11.7 %"  # 7 of 2 × 30 bed-nights
    # A period not yet over counts nights to tonight, not to its end.
    running = occupancy_for_period(
        organisation_id=home.pk, today=datetime.date(2024, 6, 27), **JUNE
    )
    assert (running.nights, running.bed_nights) == (27, 1 + 3)


def test_without_beds_there_is_no_rate(safe_house):
    stay(safe_house, datetime.date(2024, 6, 3), datetime.date(2024, 6, 7))
    figures = occupancy_for_period(organisation_id=safe_house.personas.home.pk, today=LATER, **JUNE)
    assert (figures.bed_nights, figures.beds, figures.rate, figures.percent) == (4, None, None, "—")


def test_the_supervisor_sets_the_beds_with_an_audit_row(client, safe_house):
    verified_login(client, safe_house.supervisor)

    response = client.post(BEDS, {"beds": "12"})

    assert (response.status_code, response.url) == (302, BEDS)
    assert SafeHouseCapacity.objects.get(organisation=safe_house.personas.home).beds == 12
    event = AuditEvent.objects.get(action="safe_house_capacity.set")
    assert (event.actor, event.before, event.after) == (safe_house.supervisor, None, {"beds": 12})
    page = client.get(BEDS).content.decode()
    assert "The safe house has 12 beds." in page


@pytest.mark.parametrize("beds", ["0", "1001", "twelve", ""])
def test_bad_beds_say_why_and_save_nothing(client, safe_house, beds):
    verified_login(client, safe_house.supervisor)

    response = client.post(BEDS, {"beds": beds})

    assert response.status_code == 200
    errors = response.context["form"].errors["beds"]
    assert (
        errors
        == {
            "0": ["Give a number of beds between 1 and 1000."],
            "1001": ["Give a number of beds between 1 and 1000."],
            "twelve": ["Enter a whole number."],
            "": ["This field is required."],
        }[beds]
    )
    assert not SafeHouseCapacity.objects.exists()
    assert not AuditEvent.objects.filter(action="safe_house_capacity.set").exists()


def test_only_the_supervisor_opens_the_beds_page(client, safe_house):
    verified_login(client, safe_house.worker)
    assert client.get(BEDS).status_code == 404
    assert client.post(BEDS, {"beds": "9"}).status_code == 404
    client.force_login(safe_house.personas.admin)  # the administrator: no case page at all
    assert client.get(BEDS).status_code == 404
    assert client.post(BEDS, {"beds": "9"}).status_code == 404
    verified_login(client, safe_house.outsider_worker)
    assert client.get(BEDS).status_code == 404
    assert not SafeHouseCapacity.objects.exists()


def test_the_beds_page_pins_its_queries(client, safe_house, django_assert_num_queries):
    verified_login(client, safe_house.supervisor)
    capacity_set(organisation=safe_house.personas.home, by=SYSTEM, beds=8)
    client.get(BEDS)
    # The session, the user, her OTP device; tonight's women and the beds; her organisation for
    # the page's frame; the session's new expiry (an UPDATE in its savepoint: 3).
    with django_assert_num_queries(9):
        assert client.get(BEDS).status_code == 200
    for _ in range(3):
        stay(safe_house, datetime.date(2024, 6, 3), case=safe_house.open_case())
    with django_assert_num_queries(9):
        assert client.get(BEDS).status_code == 200


def test_the_report_shows_the_periods_occupancy(client, safe_house, django_assert_num_queries):
    stay(safe_house, datetime.date(2024, 6, 3), datetime.date(2024, 6, 7))
    capacity_set(organisation=safe_house.personas.home, by=SYSTEM, beds=10)
    verified_login(client, safe_house.supervisor)
    url = f"{REPORT}?start=2024-06-01&end=2024-06-30"

    page = client.get(url)

    assert page.status_code == 200
    figures = page.context["occupancy"]
    assert (figures.bed_nights, figures.nights, figures.percent) == (4, 30, "1.3 %")
    body = page.content.decode()
    assert '<dd id="bed-nights">4</dd>' in body
    assert '<dd id="occupancy-rate">1.3 %</dd>' in body
    # As the beds page, with the incidents and referrals tables and the period's stays: 11.
    with django_assert_num_queries(11):
        client.get(url)
    for _ in range(3):
        stay(safe_house, datetime.date(2024, 6, 10), case=safe_house.open_case())
    with django_assert_num_queries(11):
        assert client.get(url).context["occupancy"].bed_nights == 4 + 3 * 21


def test_a_bad_period_says_why_and_shows_no_figures(client, safe_house):
    verified_login(client, safe_house.supervisor)

    page = client.get(f"{REPORT}?start=2024-06-30&end=2024-06-01")

    assert page.status_code == 200
    assert page.context["occupancy"] is None
    assert page.context["period"].errors == {"end": ["The period ends before it starts."]}
    page = client.get(f"{REPORT}?start=someday&end=")
    assert set(page.context["period"].errors) == {"start", "end"}


def test_the_report_opens_on_last_month(client, safe_house, today):
    verified_login(client, safe_house.supervisor)
    figures = client.get(REPORT).context["occupancy"]
    assert figures.end == today.replace(day=1) - datetime.timedelta(days=1)
    assert figures.start == figures.end.replace(day=1)
