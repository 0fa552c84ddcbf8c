"""Voice and learning in the demo: CCDO's 83 feedback entries on public services, VOICE's
requests to authorities, the Feminists in Action partners' reflections and capacity history,
and CCDO's budget for July–September 2024.

Sources: seed 003 (SI Foundation's July–September 2024 update: "83 women voicing their feedback
on public services", ID Poor, birth, marriage and land certificates, health centres; "an average
of 34 UK pounds will provide a woman or girl with transformative training"), seed 002 (VOICE's
CoP Women: requests for decent jobs, ID Poor and disability cards, scholarships), seed 000 (CARE's
six partners reflect on the first six months), seed 004 (Banteay Srei).

What the seeds do not say is synthetic and chosen to be plausible: the ratings and wording of each
feedback entry, the capacity scores (the seeds say only that CARE strengthens its partners'
financial, organisational and technical capacity), the budget lines. Reflections are paraphrased
at the level of organisations; no real person is named.

Every row has a natural key (an external ID, a slug, a date): a second run finds them all and
writes nothing.
"""

import dataclasses
import datetime
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import User
from samaki.activities.models import Activity, Attendance
from samaki.advocacy.models import CommunityRequest
from samaki.advocacy.services import RequestFields, request_follow_up, request_record
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.budgets.services import budget_line_add, expenditure_record
from samaki.demo.ccdo import PROJECT_2024, Q3_END, Q3_START
from samaki.demo.plan import section_random
from samaki.feedback.models import Feedback, FocalPoint
from samaki.feedback.services import (
    FeedbackFields,
    feedback_file,
    feedback_respond,
    focal_point_designate,
)
from samaki.learning.models import (
    CapacityAssessment,
    CapacityTool,
    ReflectionAnswer,
    ReflectionRound,
)
from samaki.learning.services import (
    ActionSpec,
    DomainSpec,
    capacity_assess,
    capacity_tool_create,
    reflection_answer,
    reflection_round_create,
)
from samaki.organisations.models import Consortium, Organisation
from samaki.projects.models import Project


@dataclasses.dataclass
class VoiceResult:
    created: Counter[str]
    found: Counter[str]


# --- CCDO: feedback on public services at the six forums of July–September 2024 -------------

FOCAL_POINTS = [("ccdo", "ccdo.admin"), ("live-learn", "livelearn.admin")]

# (category, what women said: English, Khmer)
FEEDBACK_THEMES = [
    (
        "id_poor",
        "The ID Poor interview team has not come to our village since last year.",
        "ក្រុមសម្ភាសន៍បណ្ណសមធម៌មិនបានមកភូមិយើងទេ តាំងពីឆ្នាំមុនមក។",
    ),
    (
        "id_poor",
        "Families who became poor after the floods are not yet on the ID Poor list.",
        "គ្រួសារដែលក្រីក្រក្រោយទឹកជំនន់ មិនទាន់មានឈ្មោះក្នុងបញ្ជីបណ្ណសមធម៌។",
    ),
    (
        "civil_documents",
        "Getting a birth certificate for my child took three trips to the commune office.",
        "ការធ្វើសំបុត្រកំណើតកូន ខ្ញុំត្រូវទៅសាលាឃុំបីដង។",
    ),
    (
        "civil_documents",
        "We do not know what papers are needed for a land certificate.",
        "យើងមិនដឹងថាត្រូវការឯកសារអ្វីខ្លះ ដើម្បីធ្វើប្លង់ដី។",
    ),
    (
        "health_centre",
        "The health centre staff were kind and explained family planning well.",
        "បុគ្គលិកមណ្ឌលសុខភាពរួសរាយ ហើយពន្យល់ពីការពន្យារកំណើតបានល្អ។",
    ),
    (
        "health_centre",
        "The health centre is often closed in the afternoon.",
        "មណ្ឌលសុខភាពតែងតែបិទនៅពេលរសៀល។",
    ),
]
RESPONSES = {
    "id_poor": "Raised with the commune chief at the next commune council meeting; the ID Poor round is planned for the coming months.",
    "civil_documents": "We shared the list of documents needed and the commune office's opening hours.",
    "health_centre": "Passed on to the health centre chief, who thanked the women and answered at the next forum.",
}


def _ccdo_feedback(organisation: Organisation, created: Counter, found: Counter) -> None:
    existing = set(
        Feedback.objects.filter(organisation=organisation)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    attendances = (
        Attendance.objects.filter(
            organisation=organisation,
            activity__external_id__endswith="-2024q3-public-forum",
        )
        .select_related("activity", "person")
        .order_by("activity__external_id", "person__external_id")
    )
    rng = section_random("voice-ccdo-feedback")
    for n, attendance in enumerate(attendances):
        external_id = f"ccdo-feedback-{attendance.person.external_id}"
        category, message_en, message_km = FEEDBACK_THEMES[n % len(FEEDBACK_THEMES)]
        rating = {
            "id_poor": rng.choice([1, 2, 2, 3]),
            "civil_documents": rng.choice([2, 3, 3]),
            "health_centre": rng.choice([2, 3, 4, 4, 5]),
        }[category]
        status = rng.choices(["closed", "answered", "in_progress", "received"], [60, 15, 15, 10])[0]
        if external_id in existing:
            found["feedback"] += 1
            continue
        filed = feedback_file(
            organisation=organisation,
            by=SYSTEM,
            fields=FeedbackFields(
                kind="service",
                channel="forum",
                category_code=category,
                area_code=attendance.activity.area.code,
                rating=rating,
                message=f"{message_km}\n{message_en}",
                anonymous=False,
                received_on=attendance.activity.date,
                external_id=external_id,
            ),
            person=attendance.person,
            activity=attendance.activity,
        )
        if status != "received":
            feedback_respond(
                feedback=filed.feedback,
                by=SYSTEM,
                status=status,
                response="" if status == "in_progress" else RESPONSES[category],
                on=attendance.activity.date + datetime.timedelta(days=rng.randint(7, 28)),
            )
        created["feedback"] += 1


# --- VOICE: the CoP Women's requests at "Women's Voices Toward Inclusiveness" ---------------

VOICE_EVENT = "live-learn-2023-10-28-womens-voices"
VOICE_REQUESTS = [
    (
        "voice-2023-10-28-jobs",
        "decent_jobs",
        "province",
        "Decent job opportunities, and job announcements that reach rural areas so that people can apply.",
        "submitted",
    ),
    (
        "voice-2023-10-28-id-poor",
        "id_poor_card",
        "commune",
        "Provide ID Poor cards to the families who qualify, so that they receive the benefits they are entitled to.",
        "submitted",
    ),
    (
        "voice-2023-10-28-disability-card",
        "disability_card",
        "district",
        "Provide disability identification cards to women with disabilities.",
        "submitted",
    ),
    (
        "voice-2023-10-28-scholarships",
        "scholarship",
        "national",
        "Scholarships for students from ID Poor families, and for indigenous youth to study abroad.",
        "raised",
    ),
    (
        "voice-2023-10-28-discrimination",
        "end_discrimination",
        "national",
        "End discrimination against people already disadvantaged: equal rights and equal access to education and health care.",
        "raised",
    ),
]


def _voice_requests(organisation: Organisation, created: Counter, found: Counter) -> None:
    existing = set(
        CommunityRequest.objects.filter(organisation=organisation).values_list(
            "external_id", flat=True
        )
    )
    activity = Activity.objects.filter(organisation=organisation, external_id=VOICE_EVENT).first()
    for external_id, topic, level, summary, status in VOICE_REQUESTS:
        if external_id in existing:
            found["requests"] += 1
            continue
        request = request_record(
            organisation=organisation,
            by=SYSTEM,
            fields=RequestFields(
                topic_code=topic,
                summary=summary,
                raised_on=datetime.date(2023, 10, 28),
                level=level,
                external_id=external_id,
            ),
            activity=activity,
            group=activity.group if activity else None,
        )
        if status == "submitted":
            request_follow_up(
                request=request,
                by=SYSTEM,
                date=datetime.date(2023, 11, 20),
                note="Submitted with the CoP Women's workshop report, ahead of the Linking and Learning event.",
                status=status,
            )
        created["requests"] += 1


# --- Feminists in Action: the partners' reflections and capacity ---------------------------

FIA = "feminists-in-action"
ROUND_SLUG = "2023-h1"
PROMPTS = [
    ("What are you proudest of?", "តើអ្នកមានមោទនភាពបំផុតចំពោះអ្វី?"),
    ("What challenges did you meet?", "តើអ្នកបានជួបបញ្ហាប្រឈមអ្វីខ្លះ?"),
    (
        "What do you look forward to in the next six months?",
        "តើអ្នកទន្ទឹងរង់ចាំអ្វីក្នុងរយៈពេលប្រាំមួយខែខាងមុខ?",
    ),
]
# Paraphrased from seed 000, one row per partner: proudest, challenges ("" where the seed is
# silent), looking forward.
REFLECTIONS = {
    "lscw": (
        "The Female Protection Network set up through the project has grown in capacity, knowledge and confidence.",
        "",
        "Network members will meet local authorities directly, so that women's voices in the community last.",
    ),
    "banteay-srei": (
        "Reaching more vulnerable and poor women and their families with livelihood and vocational skills for income and food security; good collaboration and flexibility in carrying out activities.",
        "",
        "Shared learning of good practice among the partners, capacity building from CARE, and a joint social media campaign for feminist principles.",
    ),
    "act": (
        "Working with a partner whose policy values people and takes a soft approach to human rights; building the leadership of indigenous and ethnic women in the communities.",
        "Funding for gender empowerment is short-term.",
        "More funding for gender empowerment, and CARE's continued support in the long term.",
    ),
    "cwcc": (
        "Partnership and accountability are recognised as central to the project.",
        "Making sure, again and again, that partnership and accountability principles are properly put into practice.",
        "Staff capacity development from CARE within the project.",
    ),
    "lsg": (
        "Empowering marginalised micro and informal women entrepreneurs to overcome negative perceptions and reach the education and finance they need.",
        "",
        "Hearing partners' and participants' success stories and lessons learned, to inspire and teach everyone in the project.",
    ),
    "mrc": (
        "The team learned to build concrete activity plans and manage budgets, which strengthened the organisation; local authorities in Battambang and Banteay Meanchey know the Rainbow in Action project and want to take part.",
        "Support planned for 10 to 12 months is short for the change sought.",
        "Educating and involving local authorities against gender-based violence, LGBTQI+ issues in particular, and longer-term support from the project.",
    ),
}

TOOL = "fia-partner-capacity"
DOMAINS = [
    DomainSpec(
        "financial",
        "Financial",
        "ហិរញ្ញវត្ថុ",
        [
            (
                "budgeting",
                "Budgets are planned and followed month by month",
                "ថវិកាត្រូវបានរៀបចំ និងតាមដានប្រចាំខែ",
            ),
            (
                "controls",
                "Financial procedures and controls are written and used",
                "នីតិវិធី និងការត្រួតពិនិត្យហិរញ្ញវត្ថុ",
            ),
            ("reporting", "Financial reports reach donors on time", "របាយការណ៍ហិរញ្ញវត្ថុទាន់ពេល"),
        ],
    ),
    DomainSpec(
        "organisational",
        "Organisational",
        "ស្ថាប័ន",
        [
            (
                "governance",
                "The board meets and oversees the director",
                "ក្រុមប្រឹក្សាភិបាលប្រជុំ និងត្រួតពិនិត្យ",
            ),
            (
                "policies",
                "Safeguarding and whistle-blower policies are in force",
                "គោលនយោបាយការពារ និងអ្នកផ្តល់ព័ត៌មាន",
            ),
            ("planning", "A strategic plan guides the annual plan", "ផែនការយុទ្ធសាស្ត្រ"),
        ],
    ),
    DomainSpec(
        "technical",
        "Technical",
        "បច្ចេកទេស",
        [
            (
                "gender",
                "Staff apply a feminist, rights-based approach",
                "បុគ្គលិកអនុវត្តវិធីសាស្ត្រផ្អែកលើសិទ្ធិ",
            ),
            ("me", "Monitoring and evaluation data are collected and used", "ការតាមដាន និងវាយតម្លៃ"),
            ("advocacy", "The organisation advocates with local authorities", "ការតស៊ូមតិជាមួយអាជ្ញាធរ"),
        ],
    ),
]
# Synthetic: per partner, the score every question of a domain starts from (1–4), and what it
# gains by each later assessment. Banteay Srei, assessed four times, has the longest history.
ASSESSMENT_DAYS = [datetime.date(2023, 1, 20), datetime.date(2023, 12, 15)]
BANTEAY_SREI_DAYS = [*ASSESSMENT_DAYS, datetime.date(2024, 6, 14), datetime.date(2024, 12, 13)]
BASELINES = {
    "lscw": (2, 2, 3),
    "banteay-srei": (2, 3, 3),
    "act": (1, 2, 2),
    "cwcc": (3, 3, 3),
    "lsg": (2, 1, 2),
    "mrc": (1, 1, 2),
}
BANTEAY_SREI_ACTIONS = [
    (
        0,
        ActionSpec(
            "financial",
            "Monthly budget-versus-actual review by the finance officer and the director",
            datetime.date(2023, 6, 30),
        ),
    ),
    (
        0,
        ActionSpec(
            "organisational",
            "Adopt a whistle-blower policy and designate two focal points",
            datetime.date(2023, 9, 30),
        ),
    ),
    (
        1,
        ActionSpec(
            "technical",
            "Train the field team in collecting attendance on phones",
            datetime.date(2024, 3, 31),
        ),
    ),
    (
        2,
        ActionSpec(
            "financial", "Prepare for the first external audit", datetime.date(2024, 12, 31)
        ),
    ),
]


def _scores(slug: str, step: int, rng) -> dict[str, int]:
    scores = {}
    for domain, base in zip(DOMAINS, BASELINES[slug], strict=True):
        for code, _en, _km in domain.questions:
            value = base + step + rng.choice([-1, 0, 0, 0, 1]) * (1 if step else 0)
            scores[code] = max(1, min(4, value))
    return scores


def _fia(organisations: dict[str, Organisation], created: Counter, found: Counter) -> None:
    consortium = Consortium.objects.get(slug=FIA)
    care = organisations["care"]
    round_ = ReflectionRound.objects.filter(consortium=consortium, slug=ROUND_SLUG).first()
    if round_ is None:
        round_ = reflection_round_create(
            consortium=consortium,
            by=SYSTEM,
            slug=ROUND_SLUG,
            title="Quarterly project reflection: the first six months",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2023, 6, 30),
            prompts=PROMPTS,
        )
        created["reflection rounds"] += 1
    else:
        found["reflection rounds"] += 1
    prompts = list(round_.prompts.order_by("order"))
    answered = set(
        ReflectionAnswer.objects.filter(prompt__round=round_).values_list(
            "organisation__slug", flat=True
        )
    )
    for slug, texts in REFLECTIONS.items():
        if slug in answered:
            found["reflections"] += 1
            continue
        reflection_answer(
            round=round_,
            organisation=organisations[slug],
            by=SYSTEM,
            answers={prompt.pk: text for prompt, text in zip(prompts, texts, strict=True)},
        )
        created["reflections"] += 1

    tool = CapacityTool.objects.filter(slug=TOOL).first()
    if tool is None:
        tool = capacity_tool_create(
            organisation=care,
            by=SYSTEM,
            slug=TOOL,
            name_en="Feminists in Action: partner capacity assessment",
            name_km="ការវាយតម្លៃសមត្ថភាពដៃគូ",
            domains=DOMAINS,
        )
    done = set(
        CapacityAssessment.objects.filter(tool=tool).values_list(
            "organisation__slug", "assessed_on"
        )
    )
    for slug in BASELINES:
        rng = section_random(f"voice-capacity-{slug}")
        days = BANTEAY_SREI_DAYS if slug == "banteay-srei" else ASSESSMENT_DAYS
        for step, day in enumerate(days):
            scores = _scores(slug, step, rng)
            if (slug, day) in done:
                found["capacity assessments"] += 1
                continue
            capacity_assess(
                tool=tool,
                organisation=organisations[slug],
                by=SYSTEM,
                assessed_on=day,
                scores=scores,
                actions=[a for n, a in BANTEAY_SREI_ACTIONS if n == step]
                if slug == "banteay-srei"
                else [],
            )
            created["capacity assessments"] += 1


# --- CCDO's budget, July–September 2024 ------------------------------------------------------

# In pounds sterling, as the SI Foundation publishes its figures ("an average of 34 UK pounds
# will provide a woman or girl with transformative training"): the demo spends exactly £34 for
# each of the 1,072 women and girls CCDO reached that quarter, 1,072 × 34 = £36,448.
CURRENCY = "GBP"
COST_PER_WOMAN = Decimal("34")
# code, English, Khmer, budget, spent
BUDGET_LINES = [
    (
        "workshops",
        "Self-empowerment and business workshops",
        "សិក្ខាសាលាពង្រឹងសមត្ថភាព និងអាជីវកម្ម",
        Decimal("13500"),
        Decimal("12960"),
    ),
    ("health", "Health training sessions", "វគ្គបណ្តុះបណ្តាលសុខភាព", Decimal("4200"), Decimal("3880")),
    (
        "outreach",
        "Forums, seminars, home visits and the tuk-tuk campaign",
        "វេទិកា សិក្ខាសាលា ការចុះផ្ទះ និងយុទ្ធនាការ",
        Decimal("6800"),
        Decimal("6608"),
    ),
    (
        "staff",
        "Facilitators and coordination",
        "អ្នកសម្របសម្រួល និងការសម្របសម្រួល",
        Decimal("11000"),
        Decimal("11000"),
    ),
    (
        "monitoring",
        "Monitoring and reporting",
        "ការតាមដាន និងរបាយការណ៍",
        Decimal("2200"),
        Decimal("2000"),
    ),
]


def _ccdo_budget(project: Project, created: Counter, found: Counter) -> None:
    lines = {line.code: line for line in BudgetLine.objects.filter(project=project)}
    for code, name_en, name_km, amount, spent in BUDGET_LINES:
        line = lines.get(code)
        if line is None:
            line = budget_line_add(
                project=project,
                by=SYSTEM,
                code=code,
                name_en=name_en,
                name_km=name_km,
                period_start=Q3_START,
                period_end=Q3_END,
                amount=amount,
                currency=CURRENCY,
            )
            created["budget lines"] += 1
        else:
            found["budget lines"] += 1
        external_id = f"ccdo-2024q3-spend-{code}"
        if Expenditure.objects.filter(
            organisation_id=project.organisation_id, external_id=external_id
        ).exists():
            found["expenditures"] += 1
            continue
        expenditure_record(
            line=line,
            by=SYSTEM,
            date=Q3_END,
            amount=spent,
            description="Quarter total from the accounts",
            external_id=external_id,
        )
        created["expenditures"] += 1


def voice_build(
    *,
    organisations: dict[str, Organisation],
    projects: dict[str, Project],
    users: dict[str, User],
    log: Callable[[str], object] = lambda line: None,
) -> VoiceResult:
    created: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for slug, username in FOCAL_POINTS:
        organisation, user = organisations[slug], users[username]
        if FocalPoint.objects.filter(organisation=organisation, user=user).exists():
            found["focal points"] += 1
        else:
            focal_point_designate(
                organisation=organisation, by=SYSTEM, user=user, on=datetime.date(2022, 1, 1)
            )
            created["focal points"] += 1
    _ccdo_feedback(organisations["ccdo"], created, found)
    _voice_requests(organisations["live-learn"], created, found)
    _fia(organisations, created, found)
    _ccdo_budget(projects[PROJECT_2024], created, found)
    kinds = [
        "focal points",
        "feedback",
        "requests",
        "reflections",
        "capacity assessments",
        "budget lines",
        "expenditures",
    ]
    log(
        "Voice and learning: "
        + ", ".join(f"{created[k] + found[k]:,} {k} ({created[k]:,} new)" for k in kinds)
    )
    return VoiceResult(created=created, found=found)
