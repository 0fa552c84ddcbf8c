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
from samaki.people.services import local_today

ANSWER_MAX = 4000
PROMPT_MAX = 300  # ReflectionPrompt.text_en, text_km
SCALE_MIN, SCALE_MAX = 2, 10  # a tool's highest score
ACTION_MAX = 300  # ActionPoint.text


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
    errors: dict[str, str] = {}
    prompts = [(text_en.strip(), text_km.strip()) for text_en, text_km in prompts]
    if not prompts:
        errors["prompts"] = _("A round needs at least one prompt.")
    elif any(not text_en for text_en, _text_km in prompts):
        errors["prompts"] = _("Every prompt needs its English text.")
    elif any(len(text) > PROMPT_MAX for prompt in prompts for text in prompt):
        errors["prompts"] = _("A prompt has at most %(max)d characters.") % {"max": PROMPT_MAX}
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if ReflectionRound.objects.filter(consortium=consortium, slug=slug).exists():
        errors["slug"] = _("This consortium already has a round with this short name.")
    if errors:
        raise ValidationError(errors)
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


def _tool_errors(*, domains: list[DomainSpec], scale_max: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not SCALE_MIN <= scale_max <= SCALE_MAX:
        errors["scale_max"] = _("The highest score is between %(min)d and %(max)d.") % {
            "min": SCALE_MIN,
            "max": SCALE_MAX,
        }
    domain_codes = [domain.code for domain in domains]
    question_codes = [code for domain in domains for code, _en, _km in domain.questions]
    if not domains:
        errors["domains"] = _("A tool needs at least one domain.")
    elif any(not domain.questions for domain in domains):
        errors["domains"] = _("Every domain needs at least one question.")
    elif any(not domain.name_en.strip() for domain in domains) or any(
        not en.strip() for domain in domains for _code, en, _km in domain.questions
    ):
        errors["domains"] = _("Every domain and question needs its English text.")
    elif len(set(domain_codes)) < len(domain_codes) or len(set(question_codes)) < len(
        question_codes
    ):
        # capacity_assess takes scores by question code: codes are unique in the whole tool.
        errors["domains"] = _("Two domains or two questions have the same code.")
    return errors


def _tool_outline(tool: CapacityTool) -> dict[str, Any]:
    """The tool with its domains and questions, for the audit trail and to compare versions."""
    return {
        "name_en": tool.name_en,
        "name_km": tool.name_km,
        "scale_max": tool.scale_max,
        "domains": [
            {
                "code": domain.code,
                "name_en": domain.name_en,
                "name_km": domain.name_km,
                "questions": [
                    [question.code, question.text_en, question.text_km]
                    for question in domain.questions.order_by("order", "code")
                ],
            }
            for domain in tool.domains.order_by("order", "code")
        ],
    }


def _spec_outline(
    *, name_en: str, name_km: str, scale_max: int, domains: list[DomainSpec]
) -> dict[str, Any]:
    """What `_tool_outline` will read once the tool is written with these values."""
    return {
        "name_en": name_en.strip(),
        "name_km": name_km.strip(),
        "scale_max": scale_max,
        "domains": [
            {
                "code": spec.code,
                "name_en": spec.name_en.strip(),
                "name_km": spec.name_km.strip(),
                "questions": [[code, en.strip(), km.strip()] for code, en, km in spec.questions],
            }
            for spec in domains
        ],
    }


def _tool_domains_write(tool: CapacityTool, domains: list[DomainSpec]) -> None:
    for order, spec in enumerate(domains, start=1):
        domain = CapacityDomain(
            tool=tool,
            code=spec.code,
            name_en=spec.name_en.strip(),
            name_km=spec.name_km.strip(),
            order=order,
        )
        domain.full_clean(validate_unique=False, validate_constraints=False)
        domain.save()
        questions = [
            CapacityQuestion(
                domain=domain, code=code, text_en=en.strip(), text_km=km.strip(), order=n
            )
            for n, (code, en, km) in enumerate(spec.questions, start=1)
        ]
        for question in questions:
            question.full_clean(validate_unique=False, validate_constraints=False)
        CapacityQuestion.objects.bulk_create(questions)


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
    errors = _tool_errors(domains=domains, scale_max=scale_max)
    if CapacityTool.objects.filter(slug=slug).exists():
        errors["slug"] = _("Another tool already has this short name.")
    if errors:
        raise ValidationError(errors)
    tool = CapacityTool(
        organisation=organisation,
        slug=slug,
        name_en=name_en.strip(),
        name_km=name_km.strip(),
        scale_max=scale_max,
    )
    tool.full_clean(validate_unique=False)
    tool.save()
    _tool_domains_write(tool, domains)
    audit_record(
        by=by,
        action="capacity_tool.create",
        obj=tool,
        organisation_id=organisation.pk,
        after={**snapshot(tool), **_tool_outline(tool)},
    )
    return tool


@transaction.atomic
def capacity_tool_update(
    *,
    by: Any,
    tool: CapacityTool,
    name_en: str,
    domains: list[DomainSpec],
    name_km: str = "",
    scale_max: int = 4,
) -> bool:
    """Rewrite a tool that no assessment has used yet; returns whether anything changed.

    Once assessed its questions are what the scores mean: it is refused, and a copy
    (`capacity_tool_create`) becomes the next version.
    """
    require_learning_writer(by=by, organisation_id=tool.organisation_id)
    tool = CapacityTool.objects.select_for_update().get(pk=tool.pk)
    if tool.assessments.exists():
        raise ValidationError(
            _(
                "This tool has been used for assessments, so its questions can no longer change. "
                "Copy it as a new tool instead."
            )
        )
    errors = _tool_errors(domains=domains, scale_max=scale_max)
    if errors:
        raise ValidationError(errors)
    before = _tool_outline(tool)
    after = _spec_outline(name_en=name_en, name_km=name_km, scale_max=scale_max, domains=domains)
    if after == before:
        return False
    tool.name_en, tool.name_km, tool.scale_max = after["name_en"], after["name_km"], scale_max
    tool.full_clean(validate_unique=False)
    tool.save(update_fields=["name_en", "name_km", "scale_max"])
    tool.domains.all().delete()
    _tool_domains_write(tool, domains)
    audit_record(
        by=by,
        action="capacity_tool.update",
        obj=tool,
        organisation_id=tool.organisation_id,
        before=before,
        after=_tool_outline(tool),
    )
    return True


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
        elif not action.text.strip() or len(action.text.strip()) > ACTION_MAX:
            errors["actions"] = _("An action point has 1 to %(max)d characters.") % {
                "max": ACTION_MAX
            }
    if tool.organisation_id != organisation.pk and not leads_consortium_with(
        lead_id=tool.organisation_id, organisation_id=organisation.pk
    ):
        errors["organisation"] = _(
            "This tool is used by its own organisation and the members of consortia it leads."
        )
    if assessed_on > local_today():
        errors["assessed_on"] = _("The date is in the future.")
    elif CapacityAssessment.objects.filter(
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
                text=action.text.strip(),
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
