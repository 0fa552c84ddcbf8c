"""Every figure the seed reports publish, recomputed from the demo's individual records.

Each test counts with plain ORM queries (distinct persons, never summed attendances) and asserts
the published number exactly.
"""

import datetime

import pytest
from django.db.models import Count, Min, Q, QuerySet, Sum

from samaki.accounts.models import Role, User
from samaki.activities.models import Activity, Attendance, Headcount
from samaki.demo.builder import DEMO_PASSWORD
from samaki.demo.names import REAL_PEOPLE, name_key
from samaki.groups.models import Group, Membership
from samaki.organisations.models import Consortium, Site
from samaki.outcomes.models import Outcome
from samaki.people.models import Person
from samaki.projects.models import Project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

PHASE_1 = (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31))
Q3_2024 = (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))


def distinct_people(attendances: QuerySet) -> int:
    return attendances.aggregate(n=Count("person", distinct=True))["n"]


def ccdo_attendances(period: tuple[datetime.date, datetime.date]) -> QuerySet[Attendance]:
    return Attendance.objects.filter(organisation__slug="ccdo", activity__date__range=period)


def ccdo_activities(kind: str, period=Q3_2024) -> QuerySet[Activity]:
    return Activity.objects.filter(organisation__slug="ccdo", kind__code=kind, date__range=period)


def smart_women_active_between(start: datetime.date, end: datetime.date) -> QuerySet:
    return (
        Membership.objects.filter(
            organisation__slug="ccdo", group__kind__code="smart_women", joined_on__lte=end
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=start))
        .values("person")
    )


# --- CCDO, 2022–2023 (closing report) ---------------------------------------------------------


def test_2814_women_and_girls_took_part_in_2022_and_2023():
    attendances = ccdo_attendances(PHASE_1)
    assert distinct_people(attendances.filter(person__sex="female")) == 2814
    # The 60 men at public forums are registered too, and not counted among women and girls.
    assert distinct_people(attendances) == 2874


def test_over_2500_women_and_girls_were_coached_and_mentored():
    coached = distinct_people(
        ccdo_attendances(PHASE_1).filter(activity__kind__code="coaching", person__sex="female")
    )
    assert coached == 2531
    assert coached > 2500


def test_46_smart_women_in_the_6_communities_at_the_end_of_2023():
    end_of_2023 = datetime.date(2023, 12, 31)
    active = smart_women_active_between(end_of_2023, end_of_2023)
    assert active.distinct().count() == 46
    groups = Group.objects.filter(organisation__slug="ccdo", kind__code="smart_women")
    assert groups.count() == 6
    districts = groups.values("area__district__code").annotate(n=Count("id"))
    assert {row["area__district__code"]: row["n"] for row in districts} == {
        "1702": 2,
        "1703": 2,
        "1709": 2,
    }
    # Four more had joined and left during 2023: membership over time, not a flag.
    assert Membership.objects.filter(group__in=groups).count() == 50
    assert Membership.objects.filter(group__in=groups, left_on__lte=end_of_2023).count() == 4


def test_one_smart_woman_became_village_chief_and_one_joined_the_commune_council():
    roles = Outcome.objects.filter(organisation__slug="ccdo", kind__code="leadership_role")
    assert sorted(roles.values_list("detail", flat=True)) == [
        "Member of the Commune Committee for Women and Children, Bakong commune",
        "Village chief",
    ]
    smart_women = Membership.objects.filter(group__kind__code="smart_women").values("person")
    assert roles.filter(person__in=smart_women).count() == 2
    councillor = roles.get(detail__startswith="Member of the Commune")
    assert councillor.person.village.commune.name_en == "Bakong"


def test_ccdo_people_live_in_prasat_bakong_angkor_thum_and_banteay_srei():
    districts = set(
        Person.objects.filter(organisation__slug="ccdo").values_list(
            "village__district__name_en", flat=True
        )
    )
    assert districts == {"Prasat Bakong", "Angkor Thum", "Banteay Srei"}


# --- CCDO, July–September 2024 ----------------------------------------------------------------


def test_13_health_sessions_reached_246_women_and_girls():
    sessions = ccdo_activities("training").filter(topics__code="health").distinct()
    assert sessions.count() == 13
    reached = ccdo_attendances(Q3_2024).filter(activity__in=sessions)
    assert distinct_people(reached) == 246
    assert distinct_people(reached.filter(person__sex="female")) == 246


def test_38_self_empowerment_and_business_workshops_with_1216_attendances():
    workshops = ccdo_activities("workshop")
    assert workshops.count() == 38
    on_topic = workshops.filter(topics__code__in=["self_empowerment", "business"]).distinct()
    assert on_topic.count() == 38
    attendances = ccdo_attendances(Q3_2024).filter(activity__kind__code="workshop")
    assert attendances.count() == 1216
    assert attendances.count() > 1200


def test_38_smart_women_were_among_the_workshop_attendees():
    attendances = ccdo_attendances(Q3_2024).filter(activity__kind__code="workshop")
    smart_women = smart_women_active_between(*Q3_2024)
    assert distinct_people(attendances.filter(person__in=smart_women)) == 38


def test_635_women_and_girls_trained_in_business():
    trained = ccdo_attendances(Q3_2024).filter(activity__topics__code="business")
    assert distinct_people(trained) == 635
    assert distinct_people(trained.filter(person__sex="female")) == 635


def test_1072_women_and_girls_across_health_sessions_and_workshops():
    attendances = ccdo_attendances(Q3_2024)
    sessions_and_workshops = attendances.filter(
        Q(activity__kind__code="workshop")
        | Q(activity__kind__code="training", activity__topics__code="health")
    )
    assert distinct_people(sessions_and_workshops) == 1072
    assert distinct_people(sessions_and_workshops.filter(person__sex="female")) == 1072


def test_1072_is_also_the_registered_reach_of_every_q3_activity():
    attendances = ccdo_attendances(Q3_2024)
    assert distinct_people(attendances) == 1072
    # Reach is distinct people: far fewer than the attendances.
    assert attendances.count() > 1072


def test_56_new_businesses_by_56_women_trained_in_business():
    started = Outcome.objects.filter(
        organisation__slug="ccdo", kind__code="business_started", date__range=Q3_2024
    )
    assert started.count() == 56
    assert started.values("person").distinct().count() == 56
    first_business_training = dict(
        ccdo_attendances(Q3_2024)
        .filter(activity__topics__code="business")
        .values("person")
        .annotate(first=Min("activity__date"))
        .values_list("person", "first")
    )
    for person, day in started.values_list("person", "date"):
        assert person in first_business_training
        assert first_business_training[person] < day


def test_18_women_met_local_leaders():
    met = ccdo_attendances(Q3_2024).filter(activity__kind__code="meeting_authorities")
    assert distinct_people(met) == 18


def test_187_home_visits_each_to_one_woman():
    visits = ccdo_activities("home_visit").annotate(n=Count("attendances"))
    assert visits.count() == 187
    assert visits.filter(n=1).count() == 187
    visited = ccdo_attendances(Q3_2024).filter(activity__kind__code="home_visit")
    assert distinct_people(visited.filter(person__sex="female")) == 187


def test_114_women_in_seminars():
    seminars = ccdo_attendances(Q3_2024).filter(activity__kind__code="seminar")
    assert distinct_people(seminars.filter(person__sex="female")) == 114


def test_83_women_gave_feedback_on_public_services():
    forums = ccdo_attendances(Q3_2024).filter(
        activity__kind__code="public_forum", activity__topics__code="public_services"
    )
    assert distinct_people(forums.filter(person__sex="female")) == 83


def test_the_tuk_tuk_campaign_counted_2450_people_and_registered_none():
    campaign = ccdo_activities("campaign").get(topics__code="leadership")
    headcount = Headcount.objects.filter(activity=campaign)
    assert headcount.aggregate(n=Sum("count"))["n"] == 2450
    assert headcount.filter(sex="female").aggregate(n=Sum("count"))["n"] == 1900
    assert campaign.attendances.count() == 0


def test_all_q3_activities_are_dated_inside_the_quarter_and_under_the_2024_project():
    q3 = Activity.objects.filter(organisation__slug="ccdo", project__code="ccdo-elc-2024")
    assert q3.count() == q3.filter(date__range=Q3_2024).count() == 13 + 38 + 187 + 12 + 6 + 6 + 1


# --- Banteay Srei -----------------------------------------------------------------------------


def active_members(**group_filters) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation__slug="banteay-srei", left_on__isnull=True, **group_filters
    )


def count_people(memberships: QuerySet[Membership]) -> int:
    return memberships.values("person").distinct().count()


def test_the_good_men_network_comprises_457_men():
    members = active_members(group__kind__code="good_men_network")
    assert count_people(members) == 457
    assert not members.exclude(person__sex="male").exists()
    network = Group.objects.get(
        organisation__slug="banteay-srei", kind__code="good_men_network", parent=None
    )
    assert count_people(members.filter(Q(group=network) | Q(group__parent=network))) == 457
    assert set(network.children.values_list("area__province__code", flat=True)) == {"02", "17"}
    # Men who left are kept, and not counted.
    left = Membership.objects.filter(group__kind__code="good_men_network", left_on__isnull=False)
    assert left.count() == 20


def test_the_children_and_youth_network_has_10_groups_313_members_198_girls_in_2_districts():
    network = Group.objects.get(
        organisation__slug="banteay-srei", kind__code="children_youth_network", parent=None
    )
    groups = network.children.all()
    assert groups.count() == 10
    assert set(groups.values_list("area__district__name_en", flat=True)) == {
        "Kralanh",
        "Sangkae",
    }
    members = active_members(group__in=groups)
    assert count_people(members) == 313
    girls = Person.objects.filter(pk__in=members.values("person"), sex="female")
    assert girls.count() == 198
    assert all(girl.age_on(datetime.date(2024, 12, 31)) < 25 for girl in girls)


def test_the_happy_women_network_counts_140_members():
    members = active_members(group__kind__code="happy_women_network")
    assert count_people(members) == 140
    assert not members.exclude(person__sex="female").exists()


def test_the_young_women_network_has_10_to_15_volunteers_per_village():
    network = Group.objects.get(
        organisation__slug="banteay-srei", kind__code="young_women_network", parent=None
    )
    sizes = [
        count_people(active_members(group=group))
        for group in network.children.filter(area__level="village")
    ]
    assert sorted(sizes) == [10, 11, 12, 13, 15]
    members = active_members(group__kind__code="young_women_network")
    assert not members.exclude(person__sex="female").exists()


@pytest.mark.parametrize(
    ("level", "groups", "members", "women"),
    [("village", 24, 243, 199), ("commune", 2, 137, 124)],
)
def test_producer_groups(level, groups, members, women):
    producer_groups = Group.objects.filter(
        organisation__slug="banteay-srei", kind__code="producer_group", area__level=level
    )
    assert producer_groups.count() == groups
    memberships = active_members(group__in=producer_groups)
    assert count_people(memberships) == members
    assert count_people(memberships.filter(person__sex="female")) == women


def test_the_skills_centre_is_in_phnum_trong_bat_kampong_thkov_kralanh_since_2015():
    centre = Site.objects.get(organisation__slug="banteay-srei", kind="skills_centre")
    assert centre.area.code == "17060208"
    assert (
        centre.area.name_en,
        centre.area.commune.name_en,
        centre.area.district.name_en,
        centre.area.province.name_en,
    ) == ("Phnum Trong Bat", "Kampong Thkov", "Kralanh", "Siem Reap")
    assert centre.established_on.year == 2015


def test_the_safe_house_opened_in_siem_reap_in_october_2005():
    safe_house = Site.objects.get(organisation__slug="banteay-srei", kind="safe_house")
    assert safe_house.area.province.name_en == "Siem Reap"
    assert safe_house.area.level != "village"  # no address finer than the municipality
    assert (safe_house.established_on.year, safe_house.established_on.month) == (2005, 10)


def test_banteay_srei_works_in_siem_reap_and_battambang():
    provinces = set(
        Person.objects.filter(organisation__slug="banteay-srei").values_list(
            "village__province__name_en", flat=True
        )
    )
    assert provinces == {"Siem Reap", "Battambang"}


# --- Consortia --------------------------------------------------------------------------------


def test_feminists_in_action_is_care_and_its_6_partners_funded_by_afd():
    consortium = Consortium.objects.get(name_en="Feminists in Action")
    partners = {"LSCW", "BS", "ACT", "CWCC", "LSG", "MRC"}
    assert consortium.lead.acronym == "CARE"
    assert set(consortium.members.values_list("acronym", flat=True)) == partners
    project = Project.objects.get(name_en="Feminists in Action")
    assert project.organisation == consortium.lead
    assert project.consortium == consortium
    assert project.donor.name_en == "Agence Française de Développement"
    assert set(project.partners.values_list("acronym", flat=True)) == partners


def test_cop_women_is_5_organisations_facilitated_by_live_and_learn():
    consortium = Consortium.objects.get(name_en="VOICE CoP Women")
    assert consortium.lead.name_en == "Live & Learn Cambodia"
    assert set(consortium.members.values_list("acronym", flat=True)) == {
        "AUA",
        "WPM",
        "LKO",
        "CIPL",
        "WWD-LAN",
    }


def test_womens_voices_toward_inclusiveness_on_28_october_2023_in_ratanakiri():
    event = Activity.objects.get(organisation__slug="live-learn", date=datetime.date(2023, 10, 28))
    assert event.title == "Women's Voices Toward Inclusiveness"
    assert event.kind.code == "workshop"
    assert "discrimination" in set(event.topics.values_list("code", flat=True))
    assert event.area.province.name_en == "Ratanakiri"
    assert event.group.kind.code == "community_of_practice"
    assert event.attendances.count() == 10
    assert event.headcounts.aggregate(n=Sum("count"))["n"] == 42


def test_each_project_is_run_by_its_organisation_for_its_donor():
    funded = {
        project.code: (project.organisation.slug, project.donor.slug)
        for project in Project.objects.select_related("organisation", "donor")
    }
    assert funded == {
        "care-fia": ("care", "afd"),
        "ccdo-elc-2022-2023": ("ccdo", "si-foundation"),
        "ccdo-elc-2024": ("ccdo", "si-foundation"),
    }


# --- People and logins ------------------------------------------------------------------------


def test_no_demo_person_bears_the_name_of_a_real_person_from_the_reports():
    real = {name_key(name) for name in REAL_PEOPLE}
    names = Person.objects.values_list("name_latin", flat=True)
    assert len(names) == 4456
    assert not [name for name in names if name_key(name) in real]


def test_every_person_has_a_khmer_and_a_latin_name():
    people = Person.objects.all()
    assert not people.filter(Q(name_km="") | Q(name_latin="")).exists()
    assert all(
        all("\u1780" <= char <= "\u17ff" or char == " " for char in name)
        for name in people.values_list("name_km", flat=True)
    )
    # Some names are spelt two ways in Latin script, as they are in real registers.
    spellings = set(people.filter(name_km__endswith=" សុខជា").values_list("name_latin", flat=True))
    assert {name.split()[-1] for name in spellings} == {"Sokcha", "Sokchea"}


def test_people_are_described_as_a_programme_would_record_them():
    people = Person.objects.all()
    total = people.count()
    year_only = people.filter(birth_date__isnull=True).count()
    assert 0.3 * total < year_only < 0.5 * total
    not_asked = people.filter(wg_seeing__isnull=True).count()
    assert 0.07 * total < not_asked < 0.13 * total
    disability = people.annotate(d=Person.disability_expression()).filter(d="yes").count()
    assert 0.03 * total < disability < 0.07 * total
    assert 0.3 * total < people.exclude(phone="").count() < 0.6 * total
    assert set(people.values_list("id_poor", flat=True)) == {
        "poor_1",
        "poor_2",
        "not_poor",
        "unknown",
    }


def test_there_is_a_demo_login_for_every_role_with_the_demo_password():
    users = User.objects.filter(username__contains=".")
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    facilitator = User.objects.get(username="ccdo.facilitator")
    assert list(facilitator.areas.values_list("code", flat=True)) == ["1702"]
    assert User.objects.get(username="si.donor").donor.slug == "si-foundation"
    assert User.objects.get(username="care.lead").organisation.slug == "care"
