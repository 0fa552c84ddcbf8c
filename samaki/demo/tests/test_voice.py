"""Voice and learning in the demo: the seeds' feedback, requests, reflections, capacity, budget."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from samaki.accounts.models import User
from samaki.activities.models import Attendance
from samaki.advocacy.queries import request_counts_by_status, request_list
from samaki.budgets.queries import cost_per_person
from samaki.feedback.models import Feedback
from samaki.learning.models import CapacityAssessment
from samaki.learning.queries import capacity_assessment_list, capacity_scores
from samaki.organisations.models import Consortium
from samaki.projects.models import Project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
Q3_2024 = (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))


def test_83_women_gave_feedback_on_public_services_at_ccdos_forums():
    feedback = Feedback.objects.filter(organisation__slug="ccdo", kind="service")
    assert feedback.count() == 83
    forum_goers = Attendance.objects.filter(
        organisation__slug="ccdo",
        activity__kind__code="public_forum",
        activity__date__range=Q3_2024,
    ).values("person")
    assert feedback.filter(person__in=forum_goers).values("person").distinct().count() == 83
    assert set(feedback.values_list("category__code", flat=True)) == {
        "id_poor",
        "civil_documents",
        "health_centre",
    }


def test_voices_five_requests_to_authorities():
    lead = User.objects.get(username="livelearn.admin")
    requests = request_list(user=lead)
    assert set(requests.values_list("topic__code", flat=True)) == {
        "decent_jobs",
        "id_poor_card",
        "disability_card",
        "scholarship",
        "end_discrimination",
    }
    counts = request_counts_by_status(requests)
    assert (counts["raised"], counts["submitted"], sum(counts.values())) == (2, 3, 5)


def test_care_compares_its_six_partners_reflections_and_capacity_on_one_page():
    client = Client()
    client.force_login(User.objects.get(username="care.lead"))
    consortium = Consortium.objects.get(slug="feminists-in-action")
    response = client.get(reverse("learning:compare", args=[consortium.pk]))
    assert response.status_code == 200
    partners = response.context["partners"]
    assert [p.organisation.slug for p in partners] == [
        "act",
        "banteay-srei",
        "cwcc",
        "lsg",
        "lscw",
        "mrc",
    ]
    assert all(p.answers[0] and p.answers[2] for p in partners)
    assert all(p.latest is not None and len(p.latest.domains) == 3 for p in partners)
    assert "Female Protection Network" in response.content.decode()


def test_banteay_srei_grows_in_every_domain_over_four_assessments():
    bs_admin = User.objects.get(username="bs.admin")
    history = capacity_scores(capacity_assessment_list(user=bs_admin))
    assert (
        len(history)
        == 4
        == CapacityAssessment.objects.filter(organisation__slug="banteay-srei").count()
    )
    first, last = history[0].domains, history[-1].domains
    assert all(b.percent > a.percent for a, b in zip(first, last, strict=True))


def test_ccdo_spent_34_pounds_per_woman_reached_in_july_to_september_2024():
    project = Project.objects.get(code="ccdo-elc-2024")
    cost = cost_per_person(
        user=User.objects.get(username="ccdo.me"), project=project, start=Q3_2024[0], end=Q3_2024[1]
    )
    assert (cost.currency, cost.women, cost.spent) == ("GBP", 1072, Decimal("36448.00"))
    assert cost.per_woman == Decimal("34.00")
