"""Reading reflections and capacity: a member sees its own, the consortium's lead sees all.

Reflections and capacity scores describe organisations, not people: the lead's staff read its
members' answers and scores (never their people, which live elsewhere).
"""

import dataclasses
import datetime
from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404

from samaki.accounts import access
from samaki.learning.models import (
    ActionPoint,
    CapacityAssessment,
    CapacityDomain,
    CapacityQuestion,
    CapacityScore,
    CapacityTool,
    ReflectionAnswer,
    ReflectionPrompt,
    ReflectionRound,
)
from samaki.organisations.models import Consortium, Organisation


def _reads_learning(user: Any) -> bool:
    return access.can_read_organisation_programme(user)


def reflection_round_list(*, user: Any) -> models.QuerySet[ReflectionRound]:
    if access.is_platform_operator(user):
        return ReflectionRound.objects.select_related("consortium")
    if not _reads_learning(user):
        return ReflectionRound.objects.none()
    return (
        ReflectionRound.objects.filter(
            Q(organisation_id=user.organisation_id)
            | Q(consortium__members__id=user.organisation_id)
        )
        .select_related("consortium")
        .distinct()
    )


def get_reflection_round_for_user(*, user: Any, pk: int) -> ReflectionRound:
    return get_object_or_404(reflection_round_list(user=user), pk=pk)


def is_lead_of(*, user: Any, consortium: Consortium) -> bool:
    return access.is_consortium_lead(user, consortium)


def lead_consortium_list(*, user: Any) -> models.QuerySet[Consortium]:
    if access.is_platform_operator(user):
        return Consortium.objects.all()
    if not _reads_learning(user):
        return Consortium.objects.none()
    return Consortium.objects.filter(lead_id=user.organisation_id)


def get_led_consortium_for_user(*, user: Any, pk: int) -> Consortium:
    return get_object_or_404(lead_consortium_list(user=user), pk=pk)


@dataclasses.dataclass(frozen=True)
class ReflectionRow:
    organisation: Organisation
    answers: list[str]  # one per prompt, "" where not answered


@dataclasses.dataclass(frozen=True)
class ReflectionTable:
    """A round side by side: prompts across, organisations down. Plain data for pages and files."""

    title: str
    consortium: str
    period_start: datetime.date
    period_end: datetime.date
    prompts: list[ReflectionPrompt]
    rows: list[ReflectionRow]


def reflection_table(*, user: Any, round: ReflectionRound) -> ReflectionTable:
    """The lead sees every member's row; a member only her own. Three queries, whatever the size."""
    prompts = list(round.prompts.order_by("order"))
    members = Organisation.objects.filter(consortia=round.consortium).order_by("name_en")
    if not is_lead_of(user=user, consortium=round.consortium):
        members = members.filter(pk=user.organisation_id)
    members_list = list(members)
    texts = {
        (answer["organisation_id"], answer["prompt_id"]): answer["text"]
        for answer in ReflectionAnswer.objects.filter(
            prompt__round=round, organisation__in=members_list
        ).values("organisation_id", "prompt_id", "text")
    }
    rows = [
        ReflectionRow(
            organisation=organisation,
            answers=[texts.get((organisation.pk, prompt.pk), "") for prompt in prompts],
        )
        for organisation in members_list
    ]
    return ReflectionTable(
        title=round.title,
        consortium=round.consortium.name_en,
        period_start=round.period_start,
        period_end=round.period_end,
        prompts=prompts,
        rows=rows,
    )


def capacity_assessment_list(*, user: Any) -> models.QuerySet[CapacityAssessment]:
    """Her organisation's assessments, and those of the members of consortia it leads."""
    if access.is_platform_operator(user):
        return CapacityAssessment.objects.select_related("organisation", "tool")
    if not _reads_learning(user):
        return CapacityAssessment.objects.none()
    return (
        CapacityAssessment.objects.filter(
            Q(organisation_id=user.organisation_id)
            | Q(organisation__consortia__lead_id=user.organisation_id)
        )
        .select_related("organisation", "tool")
        .distinct()
    )


def capacity_organisation_list(*, user: Any) -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=capacity_assessment_list(user=user).values("organisation_id")
    ).order_by("name_en")


def get_capacity_organisation_for_user(*, user: Any, pk: int) -> Organisation:
    return get_object_or_404(capacity_organisation_list(user=user), pk=pk)


def capacity_tool_list(*, user: Any) -> models.QuerySet[CapacityTool]:
    """Her organisation's tools and those of the leads of consortia it belongs to (which assess
    it with them), each with how many domains, questions and assessments it has."""
    tools = CapacityTool.objects.select_related("organisation").annotate(
        domain_count=Count("domains", distinct=True),
        question_count=Count("domains__questions", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )
    if access.is_platform_operator(user):
        return tools
    if not _reads_learning(user):
        return tools.none()
    leads = Consortium.objects.filter(members__id=user.organisation_id).values("lead_id")
    return tools.filter(Q(organisation_id=user.organisation_id) | Q(organisation_id__in=leads))


def get_capacity_tool_for_user(*, user: Any, pk: int) -> CapacityTool:
    return get_object_or_404(capacity_tool_list(user=user), pk=pk)


def capacity_tool_domains(tool: CapacityTool) -> list[CapacityDomain]:
    """The tool's domains in order, each with its questions (two queries)."""
    return list(
        tool.domains.order_by("order", "code").prefetch_related(
            models.Prefetch("questions", CapacityQuestion.objects.order_by("order", "code"))
        )
    )


def assessable_organisation_list(*, user: Any, tool: CapacityTool) -> models.QuerySet[Organisation]:
    """Whom she may assess with `tool`: her own organisation and the members of consortia it
    leads (as an administrator or M&E officer), of those the tool is meant for — its owner and
    the members of consortia its owner leads (`capacity_assess` checks the same)."""
    meant_for = Organisation.objects.filter(
        Q(pk=tool.organisation_id) | Q(consortia__lead_id=tool.organisation_id)
    )
    if access.is_platform_operator(user):
        mine = Organisation.objects.all()
    elif not access.can_manage(user):
        return Organisation.objects.none()
    else:
        mine = Organisation.objects.filter(
            Q(pk=user.organisation_id) | Q(consortia__lead_id=user.organisation_id)
        )
    return (
        Organisation.objects.filter(pk__in=meant_for.values("pk"))
        .filter(pk__in=mine.values("pk"))
        .order_by("name_en")
    )


@dataclasses.dataclass(frozen=True)
class DomainScore:
    domain: CapacityDomain
    average: float  # mean question score
    percent: float  # of the tool's highest score


@dataclasses.dataclass(frozen=True)
class AssessmentScores:
    assessment_id: int
    organisation_id: int
    assessed_on: datetime.date
    domains: list[DomainScore]


def capacity_scores(assessments: models.QuerySet[CapacityAssessment]) -> list[AssessmentScores]:
    """Each assessment's mean score per domain, averaged in the database (one query, plus the
    domains). Pass a scoped queryset (`capacity_assessment_list(user=…)`)."""
    rows = list(
        CapacityScore.objects.filter(assessment__in=assessments)
        .values(
            "assessment_id",
            "assessment__organisation_id",
            "assessment__assessed_on",
            "assessment__tool__scale_max",
            "question__domain_id",
        )
        .annotate(average=Avg("score"))
        .order_by("assessment__assessed_on", "assessment_id", "question__domain_id")
    )
    domains = CapacityDomain.objects.in_bulk({row["question__domain_id"] for row in rows})
    grouped: dict[int, AssessmentScores] = {}
    for row in rows:
        entry = grouped.setdefault(
            row["assessment_id"],
            AssessmentScores(
                assessment_id=row["assessment_id"],
                organisation_id=row["assessment__organisation_id"],
                assessed_on=row["assessment__assessed_on"],
                domains=[],
            ),
        )
        average = float(row["average"])
        entry.domains.append(
            DomainScore(
                domain=domains[row["question__domain_id"]],
                average=round(average, 2),
                percent=round(100 * average / row["assessment__tool__scale_max"], 1),
            )
        )
    for entry in grouped.values():
        entry.domains.sort(key=lambda score: (score.domain.order, score.domain.code))
    return list(grouped.values())


def action_point_list(*, user: Any) -> models.QuerySet[ActionPoint]:
    return ActionPoint.objects.filter(
        assessment__in=capacity_assessment_list(user=user)
    ).select_related("domain", "assessment")


@dataclasses.dataclass(frozen=True)
class PartnerComparison:
    organisation: Organisation
    answers: list[str]
    first: AssessmentScores | None
    latest: AssessmentScores | None

    def change(self) -> list[tuple[DomainScore, float | None]]:
        """Each domain's latest score with its change in points since the first assessment."""
        if self.latest is None:
            return []
        first = {s.domain.pk: s.percent for s in self.first.domains} if self.first else {}
        return [
            (
                score,
                round(score.percent - first[score.domain.pk], 1)
                if self.first is not self.latest and score.domain.pk in first
                else None,
            )
            for score in self.latest.domains
        ]


def consortium_comparison(
    *, user: Any, consortium: Consortium, round: ReflectionRound | None
) -> list[PartnerComparison]:
    """Every member's reflections (in `round`) beside its first and latest capacity scores."""
    table = reflection_table(user=user, round=round) if round else None
    answers = {row.organisation.pk: row.answers for row in table.rows} if table else {}
    members = list(Organisation.objects.filter(consortia=consortium).order_by("name_en"))
    by_organisation: dict[int, list[AssessmentScores]] = defaultdict(list)
    for scores in capacity_scores(
        capacity_assessment_list(user=user).filter(organisation__in=members)
    ):
        by_organisation[scores.organisation_id].append(scores)
    return [
        PartnerComparison(
            organisation=member,
            answers=answers.get(member.pk, []),
            first=by_organisation[member.pk][0] if by_organisation[member.pk] else None,
            latest=by_organisation[member.pk][-1] if by_organisation[member.pk] else None,
        )
        for member in members
    ]
