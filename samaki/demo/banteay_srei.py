"""Banteay Srei's networks, groups and sites in Siem Reap and Battambang.

Source: Banteay Srei's own description of its programmes. Every network's membership is a set of
memberships active today (not left), so that "the Good Men Network comprises 457 men" is a count
of people, not a number typed in. A few members who left are kept, dated, as they would be.
"""

import datetime
import random

from samaki.demo.plan import (
    Gazetteer,
    GroupSpec,
    MembershipSpec,
    Plan,
    SiteSpec,
    apportion,
    make_person,
    section_random,
    take,
)
from samaki.groups.models import MemberRole
from samaki.organisations.models import SiteKind

ORGANISATION = "banteay-srei"

# The districts Banteay Srei works in: two in Siem Reap, two in Battambang.
KRALANH, PUOK, SANGKAE, BAVEL = "1706", "1707", "0208", "0204"
SIEM_REAP_MUNICIPALITY = "1710"

GOOD_MEN = 457
GOOD_MEN_LEFT = 20
GOOD_MEN_CHAPTERS = ["170602", "170603", "170710", "170701", "020801", "020805", "020401", "020405"]
CHILDREN_AND_YOUTH = 313
CHILDREN_AND_YOUTH_GIRLS = 198
HAPPY_WOMEN = 140
HAPPY_WOMEN_LEFT = 5
YOUNG_WOMEN_GROUPS = [12, 10, 15, 13, 11]  # 10 to 15 volunteers per village
VILLAGE_PRODUCERS, VILLAGE_PRODUCER_WOMEN, VILLAGE_PRODUCER_GROUPS = 243, 199, 24
COMMUNE_PRODUCERS, COMMUNE_PRODUCER_WOMEN = 137, 124
COMMUNE_PRODUCER_GROUPS = ["170602", "020801"]  # Kampong Thkov (Kralanh), Anlong Vil (Sangkae)

SKILLS_CENTRE_VILLAGE = "17060208"  # Phnum Trong Bat, Kampong Thkov commune, Kralanh district


def banteay_srei_plan(gazetteer: Gazetteer) -> Plan:
    rng = section_random("banteay-srei")
    plan = Plan(organisation=ORGANISATION)
    plan.sites += [
        SiteSpec(
            name_en="Banteay Srei Skills Development Centre",
            name_km="មជ្ឈមណ្ឌលអភិវឌ្ឍជំនាញ បន្ទាយស្រី",
            kind=SiteKind.SKILLS_CENTRE,
            area_code=SKILLS_CENTRE_VILLAGE,
            established_on=datetime.date(2015, 1, 1),  # the source gives the year only
        ),
        # A safe house's address is never published: the municipality is enough.
        SiteSpec(
            name_en="Banteay Srei Safe House",
            name_km="ផ្ទះសុវត្ថិភាព បន្ទាយស្រី",
            kind=SiteKind.SAFE_HOUSE,
            area_code=SIEM_REAP_MUNICIPALITY,
            established_on=datetime.date(2005, 10, 1),
        ),
    ]
    builder = _Builder(plan, rng, gazetteer)
    builder.good_men_network()
    builder.children_and_youth_network()
    builder.happy_women_network()
    builder.young_women_network()
    builder.producer_groups()
    # People are registered the day they join their group.
    plan.set_registration_dates(rng, earliest=datetime.date(2017, 1, 1), max_days_before=0)
    return plan


def _day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


class _Builder:
    def __init__(self, plan: Plan, rng: random.Random, gazetteer: Gazetteer) -> None:
        self.plan, self.rng, self.gazetteer = plan, rng, gazetteer

    def group(self, **values) -> str:
        self.plan.groups.append(GroupSpec(**values))
        return values["external_id"]

    def member(
        self,
        group: str,
        external_id: str,
        *,
        sex: str,
        ages: tuple[int, int],
        area: str,
        joined: datetime.date,
        left: datetime.date | None = None,
        role: str = MemberRole.MEMBER,
    ) -> None:
        """Register someone living in `area` (aged `ages` when she joins) and add her to `group`."""
        spec = make_person(
            self.rng,
            external_id=external_id,
            sex=sex,
            ages=ages,
            on=joined,
            village_code=self.rng.choice(self.gazetteer.villages(area)),
        )
        self.plan.people.append(spec)
        self.plan.memberships.append(
            MembershipSpec(
                group=group, person=external_id, joined_on=joined, left_on=left, role=role
            )
        )

    def good_men_network(self) -> None:
        """457 men in eight commune chapters; established November 2017, working from 2018."""
        network = self.group(
            external_id="bs-good-men-network",
            name_en="Good Men Network",
            name_km="បណ្តាញបុរសល្អ",
            kind_code="good_men_network",
            area_code="17",
            founded_on=datetime.date(2017, 11, 1),
        )
        active = apportion(GOOD_MEN, [1] * len(GOOD_MEN_CHAPTERS))
        left = apportion(GOOD_MEN_LEFT, [1] * len(GOOD_MEN_CHAPTERS))
        for n, commune in enumerate(GOOD_MEN_CHAPTERS):
            name_en, name_km = self.gazetteer.names(commune)
            founded = datetime.date(2018, 1 + n, 15)
            chapter = self.group(
                external_id=f"bs-good-men-{commune}",
                name_en=f"Good Men Network, {name_en} commune",
                name_km=f"បណ្តាញបុរសល្អ ឃុំ{name_km}",
                kind_code="good_men_network",
                area_code=commune,
                founded_on=founded,
                parent=network,
            )
            for m in range(active[n]):
                self.member(
                    chapter,
                    f"bs-good-men-{commune}-{m + 1:03d}",
                    sex="male",
                    ages=(20, 62),
                    area=commune,
                    joined=founded
                    if m == 0
                    else _day_between(self.rng, founded, datetime.date(2024, 6, 30)),
                    role=MemberRole.LEADER if m == 0 else MemberRole.MEMBER,
                )
            for m in range(left[n]):
                joined = _day_between(self.rng, founded, datetime.date(2019, 12, 31))
                self.member(
                    chapter,
                    f"bs-good-men-{commune}-left-{m + 1:02d}",
                    sex="male",
                    ages=(20, 62),
                    area=commune,
                    joined=joined,
                    left=_day_between(
                        self.rng, datetime.date(2021, 1, 1), datetime.date(2023, 12, 31)
                    ),
                )

    def children_and_youth_network(self) -> None:
        """10 groups in Kralanh and Sangkae districts: 313 children and youths, 198 girls."""
        network = self.group(
            external_id="bs-children-youth-network",
            name_en="Children and Youth Network",
            name_km="បណ្តាញកុមារ និងយុវជន",
            kind_code="children_youth_network",
            area_code="17",
            founded_on=datetime.date(2020, 2, 1),  # "early 2020"
        )
        villages = sorted(
            take(self.rng, self.gazetteer.villages(KRALANH), 5)
            + take(self.rng, self.gazetteer.villages(SANGKAE), 5)
        )
        sexes = ["female"] * CHILDREN_AND_YOUTH_GIRLS + ["male"] * (
            CHILDREN_AND_YOUTH - CHILDREN_AND_YOUTH_GIRLS
        )
        self.rng.shuffle(sexes)
        sizes = apportion(CHILDREN_AND_YOUTH, [1] * len(villages))
        for n, village in enumerate(villages):
            name_en, name_km = self.gazetteer.names(village)
            founded = datetime.date(2020, 3, 1) + datetime.timedelta(days=20 * n)
            group = self.group(
                external_id=f"bs-children-youth-{village}",
                name_en=f"Children and Youth group, {name_en}",
                name_km=f"ក្រុមកុមារ និងយុវជន ភូមិ{name_km}",
                kind_code="children_youth_network",
                area_code=village,
                founded_on=founded,
                parent=network,
            )
            for m in range(sizes[n]):
                self.member(
                    group,
                    f"bs-children-youth-{village}-{m + 1:02d}",
                    sex=sexes.pop(),
                    ages=(10, 19),  # under 25 still at the end of 2024
                    area=village,
                    joined=_day_between(self.rng, founded, datetime.date(2024, 3, 31)),
                )

    def happy_women_network(self) -> None:
        """140 women who meet at the safe house; established 2017."""
        group = self.group(
            external_id="bs-happy-women-network",
            name_en="Happy Women Network",
            name_km="បណ្តាញស្ត្រីរីករាយ",
            kind_code="happy_women_network",
            area_code=SIEM_REAP_MUNICIPALITY,
            founded_on=datetime.date(2017, 1, 1),  # the source gives the year only
        )
        areas = [KRALANH, PUOK, SIEM_REAP_MUNICIPALITY, SANGKAE, BAVEL]
        for m in range(HAPPY_WOMEN + HAPPY_WOMEN_LEFT):
            joined = _day_between(self.rng, datetime.date(2017, 3, 1), datetime.date(2024, 6, 30))
            left = None
            if m >= HAPPY_WOMEN:
                joined = _day_between(
                    self.rng, datetime.date(2017, 3, 1), datetime.date(2019, 12, 31)
                )
                left = _day_between(self.rng, datetime.date(2020, 1, 1), datetime.date(2023, 6, 30))
            self.member(
                group,
                f"bs-happy-women-{m + 1:03d}",
                sex="female",
                ages=(25, 65),
                area=self.rng.choice(areas),
                joined=joined,
                left=left,
            )

    def young_women_network(self) -> None:
        """10 to 15 young female volunteers in each of five villages; established 2018."""
        network = self.group(
            external_id="bs-young-women-network",
            name_en="Young Women Network",
            name_km="បណ្តាញស្ត្រីវ័យក្មេង",
            kind_code="young_women_network",
            area_code="17",
            founded_on=datetime.date(2018, 1, 1),  # the source gives the year only
        )
        villages = [
            *take(self.rng, self.gazetteer.villages(KRALANH), 2),
            *take(self.rng, self.gazetteer.villages(PUOK), 1),
            *take(self.rng, self.gazetteer.villages(SANGKAE), 1),
            *take(self.rng, self.gazetteer.villages(BAVEL), 1),
        ]
        for village, size in zip(villages, YOUNG_WOMEN_GROUPS, strict=True):
            name_en, name_km = self.gazetteer.names(village)
            founded = _day_between(self.rng, datetime.date(2018, 3, 1), datetime.date(2021, 12, 31))
            group = self.group(
                external_id=f"bs-young-women-{village}",
                name_en=f"Young Women group, {name_en}",
                name_km=f"ក្រុមស្ត្រីវ័យក្មេង ភូមិ{name_km}",
                kind_code="young_women_network",
                area_code=village,
                founded_on=founded,
                parent=network,
            )
            for m in range(size):
                self.member(
                    group,
                    f"bs-young-women-{village}-{m + 1:02d}",
                    sex="female",
                    ages=(18, 23),
                    area=village,
                    joined=_day_between(
                        self.rng, datetime.date(2022, 1, 1), datetime.date(2024, 6, 30)
                    ),
                    role=MemberRole.LEADER if m == 0 else MemberRole.MEMBER,
                )

    def producer_groups(self) -> None:
        """24 village groups (243 members, 199 women) and 2 commune groups (137, 124 women)."""
        districts = [KRALANH, PUOK, SANGKAE, BAVEL]
        per_district = VILLAGE_PRODUCER_GROUPS // len(districts)
        villages = sorted(
            village
            for district in districts
            for village in take(self.rng, self.gazetteer.villages(district), per_district)
        )
        levels = [
            (villages, VILLAGE_PRODUCERS, VILLAGE_PRODUCER_WOMEN, "ភូមិ"),
            (COMMUNE_PRODUCER_GROUPS, COMMUNE_PRODUCERS, COMMUNE_PRODUCER_WOMEN, "ឃុំ"),
        ]
        for areas, members, women, unit_km in levels:
            sexes = ["female"] * women + ["male"] * (members - women)
            self.rng.shuffle(sexes)
            sizes = apportion(members, [1] * len(areas))
            for area, size in zip(areas, sizes, strict=True):
                name_en, name_km = self.gazetteer.names(area)
                founded = _day_between(
                    self.rng, datetime.date(2018, 1, 1), datetime.date(2018, 12, 31)
                )
                group = self.group(
                    external_id=f"bs-producers-{area}",
                    name_en=f"Producer group, {name_en}",
                    name_km=f"ក្រុមផលិតករ {unit_km}{name_km}",
                    kind_code="producer_group",
                    area_code=area,
                    founded_on=founded,
                )
                for m in range(size):
                    self.member(
                        group,
                        f"bs-producers-{area}-{m + 1:02d}",
                        sex=sexes.pop(),
                        ages=(20, 65),
                        area=area,
                        joined=_day_between(self.rng, founded, datetime.date(2023, 12, 31)),
                        role=MemberRole.LEADER if m == 0 else MemberRole.MEMBER,
                    )
