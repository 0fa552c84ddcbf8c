"""The GBVIMS classification tool, and the small-cell suppression every survivor figure uses."""

import datetime
import itertools

import pytest

from samaki.accounts.access import SYSTEM
from samaki.cases.reporting import (
    TOTAL,
    incidents_by_type_and_year,
    referral_completion_rate,
    suppress_table,
)
from samaki.cases.services import Consent, classify_incident, referral_make, referral_update

QUESTIONS = [
    "penetration",
    "sexual_contact",
    "physical_assault",
    "forced_marriage",
    "denial",
    "psychological",
]
TYPES = [
    "rape",
    "sexual_assault",
    "physical_assault",
    "forced_marriage",
    "denial_of_resources_opportunities_or_services",
    "psychological_emotional_abuse",
]


@pytest.mark.parametrize("answers", list(itertools.product([False, True], repeat=6)))
def test_the_first_yes_wins(answers):
    result = classify_incident(**dict(zip(QUESTIONS, answers, strict=True)))
    expected = next((t for yes, t in zip(answers, TYPES, strict=True) if yes), "non-gbv")
    assert result == expected


def test_rape_with_a_beating_is_rape_and_a_beating_with_threats_is_physical_assault():
    everything = dict.fromkeys(QUESTIONS, True)
    assert classify_incident(**everything) == "rape"
    assert (
        classify_incident(
            **{**dict.fromkeys(QUESTIONS, False), "physical_assault": True, "psychological": True}
        )
        == "physical_assault"
    )


def lines(table):
    rows, columns = [*table.rows, TOTAL], [*table.columns, TOTAL]
    return [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]


def test_small_cells_show_as_less_than_5_and_no_total_gives_one_back():
    counts = {("rape", 2023): 3, ("rape", 2024): 12, ("assault", 2023): 8, ("assault", 2024): 20}
    table = suppress_table(counts, rows=["rape", "assault"], columns=[2023, 2024])
    # 3 is hidden; 12 (its row's other cell) and 8 (its column's other cell) hide with it, and
    # then 20 so that the assault row and the 2024 column do not give 8 and 12 back.
    assert table.as_rows() == [
        ("rape", ["<5", "<5", "15"]),
        ("assault", ["<5", "<5", "28"]),
        (TOTAL, ["11", "32", "43"]),
    ]
    for line in lines(table):
        assert sum(table.cells[key] == "<5" for key in line) != 1


def test_zeros_are_shown_and_a_lonely_small_total_is_hidden():
    table = suppress_table({("a", "x"): 2}, rows=["a", "b"], columns=["x", "y"])
    assert table.cell("a", "x") == "<5" and table.cell("a", TOTAL) == "<5"
    assert table.cell("b", "x") == "0" and table.cell(TOTAL, TOTAL) == "<5"
    for line in lines(table):
        assert sum(table.cells[key] == "<5" for key in line) != 1


def test_nothing_is_hidden_when_every_cell_is_5_or_more():
    table = suppress_table({("a", "x"): 5, ("a", "y"): 7}, rows=["a"], columns=["x", "y"])
    assert table.as_rows() == [("a", ["5", "7", "12"]), (TOTAL, ["5", "7", "12"])]


def test_aggregates_count_only_cases_that_consent_to_reporting(safe_house):
    # The fixture's case consents (physical assault); add 5 rapes and 5 sexual assaults that
    # consent, 3 that do not, 2 reported elsewhere.
    for incident_type in ["rape"] * 5 + ["sexual_assault"] * 5:
        safe_house.open_case(incident_type=incident_type)
    no = Consent(services=True, reporting=False)
    for _n in range(3):
        safe_house.open_case(incident_type="rape", consent=no)
    for _n in range(2):
        safe_house.open_case(incident_type="rape", reported_elsewhere=True)
    table = incidents_by_type_and_year(organisation_id=safe_house.personas.home.pk)
    assert table.columns == [2024]
    shown = dict(table.as_rows())
    assert shown["physical_assault"] == ["<5", "<5"]  # the fixture's one case
    # Beside a hidden 1, the 2024 column would give it back (11 - 5 - 5): a 5 is hidden too.
    assert shown["rape"] == ["<5", "<5"]
    assert shown["sexual_assault"] == ["5", "5"]
    assert shown[TOTAL] == ["11", "11"]  # not 14 or 16: no refusal, no double count
    for line in lines(table):
        assert sum(table.cells[key] == "<5" for key in line) != 1


def test_the_referral_completion_rate(safe_house):
    day = datetime.date(2024, 3, 10)
    referrals = [
        referral_make(case=safe_house.case, by=SYSTEM, provider=safe_house.hospital, made_on=day)
        for _n in range(12)
    ]
    for referral in referrals[:7]:
        referral_update(referral=referral, by=SYSTEM, status="accepted", on=day)
        referral_update(referral=referral, by=SYSTEM, status="completed", on=day)
    rate = referral_completion_rate(organisation_id=safe_house.personas.home.pk)
    assert (rate.completed, rate.referrals, rate.rate) == ("7", "12", "58 %")
    for referral in referrals[:4]:
        referral.delete()
    rate = referral_completion_rate(organisation_id=safe_house.personas.home.pk)
    # 3 of 8: the 3 is hidden, and so is the rate that would give it back.
    assert (rate.completed, rate.referrals, rate.rate) == ("<5", "8", "—")
