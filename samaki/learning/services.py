"""Reflection rounds and capacity assessments: written by the lead and its members."""

import dataclasses
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.accounts.access import acting_user
from samaki.audit.services import audit_record, snapshot
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
from samaki.organisations.models import Consortium, ConsortiumMember, Organisation

ANSWER_MAX = 4000


def require_learning_writer(*, by: Any, organisation_id: int) -> None:
    access.require_manager(by=by, organisation_id=organisation_id)


def leads_consortium_with(*, lead_id: int, organisation_id: int) -> bool:
    return ConsortiumMember.objects.filter(
        consortium__lead_id=lead_id, organisation_id=organisation_id
    ).exists()


@transaction.atomic
def reflection_round_create(
    *,
    consortium: Consortium,
    by: Any,
    slug: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    prompts: list[tuple[str, str]],
) -> ReflectionRound:
    """The lead opens a round with its prompts, each (English, Khmer)."""
    require_learning_writer(by=by, organisation_id=consortium.lead_id)
    if not prompts:
        raise ValidationError({"prompts": _("A round needs at least one prompt.")})
    round_ = ReflectionRound(
        organisation_id=consortium.lead_id,
        consortium=consortium,
        slug=slug,
        title=title,
        period_start=period_start,
        period_end=period_end,
    )
    round_.full_clean()
    round_.save()
    ReflectionPrompt.objects.bulk_create(
        [
            ReflectionPrompt(round=round_, order=n, text_en=text_en, text_km=text_km)
            for n, (text_en, text_km) in enumerate(prompts, start=1)
        ]
    )
    audit_record(
        by=by,
        action="reflection_round.create",
        obj=round_,
        organisation_id=consortium.lead_id,
        after=snapshot(round_),
    )
    return round_


@transaction.atomic
def reflection_answer(
    *, round: ReflectionRound, organisation: Organisation, by: Any, answers: dict[int, str]
) -> int:
    """A member answers (or revises) the round's prompts: `answers` maps prompt id to text.

    Empty answers are left out. Returns how many answers it holds now.
    """
    require_learning_writer(by=by, organisation_id=organisation.pk)
    if not ConsortiumMember.objects.filter(
        consortium_id=round.consortium_id, organisation=organisation
    ).exists():
        raise PermissionDenied(_("Only the consortium's members answer its reflection rounds."))
    prompts = {prompt.pk: prompt for prompt in round.prompts.all()}
    errors = {}
    for prompt_id, text in answers.items():
        if prompt_id not in prompts:
            errors["answers"] = _("An answer to a prompt of another round.")
        elif len(text) > ANSWER_MAX:
            errors[f"prompt_{prompt_id}"] = _("At most %(max)d characters, please.") % {
                "max": ANSWER_MAX
            }
    if errors:
        raise ValidationError(errors)
    for prompt_id, text in answers.items():
        text = text.strip()
        if text:
            ReflectionAnswer.objects.update_or_create(
                prompt=prompts[prompt_id],
                organisation=organisation,
                defaults={"text": text, "by": acting_user(by)},
            )
        else:
            ReflectionAnswer.objects.filter(
                prompt=prompts[prompt_id], organisation=organisation
            ).delete()
    held = ReflectionAnswer.objects.filter(prompt__round=round, organisation=organisation).count()
    audit_record(
        by=by,
        action="reflection.answer",
        obj=round,
        organisation_id=organisation.pk,
        after={"answers": held},
    )
    return held


@dataclasses.dataclass(frozen=True)
class DomainSpec:
    code: str
    name_en: str
    name_km: str
    questions: list[tuple[str, str, str]]  # code, English, Khmer


@transaction.atomic
def capacity_tool_create(
    *,
    organisation: Organisation,
    by: Any,
    slug: str,
    name_en: str,
    domains: list[DomainSpec],
    name_km: str = "",
    scale_max: int = 4,
) -> CapacityTool:
    require_learning_writer(by=by, organisation_id=organisation.pk)
    if not domains or any(not domain.questions for domain in domains):
        raise ValidationError(_("A tool needs domains, and every domain questions."))
    tool = CapacityTool(
        organisation=organisation, slug=slug, name_en=name_en, name_km=name_km, scale_max=scale_max
    )
    tool.full_clean()
    tool.save()
    for order, spec in enumerate(domains, start=1):
        domain = CapacityDomain.objects.create(
            tool=tool, code=spec.code, name_en=spec.name_en, name_km=spec.name_km, order=order
        )
        CapacityQuestion.objects.bulk_create(
            [
                CapacityQuestion(domain=domain, code=code, text_en=en, text_km=km, order=n)
                for n, (code, en, km) in enumerate(spec.questions, start=1)
            ]
        )
    audit_record(
        by=by,
        action="capacity_tool.create",
        obj=tool,
        organisation_id=organisation.pk,
        after=snapshot(tool),
    )
    return tool


@dataclasses.dataclass(frozen=True)
class ActionSpec:
    domain_code: str
    text: str
    due_on: datetime.date | None = None


@transaction.atomic
def capacity_assess(
    *,
    tool: CapacityTool,
    organisation: Organisation,
    by: Any,
    assessed_on: datetime.date,
    scores: dict[str, int],
    notes: str = "",
    actions: list[ActionSpec] | None = None,
) -> CapacityAssessment:
    """Score every question of `tool` for `organisation`: by its own staff, or by its lead's."""
    access.require_actor(by)
    if not access.is_system(by) and not access.is_platform_operator(by):
        own = by.organisation_id == organisation.pk
        lead = by.organisation_id is not None and leads_consortium_with(
            lead_id=by.organisation_id, organisation_id=organisation.pk
        )
        if not (own or lead) or not access.can_manage(by):
            raise PermissionDenied(_("You may not assess this organisation."))
    questions = {
        question.code: question for question in CapacityQuestion.objects.filter(domain__tool=tool)
    }
    domains = {domain.code: domain for domain in tool.domains.all()}
    errors: dict[str, str] = {}
    missing = sorted(set(questions) - set(scores))
    unknown = sorted(set(scores) - set(questions))
    if missing:
        errors["scores"] = _("Every question needs a score; missing: %(codes)s.") % {
            "codes": ", ".join(missing)
        }
    if unknown:
        errors["scores"] = _("Not questions of this tool: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    bad = sorted(code for code, score in scores.items() if not 1 <= score <= tool.scale_max)
    if bad:
        errors["scores"] = _("Scores run from 1 to %(max)d: %(codes)s.") % {
            "max": tool.scale_max,
            "codes": ", ".join(bad),
        }
    for action in actions or []:
        if action.domain_code not in domains:
            errors["actions"] = _("Unknown domain “%(code)s”.") % {"code": action.domain_code}
    if CapacityAssessment.objects.filter(
        organisation=organisation, tool=tool, assessed_on=assessed_on
    ).exists():
        errors["assessed_on"] = _("This organisation was already assessed with this tool that day.")
    if errors:
        raise ValidationError(errors)
    assessment = CapacityAssessment.objects.create(
        organisation=organisation,
        tool=tool,
        assessed_on=assessed_on,
        notes=notes,
        by=acting_user(by),
    )
    CapacityScore.objects.bulk_create(
        [
            CapacityScore(assessment=assessment, question=questions[code], score=score)
            for code, score in scores.items()
        ]
    )
    ActionPoint.objects.bulk_create(
        [
            ActionPoint(
                assessment=assessment,
                domain=domains[action.domain_code],
                text=action.text,
                due_on=action.due_on,
            )
            for action in actions or []
        ]
    )
    audit_record(
        by=by,
        action="capacity.assess",
        obj=assessment,
        organisation_id=organisation.pk,
        after={**snapshot(assessment), "scores": scores},
    )
    return assessment
