"""The demo's results frameworks: CCDO's two projects, with the indicators whose values are the
figures CCDO published (computed by the engine from the demo's records, never typed in).

Targets are illustrative: the seed reports publish achievements, not targets.
"""

import datetime
from collections.abc import Callable
from typing import Any

from samaki.accounts.access import SYSTEM
from samaki.projects.models import Project
from samaki.results.models import PeriodKind, ResultLevel, ResultsFramework
from samaki.results.services import framework_create, indicator_add, result_add, target_set

PEOPLE_SPLITS = "sex, age_band, disability, district"

# (code, English, Khmer, unit, measure, definition fields, Q3 2024 target)
CCDO_2024 = [
    ("1.1", "Women and girls reached by health sessions", "ស្ត្រី និងក្មេងស្រីដែលបានចូលរួមវគ្គសុខភាព", "people",
     "distinct_people", {"activity_kinds": "training", "topics": "health", "sex": "female"}, 250),
    ("1.2", "Health sessions held", "វគ្គសុខភាពដែលបានរៀបចំ", "sessions",
     "sessions", {"activity_kinds": "training", "topics": "health"}, 12),
    ("1.3", "Women and girls trained in business", "ស្ត្រី និងក្មេងស្រីដែលបានបណ្តុះបណ្តាលផ្នែកអាជីវកម្ម", "people",
     "distinct_people", {"topics": "business", "sex": "female"}, 600),
    ("1.4", "Attendances at self-empowerment and business workshops", "ការចូលរួមសិក្ខាសាលា", "attendances",
     "attendances", {"activity_kinds": "workshop"}, 1200),
    ("1.5", "Women and girls reached by health sessions and workshops", "ស្ត្រី និងក្មេងស្រីដែលបានចូលរួមវគ្គសុខភាព និងសិក្ខាសាលា", "people",
     "distinct_people", {"activity_kinds": "training, workshop", "sex": "female"}, 1000),
    ("1.6", "Women who started a business", "ស្ត្រីដែលបានចាប់ផ្តើមអាជីវកម្ម", "people",
     "distinct_people_with_outcome", {"outcome_kinds": "business_started"}, 60),
    ("2.1", "Women who met local leaders", "ស្ត្រីដែលបានជួបអ្នកដឹកនាំមូលដ្ឋាន", "people",
     "distinct_people", {"activity_kinds": "meeting_authorities"}, 20),
    ("2.2", "Home visits", "ការចុះសួរសុខទុក្ខតាមផ្ទះ", "visits",
     "sessions", {"activity_kinds": "home_visit"}, 180),
    ("2.3", "Women in seminars", "ស្ត្រីដែលបានចូលរួមសិក្ខាសាលាសាធារណៈ", "people",
     "distinct_people", {"activity_kinds": "seminar", "sex": "female"}, 100),
    ("2.4", "Women who gave feedback on public services", "ស្ត្រីដែលបានផ្តល់មតិលើសេវាសាធារណៈ", "people",
     "distinct_people", {"activity_kinds": "public_forum", "topics": "public_services", "sex": "female"}, 80),
    ("2.5", "People counted at the tuk-tuk campaign (headcount)", "មនុស្សដែលបានរាប់នៅយុទ្ធនាការ (ចំនួនរាប់)", "people counted",
     "headcount", {"activity_kinds": "campaign"}, 2000),
]  # fmt: skip

CCDO_2022_2023 = [
    ("1.1", "Women and girls who took part", "ស្ត្រី និងក្មេងស្រីដែលបានចូលរួម", "people",
     "distinct_people", {"sex": "female"}, 2800),
    ("1.2", "Women and girls coached and mentored", "ស្ត្រី និងក្មេងស្រីដែលបានទទួលការបង្វឹក", "people",
     "distinct_people", {"activity_kinds": "coaching", "sex": "female"}, 2500),
    ("1.3", "Smart Women active at the end of the period", "ស្ត្រីឆ្លាតវៃសកម្មនៅចុងគ្រា", "people",
     "group_members_active_at_end", {"group_kinds": "smart_women"}, 45),
]  # fmt: skip


def _build(
    project: Project,
    rows: list[tuple[Any, ...]],
    *,
    goal: str,
    outcome: str,
    period: tuple[datetime.date, datetime.date, str],
) -> None:
    framework = framework_create(
        project=project,
        by=SYSTEM,
        goal_label_en="Goal",
        outcome_label_en="Outcome",
        output_label_en="Output",
        age_bands="0-17, 18-24, 25-49, 50+",
    )
    goal_result = result_add(
        framework=framework, by=SYSTEM, level=ResultLevel.GOAL, code="G", statement_en=goal
    )
    outcome_results = {}
    for code, name_en, name_km, unit, measure, fields, target in rows:
        head = code.split(".")[0]
        if head not in outcome_results:
            outcome_results[head] = result_add(
                framework=framework,
                by=SYSTEM,
                level=ResultLevel.OUTCOME,
                code=head,
                statement_en=outcome
                if head == "1"
                else "Women take part in decisions in their communities",
                parent=goal_result,
            )
        splits = (
            PEOPLE_SPLITS
            if measure not in ("sessions", "headcount")
            else ("district" if measure == "sessions" else "sex, age_band")
        )
        indicator = indicator_add(
            result=outcome_results[head],
            by=SYSTEM,
            code=code,
            name_en=name_en,
            name_km=name_km,
            measure=measure,
            unit=unit,
            data_source="Samaki attendance and outcome records",
            responsible="M&E officer",
            dimensions=splits,
            **fields,
        )
        start, end, kind = period
        target_set(
            indicator=indicator,
            by=SYSTEM,
            period_kind=kind,
            starts_on=start,
            ends_on=end,
            value=target,
        )


def results_demo_build(*, projects: dict[str, Project], log: Callable[[str], object]) -> int:
    """Create the frameworks that are missing; the number created."""
    created = 0
    plans = [
        (
            "ccdo-elc-2024",
            CCDO_2024,
            (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30), PeriodKind.QUARTER),
        ),
        (
            "ccdo-elc-2022-2023",
            CCDO_2022_2023,
            (datetime.date(2022, 1, 1), datetime.date(2023, 12, 31), PeriodKind.LIFE),
        ),
    ]
    for code, rows, period in plans:
        project = projects.get(code) or Project.objects.filter(code=code).first()
        if project is None or ResultsFramework.objects.filter(project=project).exists():
            continue
        _build(
            project,
            rows,
            goal="Women and girls in Siem Reap lead healthier, more secure and more equal lives",
            outcome="Women and girls gain health knowledge and economic skills",
            period=period,
        )
        created += 1
        log(f"results framework: {project.code}")
    return created
