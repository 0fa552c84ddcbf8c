"""The consortia's own records: LSCW's Female Protection Network (Feminists in Action, CARE) and
the VOICE CoP Women's event in Ratanakiri, facilitated by Live & Learn Cambodia."""

import datetime

from samaki.activities.services import HeadcountCell
from samaki.demo.plan import (
    ActivitySpec,
    Gazetteer,
    GroupSpec,
    MembershipSpec,
    Plan,
    make_person,
    section_random,
    take,
)
from samaki.groups.models import MemberRole

FIA_PROJECT = "care-fia"

LSCW_COMMUNE = "020201"  # Ta Pung commune, Thma Koul district, Battambang
LSCW_NETWORK_SIZE = 24

COP_EVENT_DAY = datetime.date(2023, 10, 28)
COP_DISTRICT = "1602"  # Ban Lung, Ratanakiri
# Two representatives of each of the five rightsholder groups of the CoP.
COP_MEMBERS = ["aua", "wpm", "lko", "cipl", "wwd-lan"]
COP_EVENT_HEADCOUNT = [
    HeadcountCell(sex="female", age_min=15, age_max=24, count=9),
    HeadcountCell(sex="female", age_min=25, age_max=59, count=21),
    HeadcountCell(sex="female", age_min=60, age_max=None, count=4),
    HeadcountCell(sex="male", age_min=15, age_max=24, count=3),
    HeadcountCell(sex="male", age_min=25, age_max=59, count=5),
]


def lscw_plan(gazetteer: Gazetteer) -> Plan:
    """The Female Protection Network LSCW set up under Feminists in Action."""
    rng = section_random("lscw")
    plan = Plan(organisation="lscw")
    group = "lscw-female-protection-network"
    founded = datetime.date(2023, 4, 3)
    plan.groups.append(
        GroupSpec(
            external_id=group,
            name_en="Female Protection Network, Ta Pung",
            name_km="បណ្តាញការពារស្ត្រី ឃុំតាពូង",
            kind_code="female_protection_network",
            area_code=LSCW_COMMUNE,
            founded_on=founded,
            project=FIA_PROJECT,
        )
    )
    villages = gazetteer.villages(LSCW_COMMUNE)
    members = []
    for n in range(LSCW_NETWORK_SIZE):
        external_id = f"lscw-fpn-{n + 1:02d}"
        joined = founded + datetime.timedelta(days=rng.randint(0, 75))
        plan.people.append(
            make_person(
                rng,
                external_id=external_id,
                sex="female",
                ages=(22, 60),
                on=joined,
                village_code=rng.choice(villages),
            )
        )
        plan.memberships.append(
            MembershipSpec(
                group=group,
                person=external_id,
                joined_on=joined,
                role=MemberRole.LEADER if n == 0 else MemberRole.MEMBER,
            )
        )
        members.append(external_id)
    plan.activities.append(
        ActivitySpec(
            external_id="lscw-2024-03-12-meeting-commune-council",
            kind_code="meeting_authorities",
            date=datetime.date(2024, 3, 12),
            area_code=LSCW_COMMUNE,
            title="Female Protection Network meets the commune council",
            topic_codes=("gbv", "rights"),
            project=FIA_PROJECT,
            group=group,
            attendees=take(rng, members, 12),
        )
    )
    plan.set_registration_dates(rng, earliest=founded, max_days_before=0)
    return plan


def live_and_learn_plan(gazetteer: Gazetteer) -> Plan:
    """The CoP Women and its first joint event, "Women's Voices Toward Inclusiveness"."""
    rng = section_random("live-learn")
    plan = Plan(organisation="live-learn")
    group = "live-learn-cop-women"
    plan.groups.append(
        GroupSpec(
            external_id=group,
            name_en="CoP Women (VOICE Community of Practice)",
            name_km="សហគមន៍អនុវត្តស្ត្រី (VOICE)",
            kind_code="community_of_practice",
            area_code="16",
            founded_on=datetime.date(2022, 1, 1),  # the source gives the year only
        )
    )
    villages = gazetteer.villages(COP_DISTRICT)
    representatives = []
    for member in COP_MEMBERS:
        for n in range(2):
            external_id = f"live-learn-cop-{member}-{n + 1}"
            joined = datetime.date(2022, rng.randint(2, 11), rng.randint(1, 28))
            plan.people.append(
                make_person(
                    rng,
                    external_id=external_id,
                    sex="female",
                    ages=(20, 55),
                    on=joined,
                    village_code=rng.choice(villages),
                )
            )
            plan.memberships.append(
                MembershipSpec(group=group, person=external_id, joined_on=joined)
            )
            representatives.append(external_id)
    plan.activities.append(
        ActivitySpec(
            external_id="live-learn-2023-10-28-womens-voices",
            kind_code="workshop",
            date=COP_EVENT_DAY,
            area_code=COP_DISTRICT,
            title="Women's Voices Toward Inclusiveness",
            topic_codes=("discrimination", "rights"),
            group=group,
            facilitators=("livelearn.facilitator",),
            attendees=representatives,
            headcount=list(COP_EVENT_HEADCOUNT),
            notes=(
                "Community solidarity for women's empowerment: the five rightsholder groups "
                "shared their stories of stigma and discrimination and asked the authorities "
                "for jobs, ID Poor and disability cards, and scholarships."
            ),
        )
    )
    plan.set_registration_dates(rng, earliest=datetime.date(2022, 1, 1), max_days_before=0)
    return plan
