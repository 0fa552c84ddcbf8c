"""A consortium of seven with answers and assessments, for the learning tests."""

import datetime

import pytest

from samaki.accounts.access import SYSTEM
from samaki.learning.services import (
    ActionSpec,
    DomainSpec,
    capacity_assess,
    capacity_tool_create,
    reflection_answer,
    reflection_round_create,
)
from samaki.organisations.services import consortium_create, organisation_create

PROMPTS = [
    ("What are you proudest of?", "តើអ្នកមានមោទនភាពបំផុតចំពោះអ្វី?"),
    ("What challenges did you meet?", "តើអ្នកបានជួបបញ្ហាប្រឈមអ្វីខ្លះ?"),
    ("What do you look forward to?", "តើអ្នកទន្ទឹងរង់ចាំអ្វី?"),
]


@pytest.fixture
def consortium(personas):
    """`other` leads a consortium of home and six more partners; outsider is other's admin."""
    partners = [
        organisation_create(by=SYSTEM, slug=f"p{n}", name_en=f"Partner {n}") for n in range(1, 6)
    ]
    consortium = consortium_create(
        by=SYSTEM,
        slug="fia",
        name_en="Feminists",
        lead=personas.other,
        members=[personas.home, *partners],
    )
    round_ = reflection_round_create(
        consortium=consortium,
        by=personas.outsider,
        slug="2023-h1",
        title="Quarterly reflection",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 6, 30),
        prompts=PROMPTS,
    )
    prompts = list(round_.prompts.order_by("order"))
    for partner in [personas.home, *partners]:
        reflection_answer(
            round=round_,
            organisation=partner,
            by=SYSTEM,
            answers={prompt.pk: f"{partner.slug} answer {i}" for i, prompt in enumerate(prompts)},
        )
    tool = capacity_tool_create(
        organisation=personas.other,
        by=personas.outsider,
        slug="tool",
        name_en="Partner capacity",
        domains=[
            DomainSpec(
                "financial",
                "Financial",
                "ហិរញ្ញវត្ថុ",
                [("budget", "Budget", ""), ("audit", "Audit", "")],
            ),
            DomainSpec("technical", "Technical", "បច្ចេកទេស", [("me", "M&E", "")]),
        ],
    )
    for partner in [personas.home, *partners]:
        capacity_assess(
            tool=tool,
            organisation=partner,
            by=personas.outsider,
            assessed_on=datetime.date(2023, 1, 15),
            scores={"budget": 1, "audit": 2, "me": 2},
        )
    capacity_assess(
        tool=tool,
        organisation=personas.home,
        by=personas.admin,
        assessed_on=datetime.date(2023, 7, 15),
        scores={"budget": 3, "audit": 4, "me": 3},
        actions=[ActionSpec("financial", "Train the accountant", datetime.date(2023, 12, 31))],
    )
    return {"consortium": consortium, "round": round_, "tool": tool, "partners": partners}


@pytest.fixture
def home_tool(personas):
    """Home's own tool: two domains, three questions, scored 1 to 4; not assessed yet."""
    return capacity_tool_create(
        organisation=personas.home,
        by=personas.admin,
        slug="home-capacity",
        name_en="Home capacity",
        name_km="សមត្ថភាព",
        domains=[
            DomainSpec(
                "financial",
                "Financial",
                "ហិរញ្ញវត្ថុ",
                [("financial-1", "Budget", "ថវិកា"), ("financial-2", "Audit", "")],
            ),
            DomainSpec("technical", "Technical", "បច្ចេកទេស", [("technical-1", "M&E", "")]),
        ],
    )
