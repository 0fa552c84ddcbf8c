"""Writing a results framework: each function validates, checks the writer, writes and audits."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.audit.services import audit_record, snapshot
from samaki.organisations.services import require_writer
from samaki.projects.models import Project
from samaki.results.engine import IndicatorError
from samaki.results.models import (
    Indicator,
    PeriodKind,
    Result,
    ResultLevel,
    ResultsFramework,
    Target,
    parse_age_bands,
)

_PARENT_LEVEL = {ResultLevel.OUTCOME: ResultLevel.GOAL, ResultLevel.OUTPUT: ResultLevel.OUTCOME}


@transaction.atomic
def framework_create(
    *, project: Project, by: Any, age_bands: str = "", **tier_labels: str
) -> ResultsFramework:
    """The project's framework; `tier_labels` are e.g. goal_label_en="Impact"."""
    require_writer(by=by, organisation=project.organisation)
    if ResultsFramework.objects.filter(project=project).exists():
        raise ValidationError(_("This project has a results framework already."))
    framework = ResultsFramework(organisation=project.organisation, project=project, **tier_labels)
    if age_bands:
        framework.age_bands = age_bands
    try:
        parse_age_bands(framework.age_bands)
    except ValueError as error:
        raise ValidationError({"age_bands": _("Write age bands as “0-14, 15-17, 50+”.")}) from error
    framework.full_clean(exclude=["project"])
    framework.save()
    audit_record(
        by=by,
        action="results_framework.create",
        obj=framework,
        organisation_id=framework.organisation_id,
        after=snapshot(framework),
    )
    return framework


@transaction.atomic
def result_add(
    *,
    framework: ResultsFramework,
    by: Any,
    level: str,
    code: str,
    statement_en: str,
    statement_km: str = "",
    parent: Result | None = None,
) -> Result:
    require_writer(by=by, organisation=framework.organisation)
    expected = _PARENT_LEVEL.get(ResultLevel(level))
    if (parent.level if parent else None) != expected or (
        parent is not None and parent.framework_id != framework.pk
    ):
        raise ValidationError(
            {"parent": _("An outcome sits under the goal, an output under an outcome.")}
        )
    result = Result(
        organisation=framework.organisation,
        framework=framework,
        parent=parent,
        level=level,
        code=code,
        statement_en=statement_en,
        statement_km=statement_km,
    )
    result.full_clean()
    result.save()
    audit_record(
        by=by,
        action="result.add",
        obj=result,
        organisation_id=result.organisation_id,
        after=snapshot(result),
    )
    return result


@transaction.atomic
def indicator_add(
    *, result: Result, by: Any, code: str, name_en: str, measure: str, **fields: Any
) -> Indicator:
    """An indicator under `result`; `fields` are the definition sheet and the engine definition."""
    require_writer(by=by, organisation=result.organisation)
    indicator = Indicator(
        organisation=result.organisation,
        result=result,
        code=code,
        name_en=name_en,
        measure=measure,
        **fields,
    )
    indicator.full_clean()
    framework = result.framework
    try:
        indicator.definition(
            project_id=framework.project_id, age_bands=parse_age_bands(framework.age_bands)
        )
    except (IndicatorError, ValueError) as error:
        raise ValidationError({"measure": str(error)}) from error
    indicator.save()
    audit_record(
        by=by,
        action="indicator.add",
        obj=indicator,
        organisation_id=indicator.organisation_id,
        after=snapshot(indicator),
    )
    return indicator


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    by: Any,
    period_kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    value: int,
) -> Target:
    """Set (or change) the target for one period."""
    require_writer(by=by, organisation=indicator.organisation)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    PeriodKind(period_kind)
    target = Target.objects.filter(
        indicator=indicator, starts_on=starts_on, ends_on=ends_on
    ).first()
    before = snapshot(target) if target else None
    if target is None:
        target = Target(
            organisation=indicator.organisation,
            indicator=indicator,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    target.period_kind, target.value = period_kind, value
    target.full_clean()
    target.save()
    audit_record(
        by=by,
        action="target.set",
        obj=target,
        organisation_id=target.organisation_id,
        before=before,
        after=snapshot(target),
    )
    return target
