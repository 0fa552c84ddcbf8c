"""Banteay Srei's Safe House (Siem Reap, since October 2005): synthetic cases, services,
referrals and providers, written through samaki.cases.services like any intake.

Every case, provider and device has a natural key (a case code, a provider's name and type, a
user's device name): a second run finds them all and writes nothing, not even an audit row.
The survivors are synthetic women known only to the safe house (`Survivor`s, nowhere among the
programme's people); a few of them are also women of Banteay Srei's demo programme, whose case
links her record on purpose (`Case.participant`, seen on the case page only). The narratives say
they are synthetic. The TOTP secrets below are for the demo only and are printed
by `samaki demo`; a real installation enrols each phone at the first sign-in.
"""

import base64
import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Callable

from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import User
from samaki.cases.models import Case, SafeHouseCapacity, ServiceProvider
from samaki.cases.services import (
    CaseFields,
    Consent,
    SurvivorFields,
    capacity_set,
    case_close,
    case_open,
    classify_incident,
    follow_up_done,
    follow_up_plan,
    provider_add,
    referral_make,
    referral_update,
    service_record,
    stay_admit,
    stay_discharge,
)
from samaki.demo.names import full_name
from samaki.demo.plan import section_random
from samaki.organisations.models import Organisation
from samaki.people.models import Person

CASE_WORKER = "bs.caseworker"
SUPERVISOR = "bs.supervisor"
# Demo only, published on purpose: 20-byte TOTP keys, hex as django-otp stores them.
DEMO_TOTP_KEYS = {
    CASE_WORKER: "73616d616b692d64656d6f2d636173652d776f72",
    SUPERVISOR: "73616d616b692d64656d6f2d7375706572766973",
}
BEDS = 12
CASES = 30
LINKED = 4  # of the CASES survivors, how many are also women of the programme
FIRST_INTAKE = datetime.date(2023, 1, 9)
LAST_INTAKE = datetime.date(2024, 11, 29)

# name, service type, area (Siem Reap province's gazetteer), phone. Plausible, synthetic entries.
PROVIDERS = [
    ("Siem Reap Provincial Referral Hospital", "health", "1710", "063 000 101"),
    ("Angkor Hospital for Children", "health", "1710", "063 000 102"),
    ("Kralanh Referral Hospital", "health", "1706", ""),
    ("Provincial Department of Women's Affairs", "psychosocial", "1710", "063 000 104"),
    ("TPO Cambodia, Siem Reap office", "psychosocial", "1710", ""),
    (
        "Siem Reap Provincial Police, Anti-Human Trafficking and Juvenile Protection",
        "police",
        "1710",
        "",
    ),
    ("Legal Support for Children and Women, Siem Reap", "legal", "1710", ""),
    ("Bar Association legal aid, Siem Reap", "legal", "1710", ""),
    ("Provincial Department of Social Affairs", "livelihoods", "1710", ""),
    ("Banteay Srei Skills Development Centre", "livelihoods", "1706", ""),
]
SERVICE_KINDS = [
    "transport",
    "first_aid",
    "counselling",
    "legal_aid",
    "health_education",
    "rights_orientation",
]
REFERRED_BY = ["self", "police", "health", "community_leader", "government", "humanitarian"]
CONTEXTS = ["intimate_partner", "early_marriage", "harmful_practice"]


@dataclasses.dataclass
class SafeHouseResult:
    created: Counter[str]
    found: Counter[str]


def totp_secret(username: str) -> str:
    """The base32 key an authenticator app takes."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEYS[username])).decode()


def safe_house_build(
    *,
    organisation: Organisation,
    users: dict[str, User],
    log: Callable[[str], object] = lambda line: None,
) -> SafeHouseResult:
    created: Counter[str] = Counter()
    found: Counter[str] = Counter()
    worker, supervisor = users[CASE_WORKER], users[SUPERVISOR]

    for user in (worker, supervisor):
        exists = TOTPDevice.objects.filter(user=user, name="demo").exists()
        if not exists:
            TOTPDevice.objects.create(
                user=user, name="demo", key=DEMO_TOTP_KEYS[user.username], confirmed=True
            )
        (found if exists else created)["totp devices"] += 1
    if not SafeHouseCapacity.objects.filter(organisation=organisation).exists():
        capacity_set(organisation=organisation, by=SYSTEM, beds=BEDS)
        created["safe house"] += 1

    providers = {
        (p.name, p.service_type): p
        for p in ServiceProvider.objects.filter(organisation=organisation)
    }
    for name, service_type, area, phone in PROVIDERS:
        if (name, service_type) in providers:
            found["providers"] += 1
            continue
        providers[(name, service_type)] = provider_add(
            organisation=organisation,
            by=SYSTEM,
            name=name,
            service_type=service_type,
            area_code=area,
            phone=phone,
        )
        created["providers"] += 1
    directory = [providers[(name, kind)] for name, kind, _area, _phone in PROVIDERS]

    rng = section_random("safe-house")
    existing = set(Case.objects.filter(organisation=organisation).values_list("code", flat=True))
    # Women of Banteay Srei's programme: a few are survivors too; the others' villages are
    # where the case-only survivors come from. Chosen once and for all by the seeded generator.
    women = list(
        Person.objects.filter(organisation=organisation, sex="female", birth_year__lte=2004)
        .exclude(external_id="")
        .order_by("external_id")
        .values_list("pk", "village__code")
    )
    linked = iter(rng.sample([pk for pk, _village in women], LINKED))
    villages = sorted({village for _pk, village in women})
    linked_numbers = set(rng.sample(range(1, CASES + 1), LINKED))
    survivors: list[int | SurvivorFields] = []
    for number in range(1, CASES + 1):
        if number in linked_numbers:
            survivors.append(next(linked))
            continue
        name_km, name_latin = full_name(rng, "female")
        survivors.append(
            SurvivorFields(
                name_km=name_km,
                name_latin=name_latin,
                sex="female",
                birth_year=rng.randint(1975, 2006),
                village_code=rng.choice(villages),
            )
        )
    span = (LAST_INTAKE - FIRST_INTAKE).days
    intakes = sorted(
        FIRST_INTAKE + datetime.timedelta(days=rng.randint(0, span)) for _ in range(CASES)
    )
    for number, (survivor, intake) in enumerate(zip(survivors, intakes, strict=True), start=1):
        code = f"BS-SH-{intake.year}-{number:03d}"
        # Draw every choice even for a case that exists, so later cases stay the same.
        story = _Story.draw(rng, intake, directory)
        if code in existing:
            found["cases"] += 1
            continue
        _write_case(
            code=code,
            organisation=organisation,
            survivor=survivor
            if isinstance(survivor, SurvivorFields)
            else Person.objects.get(pk=survivor),
            worker=worker,
            supervisor=supervisor,
            story=story,
            created=created,
        )
    parts = [f"{created[k] + found[k]:,} {k} ({created[k]:,} new)" for k in ("cases", "providers")]
    log(f"Banteay Srei Safe House: {', '.join(parts)}")
    for user in (worker, supervisor):
        log(f"  TOTP secret of {user.username} (demo only): {totp_secret(user.username)}")
    return SafeHouseResult(created=created, found=found)


@dataclasses.dataclass
class _Story:
    intake: datetime.date
    answers: dict[str, bool]
    referred_by: str
    contexts: frozenset[str]
    risk: str
    consent_reporting: bool
    share_with: tuple[ServiceProvider, ...]
    nights: int
    services: list[tuple[str, int]]  # kind, days after intake
    referrals: list[tuple[ServiceProvider, str]]  # provider, final status
    closes: str  # a closure reason, or "" while open

    @classmethod
    def draw(
        cls, rng: random.Random, intake: datetime.date, directory: list[ServiceProvider]
    ) -> "_Story":
        kind = rng.choices(range(6), weights=[14, 6, 40, 8, 7, 25])[0]
        answers = dict.fromkeys(
            [
                "penetration",
                "sexual_contact",
                "physical_assault",
                "forced_marriage",
                "denial",
                "psychological",
            ],
            False,
        )
        answers[list(answers)[kind]] = True
        answers["psychological"] = answers["psychological"] or rng.random() < 0.5
        share_with = tuple(p for p in directory if rng.random() < 0.45)
        referrals = [
            (p, rng.choice(["completed", "completed", "completed", "declined", "no_response"]))
            for p in share_with[:3]
        ]
        services = [("meals", 0), ("counselling", 1)]
        services += [(k, rng.randint(0, 20)) for k in SERVICE_KINDS if rng.random() < 0.5]
        closes = ""
        if intake < datetime.date(2024, 9, 1):
            closes = rng.choices(["reintegrated", "transferred", "needs_met"], weights=[6, 2, 2])[0]
        return cls(
            intake=intake,
            answers=answers,
            referred_by=rng.choice(REFERRED_BY),
            contexts=frozenset(c for c in CONTEXTS if rng.random() < 0.25),
            risk=rng.choices(["low", "medium", "high"], weights=[2, 5, 3])[0],
            consent_reporting=rng.random() < 0.85,
            share_with=share_with,
            nights=rng.randint(2, 45),
            services=services,
            referrals=referrals,
            closes=closes,
        )


def _write_case(
    *,
    code: str,
    organisation: Organisation,
    survivor: SurvivorFields | Person,
    worker: User,
    supervisor: User,
    story: _Story,
    created: Counter[str],
) -> None:
    intake = story.intake
    case = _open(code, organisation, survivor, worker, supervisor, story)
    created["cases"] += 1
    stay = stay_admit(case=case, by=worker, admitted_on=intake, bed=str(1 + case.pk % BEDS))
    leaves = intake + datetime.timedelta(days=story.nights)
    if story.closes:
        stay_discharge(stay=stay, by=worker, discharged_on=leaves)
    for kind, after in story.services:
        day = intake + datetime.timedelta(days=min(after, story.nights))
        quantity = 3 * story.nights if kind == "meals" else 1
        service_record(case=case, by=worker, kind=kind, date=day, quantity=min(quantity, 1000))
        created["services"] += 1
    for n, (provider, status) in enumerate(story.referrals):
        made = intake + datetime.timedelta(days=1 + n)
        referral = referral_make(case=case, by=worker, provider=provider, made_on=made)
        if status in {"completed", "declined"}:
            referral_update(referral=referral, by=worker, status="accepted", on=made)
        end = made + datetime.timedelta(days=3)
        outcome = "Synthetic demo outcome." if status == "completed" else ""
        referral_update(referral=referral, by=worker, status=status, on=end, outcome=outcome)
        created["referrals"] += 1
    follow_up = follow_up_plan(case=case, by=worker, due_on=leaves + datetime.timedelta(days=30))
    if story.closes:
        done = leaves + datetime.timedelta(days=30)
        follow_up_done(follow_up=follow_up, by=worker, done_on=done, note="Synthetic demo visit.")
        case_close(case=case, by=supervisor, closed_on=done, reason=story.closes)


def _open(
    code: str,
    organisation: Organisation,
    survivor: SurvivorFields | Person,
    worker: User,
    supervisor: User,
    story: _Story,
) -> Case:
    return case_open(
        organisation=organisation,
        by=worker,
        survivor=survivor,
        fields=CaseFields(
            code=code,
            intake_date=story.intake,
            incident_date=story.intake - datetime.timedelta(days=2),
            referred_by=story.referred_by,
            incident_type=classify_incident(**story.answers),
            contexts=story.contexts,
            incident_description="Synthetic demo case: no real person's story.",
            risk_level=story.risk,
            safety_plan="Synthetic demo safety plan.",
            case_worker=worker,
            supervisor=supervisor,
            consent=Consent(
                services=True,
                reporting=story.consent_reporting,
                share_with=story.share_with,
            ),
        ),
    )
