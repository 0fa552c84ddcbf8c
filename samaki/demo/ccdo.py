"""CCDO's programme with the SI Foundation in Siem Reap, with a record behind every published figure.

Sources: SI's "2023 Closing Report: Cambodia Community Dream Organisation" (2022–2023) and the SI
Foundation's July–September 2024 update. Six communities, two in each of Prasat Bakong, Angkor
Thum and Banteay Srei districts; each community is a village where a Smart Women group meets,
and its people live in that village's commune.
"""

import dataclasses
import datetime
import math
import random

from samaki.activities.services import HeadcountCell
from samaki.demo.plan import (
    ActivitySpec,
    Gazetteer,
    GroupSpec,
    MembershipSpec,
    OutcomeSpec,
    PersonSpec,
    Plan,
    age_on,
    apportion,
    make_person,
    pick_age_range,
    section_random,
    sessions_covering,
    spread_dates,
    take,
    village_weights,
)
from samaki.groups.models import MemberRole

ORGANISATION = "ccdo"
PROJECT_2022 = "ccdo-elc-2022-2023"
PROJECT_2024 = "ccdo-elc-2024"
FACILITATOR = "ccdo.facilitator"  # works in Angkor Thum district
FACILITATOR_DISTRICT = "1702"

PHASE_1_START = datetime.date(2022, 1, 1)
PHASE_1_END = datetime.date(2023, 12, 31)
Q3_START = datetime.date(2024, 7, 1)
Q3_END = datetime.date(2024, 9, 30)

# 2022–2023, closing report.
REACHED_2022_2023 = 2814  # distinct women and girls
COACHED_2022_2023 = 2531  # "over 2,500" coached and mentored
MEN_PER_COMMUNITY = 10  # husbands and village leaders at public forums, not counted in the 2,814

# July–September 2024.
Q3_REACHED = 1072  # distinct women and girls, health sessions and workshops (and everything else)
Q3_HEALTH_SESSIONS = 13
Q3_HEALTH_REACHED = 246
Q3_WORKSHOPS = 38
Q3_BUSINESS_WORKSHOPS = 22  # of the 38, those with business skills on the agenda
Q3_WORKSHOP_ATTENDANCES = 1216  # "over 1,200"
Q3_BUSINESS_TRAINED = 635
Q3_HEALTH_AND_WORKSHOPS = 60  # went to both: 246 + 886 − 60 = 1,072
Q3_NEW_PEOPLE = 172  # registered in 2024; the others came in 2022–2023 already
Q3_NEW_BUSINESSES = 56
Q3_SEMINAR = 114
Q3_PUBLIC_FORUM = 83
Q3_MET_LEADERS_PER_COMMUNITY = 3  # 18 in all
Q3_HOME_VISITS = 187

# The tuk-tuk campaign: counted, not registered. 1,900 women and girls, 550 men and boys.
CAMPAIGN_HEADCOUNT = [
    HeadcountCell(sex="female", age_min=0, age_max=14, count=310),
    HeadcountCell(sex="female", age_min=15, age_max=24, count=520),
    HeadcountCell(sex="female", age_min=25, age_max=59, count=890),
    HeadcountCell(sex="female", age_min=60, age_max=None, count=180),
    HeadcountCell(sex="male", age_min=0, age_max=14, count=140),
    HeadcountCell(sex="male", age_min=15, age_max=24, count=150),
    HeadcountCell(sex="male", age_min=25, age_max=59, count=210),
    HeadcountCell(sex="male", age_min=60, age_max=None, count=50),
]


@dataclasses.dataclass(frozen=True)
class Community:
    key: str
    village: str  # where its Smart Women group meets
    commune: str  # where its people live
    name_en: str
    name_km: str
    weight: float  # its share of the figures
    smart_women: int  # active at the end of 2023
    smart_women_left: int  # joined, then left during 2023
    smart_women_at_workshops: int  # of the active ones, those at a Q3 2024 workshop


COMMUNITIES = [
    # Bakong commune: the seed's "another woman in Bankong" joined the commune council.
    Community("loley", "17090203", "170902", "Loley", "លលៃ", 1.10, 8, 1, 7),
    Community("chambak", "17090805", "170908", "Chambak", "ចំបក់", 0.95, 8, 0, 7),
    Community("leang-dai", "17020201", "170202", "Leang Dai", "លាងដៃ", 1.05, 8, 1, 6),
    Community("peak-sneng", "17020302", "170203", "Peak Sneng Chas", "ពាក់ស្នែងចាស់", 0.90, 7, 1, 6),
    Community("khnar", "17030102", "170301", "Khnar", "ខ្នារ", 1.00, 8, 0, 6),
    Community("rumchek", "17030401", "170304", "Rumchek", "រំចេក", 1.00, 7, 1, 6),
]

COACHING_TOPICS: list[tuple[str, ...]] = [
    ("self_empowerment",),
    ("family_planning",),
    ("self_empowerment", "mental_health"),
    ("gender_equality",),
]
PHASE_1_TRAININGS: list[tuple[str, tuple[str, ...]]] = [
    ("Health care and hygiene", ("health", "hygiene_nutrition")),
    ("Gender equity in the family", ("gender_equality",)),
    ("Personal development: setting goals", ("self_empowerment",)),
    ("Starting a small business", ("business",)),
    ("Reproductive health", ("health", "reproductive_health")),
    ("Women's rights and the law", ("rights",)),
    ("Family planning", ("family_planning",)),
    ("Preventing domestic violence", ("gbv",)),
    ("Confidence and decision-making", ("self_empowerment", "gender_equality")),
    ("Savings and household budget", ("savings", "business")),
]
HEALTH_SESSIONS: list[tuple[str, tuple[str, ...]]] = [
    ("Health session: family planning", ("health", "family_planning")),
    ("Health session: reproductive health", ("health", "reproductive_health")),
    ("Health session: personal hygiene and nutrition", ("health", "hygiene_nutrition")),
    ("Health session: mental health", ("health", "mental_health")),
]
BUSINESS_WORKSHOPS: list[tuple[str, tuple[str, ...]]] = [
    ("Business skills: food production and Khmer pancakes", ("business",)),
    ("Business skills: vegetable farming", ("self_empowerment", "business")),
    ("Business skills: barbering and motorbike maintenance", ("business",)),
    ("Business skills: running a small shop", ("self_empowerment", "business")),
]
SELF_EMPOWERMENT_WORKSHOPS: list[tuple[str, tuple[str, ...]]] = [
    ("Self-empowerment: effective communication", ("self_empowerment",)),
    ("Self-empowerment: decision-making and confidence", ("self_empowerment", "gender_equality")),
]
HOME_VISIT_TOPICS: list[tuple[str, ...]] = [("family_planning",), ("gbv",), ("savings",)]
DOCUMENTS = [
    ("id_card", "National ID card"),
    ("id_poor_card", "ID Poor card"),
    ("birth_certificate", "Birth certificate"),
    ("marriage_certificate", "Marriage certificate"),
    ("land_certificate", "Land certificate"),
]
BUSINESSES = [
    "Raising chickens",
    "Raising pigs",
    "Selling Khmer pancakes (num banh chok)",
    "Vegetable farming",
    "Grocery stall",
    "Barber's shop",
    "Motorbike repair",
    "Tailoring",
    "Selling prepared food",
]


@dataclasses.dataclass
class _Community:
    """One community's people while its plan is made."""

    community: Community
    villages: list[str]
    village_weights: list[float]
    facilitators: tuple[str, ...]
    women: list[str] = dataclasses.field(default_factory=list)
    men: list[str] = dataclasses.field(default_factory=list)
    smart_women: list[str] = dataclasses.field(default_factory=list)  # active, leader first
    smart_women_left: list[str] = dataclasses.field(default_factory=list)


def ccdo_plan(gazetteer: Gazetteer) -> Plan:
    rng = section_random("ccdo")
    plan = Plan(organisation=ORGANISATION)
    people: dict[str, PersonSpec] = {}
    weights = [community.weight for community in COMMUNITIES]
    shares = {
        "reached": apportion(REACHED_2022_2023, weights),
        "coached": apportion(COACHED_2022_2023, weights),
        "q3_reached": apportion(Q3_REACHED, weights),
        "q3_health": apportion(Q3_HEALTH_REACHED, weights),
        "q3_overlap": apportion(Q3_HEALTH_AND_WORKSHOPS, weights),
        "q3_business": apportion(Q3_BUSINESS_TRAINED, weights),
        "q3_rows": apportion(Q3_WORKSHOP_ATTENDANCES, weights),
        "q3_new": apportion(Q3_NEW_PEOPLE, weights),
        "q3_health_sessions": apportion(Q3_HEALTH_SESSIONS, weights),
        "q3_workshops": apportion(Q3_WORKSHOPS, weights),
        "q3_business_workshops": apportion(Q3_BUSINESS_WORKSHOPS, weights),
        "q3_seminar": apportion(Q3_SEMINAR, weights),
        "q3_forum": apportion(Q3_PUBLIC_FORUM, weights),
        "q3_home_visits": apportion(Q3_HOME_VISITS, weights),
        "q3_businesses": apportion(Q3_NEW_BUSINESSES, weights),
    }
    for index, community in enumerate(COMMUNITIES):
        share = {name: values[index] for name, values in shares.items()}
        village_codes = gazetteer.villages(community.commune)
        place = _Community(
            community=community,
            villages=village_codes,
            village_weights=village_weights(village_codes, community.village),
            facilitators=(FACILITATOR,)
            if community.commune.startswith(FACILITATOR_DISTRICT)
            else (),
        )
        _phase_1(plan, rng, place, people, share, index)
        _quarter_3_2024(plan, rng, place, people, share)
    plan.activities.append(
        ActivitySpec(
            external_id="ccdo-2024q3-tuk-tuk-campaign",
            kind_code="campaign",
            date=datetime.date(2024, 8, 14),
            area_code="17",
            title="Tuk-tuk campaign: women's leadership and public services",
            topic_codes=("leadership", "public_services"),
            project=PROJECT_2024,
            headcount=list(CAMPAIGN_HEADCOUNT),
            notes="Tuk-tuks broadcast announcements on public services in the six communities.",
        )
    )
    plan.set_registration_dates(rng, earliest=datetime.date(2022, 1, 3))
    return plan


def _register(
    plan: Plan,
    rng: random.Random,
    place: _Community,
    people: dict[str, PersonSpec],
    *,
    external_id: str,
    sex: str,
    ages: tuple[int, int],
    on: datetime.date,
) -> str:
    village = rng.choices(place.villages, weights=place.village_weights)[0]
    spec = make_person(
        rng, external_id=external_id, sex=sex, ages=ages, on=on, village_code=village
    )
    plan.people.append(spec)
    people[external_id] = spec
    return external_id


def _phase_1(
    plan: Plan,
    rng: random.Random,
    place: _Community,
    people: dict[str, PersonSpec],
    share: dict[str, int],
    index: int,
) -> None:
    community = place.community
    key = community.key
    # Ages as at the start of the project: nobody is younger when she registers.
    for n in range(share["reached"]):
        place.women.append(
            _register(
                plan,
                rng,
                place,
                people,
                external_id=f"ccdo-{key}-w{n + 1:04d}",
                sex="female",
                ages=pick_age_range(rng, (20, 25, 55)),
                on=PHASE_1_START,
            )
        )
    for n in range(MEN_PER_COMMUNITY):
        place.men.append(
            _register(
                plan,
                rng,
                place,
                people,
                external_id=f"ccdo-{key}-m{n + 1:02d}",
                sex="male",
                ages=(25, 65),
                on=PHASE_1_START,
            )
        )

    def activity(**values) -> ActivitySpec:
        values.setdefault("area_code", community.village)
        spec = ActivitySpec(project=PROJECT_2022, facilitators=place.facilitators, **values)
        plan.activities.append(spec)
        return spec

    # The Smart Women group: the most active women, mentors and counsellors for the others.
    group = f"ccdo-smart-women-{key}"
    founded = datetime.date(2022, 3, 1) + datetime.timedelta(days=7 * index)
    plan.groups.append(
        GroupSpec(
            external_id=group,
            name_en=f"Smart Women {community.name_en}",
            name_km=f"ក្រុមស្ត្រីឆ្លាតវៃ ភូមិ{community.name_km}",
            kind_code="smart_women",
            area_code=community.village,
            founded_on=founded,
            project=PROJECT_2022,
        )
    )
    candidates = [w for w in place.women if 25 <= age_on(people[w], PHASE_1_START) <= 60]
    chosen = take(rng, candidates, community.smart_women + community.smart_women_left)
    place.smart_women = chosen[: community.smart_women]
    place.smart_women_left = chosen[community.smart_women :]
    memberships: list[tuple[str, datetime.date, datetime.date | None]] = []
    for n, person in enumerate(place.smart_women):
        joined = founded if n == 0 else founded + datetime.timedelta(days=rng.randint(0, 540))
        memberships.append((person, joined, None))
        plan.memberships.append(
            MembershipSpec(
                group=group,
                person=person,
                joined_on=joined,
                role=MemberRole.LEADER if n == 0 else MemberRole.MENTOR,
            )
        )
    for person in place.smart_women_left:
        joined = founded + datetime.timedelta(days=rng.randint(0, 60))
        left = datetime.date(2023, rng.randint(3, 10), 15)
        memberships.append((person, joined, left))
        plan.memberships.append(
            MembershipSpec(
                group=group, person=person, joined_on=joined, left_on=left, role=MemberRole.MENTOR
            )
        )
    for year, quarter in [
        (2022, 2),
        (2022, 3),
        (2022, 4),
        (2023, 1),
        (2023, 2),
        (2023, 3),
        (2023, 4),
    ]:
        day = datetime.date(year, 3 * quarter - 1, 10 + index)
        present = [
            person
            for person, joined, left in memberships
            if joined <= day and (left is None or day < left)
        ]
        if present:
            activity(
                external_id=f"ccdo-{key}-p1-smart-women-{year}q{quarter}",
                kind_code="group_meeting",
                date=day,
                title=f"Smart Women meeting, {community.name_en}",
                topic_codes=("leadership",),
                group=group,
                attendees=present,
            )

    # Coaching and mentoring reaches most women; trainings reach the rest (and many again).
    coached = take(rng, place.women, share["coached"])
    sessions = math.ceil(len(coached) / 16)
    dates = spread_dates(rng, sessions, datetime.date(2022, 3, 1), datetime.date(2023, 12, 20))
    for n, attendees in enumerate(sessions_covering(rng, coached, sessions, repeats=3 * sessions)):
        activity(
            external_id=f"ccdo-{key}-p1-coaching-{n + 1:03d}",
            kind_code="coaching",
            date=dates[n],
            title=f"Coaching and mentoring, {community.name_en}",
            topic_codes=COACHING_TOPICS[n % len(COACHING_TOPICS)],
            attendees=attendees,
        )
    coached_set = set(coached)
    not_coached = [w for w in place.women if w not in coached_set]
    dates = spread_dates(
        rng, len(PHASE_1_TRAININGS), datetime.date(2022, 2, 1), datetime.date(2023, 11, 30)
    )
    lists = sessions_covering(rng, not_coached, len(PHASE_1_TRAININGS))
    for n, ((title, topics), attendees) in enumerate(zip(PHASE_1_TRAININGS, lists, strict=True)):
        in_training = set(attendees)
        while len(attendees) < 22:
            person = rng.choice(place.women)
            if person not in in_training:
                attendees.append(person)
                in_training.add(person)
        activity(
            external_id=f"ccdo-{key}-p1-training-{n + 1:02d}",
            kind_code="training",
            date=dates[n],
            title=title,
            topic_codes=topics,
            attendees=attendees,
        )

    # Public forums on ID Poor and civil documents, then the documents women obtained.
    documents = 0
    for n, day in enumerate([datetime.date(2022, 9, 6 + index), datetime.date(2023, 8, 8 + index)]):
        women = take(rng, place.women, 30)
        activity(
            external_id=f"ccdo-{key}-p1-forum-{n + 1}",
            kind_code="public_forum",
            date=day,
            title=f"Public forum: ID Poor and civil documents, {community.name_en}",
            topic_codes=("public_services", "civil_documents"),
            attendees=women + place.men[5 * n : 5 * n + 5],
        )
        for person in women[:8]:
            kind, detail = rng.choice(DOCUMENTS)
            documents += 1
            plan.outcomes.append(
                OutcomeSpec(
                    external_id=f"ccdo-{key}-p1-document-{documents:02d}",
                    person=person,
                    kind_code=kind,
                    date=min(day + datetime.timedelta(days=rng.randint(10, 60)), PHASE_1_END),
                    detail=detail,
                    project=PROJECT_2022,
                )
            )
    for n, person in enumerate(take(rng, place.women, 8)):
        activity(
            external_id=f"ccdo-{key}-p1-home-visit-{n + 1:02d}",
            kind_code="home_visit",
            date=spread_dates(rng, 1, datetime.date(2022, 4, 1), datetime.date(2023, 12, 15))[0],
            area_code=people[person].village_code,
            title="Home visit",
            topic_codes=HOME_VISIT_TOPICS[n % len(HOME_VISIT_TOPICS)],
            attendees=[person],
        )
    if key == "loley":
        plan.outcomes.append(
            OutcomeSpec(
                external_id="ccdo-loley-p1-leadership-ccwc",
                person=place.smart_women[1],
                kind_code="leadership_role",
                date=datetime.date(2023, 7, 3),
                detail="Member of the Commune Committee for Women and Children, Bakong commune",
                project=PROJECT_2022,
            )
        )
    if key == "peak-sneng":
        plan.outcomes.append(
            OutcomeSpec(
                external_id="ccdo-peak-sneng-p1-leadership-village-chief",
                person=place.smart_women[1],
                kind_code="leadership_role",
                date=datetime.date(2023, 4, 10),
                detail="Village chief",
                project=PROJECT_2022,
            )
        )


def _quarter_3_2024(
    plan: Plan,
    rng: random.Random,
    place: _Community,
    people: dict[str, PersonSpec],
    share: dict[str, int],
) -> None:
    """July–September 2024: everyone registered who took part is one of the community's reach."""
    community = place.community
    key = community.key

    def activity(**values) -> ActivitySpec:
        values.setdefault("area_code", community.village)
        spec = ActivitySpec(project=PROJECT_2024, facilitators=place.facilitators, **values)
        plan.activities.append(spec)
        return spec

    # Who comes this quarter: Smart Women, women from 2022–2023, and women new this year.
    at_workshops = place.smart_women[: community.smart_women_at_workshops]
    smart = set(place.smart_women) | set(place.smart_women_left)
    returning = take(
        rng,
        [w for w in place.women if w not in smart],
        share["q3_reached"] - share["q3_new"] - len(at_workshops),
    )
    new = [
        _register(
            plan,
            rng,
            place,
            people,
            external_id=f"ccdo-{key}-n{n + 1:03d}",
            sex="female",
            ages=pick_age_range(rng, (25, 30, 45)),
            on=Q3_START,
        )
        for n in range(share["q3_new"])
    ]
    others = returning + new
    rng.shuffle(others)
    reached = at_workshops + others
    workshop_size = share["q3_reached"] - share["q3_health"] + share["q3_overlap"]
    at_workshop = at_workshops + others[: workshop_size - len(at_workshops)]
    at_health = others[workshop_size - len(at_workshops) :] + take(
        rng, others[: workshop_size - len(at_workshops)], share["q3_overlap"]
    )
    business = take(rng, at_workshop, share["q3_business"])
    in_business = set(business)
    not_business = [w for w in at_workshop if w not in in_business]

    # 13 health sessions in all.
    sessions = share["q3_health_sessions"]
    dates = spread_dates(rng, sessions, Q3_START, Q3_END)
    for n, attendees in enumerate(sessions_covering(rng, at_health, sessions, repeats=5)):
        title, topics = HEALTH_SESSIONS[n % len(HEALTH_SESSIONS)]
        activity(
            external_id=f"ccdo-{key}-2024q3-health-{n + 1:02d}",
            kind_code="training",
            date=dates[n],
            title=title,
            topic_codes=topics,
            attendees=attendees,
        )

    # 38 workshops: business skills, or self-empowerment only; exactly 1,216 attendances.
    business_sessions = share["q3_business_workshops"]
    other_sessions = share["q3_workshops"] - business_sessions
    repeats = share["q3_rows"] - len(at_workshop)
    business_lists = sessions_covering(rng, business, business_sessions, repeats=repeats // 2)
    other_lists = sessions_covering(
        rng, not_business, other_sessions, repeats=repeats - repeats // 2, repeat_from=at_workshop
    )
    dates = spread_dates(rng, business_sessions + other_sessions, Q3_START, Q3_END)
    rng.shuffle(dates)
    first_business_day: dict[str, datetime.date] = {}
    for n, attendees in enumerate(business_lists):
        title, topics = BUSINESS_WORKSHOPS[n % len(BUSINESS_WORKSHOPS)]
        activity(
            external_id=f"ccdo-{key}-2024q3-business-{n + 1:02d}",
            kind_code="workshop",
            date=dates[n],
            title=title,
            topic_codes=topics,
            attendees=attendees,
        )
        for person in attendees:
            first_business_day[person] = min(first_business_day.get(person, Q3_END), dates[n])
    for n, attendees in enumerate(other_lists):
        title, topics = SELF_EMPOWERMENT_WORKSHOPS[n % len(SELF_EMPOWERMENT_WORKSHOPS)]
        activity(
            external_id=f"ccdo-{key}-2024q3-self-empowerment-{n + 1:02d}",
            kind_code="workshop",
            date=dates[business_sessions + n],
            title=title,
            topic_codes=topics,
            attendees=attendees,
        )

    # The businesses women started after their business training.
    early = [w for w in business if first_business_day[w] <= datetime.date(2024, 9, 10)]
    for n, person in enumerate(take(rng, early, share["q3_businesses"])):
        started = first_business_day[person] + datetime.timedelta(days=rng.randint(10, 45))
        plan.outcomes.append(
            OutcomeSpec(
                external_id=f"ccdo-{key}-2024q3-business-started-{n + 1:02d}",
                person=person,
                kind_code="business_started",
                date=min(started, Q3_END),
                detail=rng.choice(BUSINESSES),
                project=PROJECT_2024,
            )
        )

    # Seminars, a forum on public services, a meeting with local leaders, home visits.
    seminar = take(rng, reached, share["q3_seminar"])
    dates = spread_dates(rng, 2, Q3_START, Q3_END)
    seminar_topics: list[tuple[str, tuple[str, ...]]] = [
        ("Seminar: family planning", ("family_planning",)),
        ("Seminar: decision-making and community planning", ("gender_equality", "leadership")),
    ]
    for n, attendees in enumerate(sessions_covering(rng, seminar, 2, repeats=2)):
        title, topics = seminar_topics[n]
        activity(
            external_id=f"ccdo-{key}-2024q3-seminar-{n + 1}",
            kind_code="seminar",
            date=dates[n],
            title=title,
            topic_codes=topics,
            attendees=attendees,
        )
    activity(
        external_id=f"ccdo-{key}-2024q3-public-forum",
        kind_code="public_forum",
        date=spread_dates(rng, 1, Q3_START, Q3_END)[0],
        title=f"Public forum: feedback on public services, {community.name_en}",
        topic_codes=("public_services", "civil_documents"),
        attendees=take(rng, reached, share["q3_forum"]),
    )
    activity(
        external_id=f"ccdo-{key}-2024q3-meeting-local-leaders",
        kind_code="meeting_authorities",
        date=spread_dates(rng, 1, Q3_START, Q3_END)[0],
        title="Meeting with the commune chief and village representatives",
        topic_codes=("gbv", "rights"),
        attendees=[at_workshops[0], *take(rng, others, Q3_MET_LEADERS_PER_COMMUNITY - 1)],
        notes="Domestic violence, land disputes and marital issues raised by the Smart Women.",
    )
    visited = take(rng, reached, share["q3_home_visits"])
    dates = spread_dates(rng, len(visited), Q3_START, Q3_END)
    for n, person in enumerate(visited):
        activity(
            external_id=f"ccdo-{key}-2024q3-home-visit-{n + 1:03d}",
            kind_code="home_visit",
            date=dates[n],
            area_code=people[person].village_code,
            title="Home visit",
            topic_codes=HOME_VISIT_TOPICS[n % len(HOME_VISIT_TOPICS)],
            attendees=[person],
        )
