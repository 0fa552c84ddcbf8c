"""Writing a results framework: each function validates, checks the writer, writes and audits.

The framework is set up by the project organisation's managers (`access.can_manage`: its
administrators and M&E officers); everyone else who reads the project reads it.
"""

import dataclasses
import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.activities.models import ActivityKind, Topic
from samaki.areas.models import Area
from samaki.audit.services import audit_record, snapshot
from samaki.groups.models import GroupKind
from samaki.outcomes.models import OutcomeKind
from samaki.projects.models import Project
from samaki.results import xlsx
from samaki.results.engine import IndicatorError
from samaki.results.models import (
    MEASURE_LABELS,
    CountDefinition,
    Denominator,
    Indicator,
    IndicatorKind,
    PeriodKind,
    Result,
    ResultLevel,
    ResultsFramework,
    Target,
    parse_age_bands,
)

_PARENT_LEVEL = {ResultLevel.OUTCOME: ResultLevel.GOAL, ResultLevel.OUTPUT: ResultLevel.OUTCOME}

# The columns of a count definition (shared by an indicator and its denominator).
DEFINITION_FIELDS = (
    "measure",
    "activity_kinds",
    "topics",
    "group_kinds",
    "outcome_kinds",
    "sex",
    "area_path",
    "id_poor",
    "attributes",
    "dimensions",
)
FILTER_FIELDS = DEFINITION_FIELDS[1:-1]
# The vocabulary behind each code filter: a code must be the organisation's or a shared one.
VOCABULARY_OF: dict[str, type[models.Model]] = {
    "activity_kinds": ActivityKind,
    "topics": Topic,
    "group_kinds": GroupKind,
    "outcome_kinds": OutcomeKind,
}
FRAMEWORK_FIELDS = (
    "goal_label_en",
    "goal_label_km",
    "outcome_label_en",
    "outcome_label_km",
    "output_label_en",
    "output_label_km",
    "age_bands",
)
# The indicator's own fields besides its definition (the definition sheet and its place).
INDICATOR_FIELDS = (
    "code",
    "name_en",
    "name_km",
    "kind",
    "definition_en",
    "definition_km",
    "unit",
    "data_source",
    "frequency",
    "responsible",
    "baseline",
    "baseline_on",
    "direction",
    "cumulative",
)


def _changed(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set `values` on `obj`; the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def codes_text(codes: Iterable[str]) -> str:
    """Codes as the stored comma-separated text."""
    return ", ".join(code for code in codes if code)


def _age_bands_check(text: str) -> None:
    try:
        bands = parse_age_bands(text)
    except ValueError as error:
        raise ValidationError({"age_bands": _("Write age bands as “0-14, 15-17, 50+”.")}) from error
    if not bands or any(high is not None and high < low for low, high in bands):
        raise ValidationError({"age_bands": _("Write age bands as “0-14, 15-17, 50+”.")})


# --- the framework ----------------------------------------------------------------------------


@transaction.atomic
def framework_create(
    *, project: Project, by: Any, age_bands: str = "", **tier_labels: str
) -> ResultsFramework:
    """The project's framework; `tier_labels` are e.g. goal_label_en="Impact"."""
    access.require_manager(by=by, organisation_id=project.organisation_id)
    if ResultsFramework.objects.filter(project=project).exists():
        raise ValidationError(_("This project has a results framework already."))
    framework = ResultsFramework(organisation=project.organisation, project=project, **tier_labels)
    if age_bands:
        framework.age_bands = age_bands
    _age_bands_check(framework.age_bands)
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
def framework_update(*, framework: ResultsFramework, by: Any, **values: str) -> bool:
    """Change the tier names (English, Khmer) and the age bands; whether anything changed."""
    access.require_manager(by=by, organisation_id=framework.organisation_id)
    unknown = set(values) - set(FRAMEWORK_FIELDS)
    if unknown:
        raise TypeError(f"framework_update() got {', '.join(sorted(unknown))}")
    before = snapshot(framework)
    changed = _changed(framework, {name: value.strip() for name, value in values.items()})
    if not changed:
        return False
    _age_bands_check(framework.age_bands)
    framework.full_clean(exclude=["project"])
    framework.save(update_fields=changed)
    audit_record(
        by=by,
        action="results_framework.update",
        obj=framework,
        organisation_id=framework.organisation_id,
        before=before,
        after=snapshot(framework),
    )
    return True


# --- results ----------------------------------------------------------------------------------


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
    access.require_manager(by=by, organisation_id=framework.organisation_id)
    result = _result_build(
        framework=framework,
        level=level,
        code=code,
        statement_en=statement_en,
        statement_km=statement_km,
        parent=parent,
    )
    result.save()
    audit_record(
        by=by,
        action="result.add",
        obj=result,
        organisation_id=result.organisation_id,
        after=snapshot(result),
    )
    return result


def _result_build(
    *,
    framework: ResultsFramework,
    level: str,
    code: str,
    statement_en: str,
    statement_km: str,
    parent: Result | None,
) -> Result:
    """A validated, unsaved result (the import builds many before writing any)."""
    if level not in ResultLevel.values:
        raise ValidationError({"level": _("Choose goal, outcome or output.")})
    expected = _PARENT_LEVEL.get(ResultLevel(level))
    if (parent.level if parent else None) != expected or (
        parent is not None and parent.framework_id != framework.pk
    ):
        raise ValidationError(
            {"parent": _("An outcome sits under the goal, an output under an outcome.")}
        )
    if (
        level == ResultLevel.GOAL
        and framework.pk
        and framework.results.filter(level=level).exists()
    ):
        raise ValidationError({"level": _("The framework has a goal already.")})
    result = Result(
        organisation=framework.organisation,
        framework=framework,
        parent=parent,
        level=level,
        code=code.strip(),
        statement_en=statement_en.strip(),
        statement_km=statement_km.strip(),
    )
    result.full_clean(exclude=["framework", "parent", "organisation"])
    if Result.objects.filter(framework_id=framework.pk, code=result.code).exists():
        raise ValidationError({"code": _("Another result of this framework has this code.")})
    return result


@transaction.atomic
def result_update(
    *, result: Result, by: Any, code: str, statement_en: str, statement_km: str
) -> bool:
    """Change a result's code and statements (its place in the tree stays); whether it changed."""
    access.require_manager(by=by, organisation_id=result.organisation_id)
    before = snapshot(result)
    changed = _changed(
        result,
        {
            "code": code.strip(),
            "statement_en": statement_en.strip(),
            "statement_km": statement_km.strip(),
        },
    )
    if not changed:
        return False
    result.full_clean(exclude=["framework", "parent", "organisation"])
    if (
        Result.objects.filter(framework_id=result.framework_id, code=result.code)
        .exclude(pk=result.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Another result of this framework has this code.")})
    result.save(update_fields=changed)
    audit_record(
        by=by,
        action="result.update",
        obj=result,
        organisation_id=result.organisation_id,
        before=before,
        after=snapshot(result),
    )
    return True


@transaction.atomic
def result_remove(*, result: Result, by: Any) -> None:
    """Remove a result that has no indicator and no result under it."""
    access.require_manager(by=by, organisation_id=result.organisation_id)
    if result.indicators.exists():
        raise ValidationError(_("Remove this result's indicators first."))
    if result.children.exists():
        raise ValidationError(_("Remove the results under this one first."))
    before = snapshot(result)
    audit_record(
        by=by,
        action="result.remove",
        obj=result,
        organisation_id=result.organisation_id,
        before=before,
    )
    result.delete()


# --- indicators -------------------------------------------------------------------------------


def vocabulary_codes(organisation_id: int) -> dict[str, set[str]]:
    """The codes each code filter may name for the organisation (its own and the shared ones)."""
    return {
        field: set(
            model._default_manager.filter(
                Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
            ).values_list("code", flat=True)
        )
        for field, model in VOCABULARY_OF.items()
    }


def _definition_errors(
    definition: CountDefinition,
    *,
    framework: ResultsFramework,
    split_by: str | None,
    vocabularies: dict[str, set[str]],
) -> dict[str, str]:
    """Field → message for what the engine refuses in `definition` (and unknown codes)."""
    errors: dict[str, str] = {}
    for field, known in vocabularies.items():
        unknown = [code for code in _split(getattr(definition, field)) if code not in known]
        if unknown:
            errors[field] = _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        return errors
    try:
        measure_label = MEASURE_LABELS[definition.measure]  # type: ignore[index]
    except KeyError:
        return {"measure": _("Choose a measure.")}
    bands = parse_age_bands(framework.age_bands)

    def refused(candidate: CountDefinition, dimensions: bool, split: str | None) -> bool:
        try:
            candidate.definition(
                project_id=framework.project_id,
                age_bands=bands,
                dimensions=dimensions,
                split_by=split,
            )
        except (IndicatorError, ValueError):
            return True
        return False

    for field in FILTER_FIELDS:
        if not getattr(definition, field):
            continue
        alone = type(definition)(measure=definition.measure, **{field: getattr(definition, field)})
        if refused(alone, dimensions=False, split=None):
            errors[field] = _("“%(measure)s” cannot be filtered by this.") % {
                "measure": measure_label
            }
    if errors:
        return errors
    if refused(definition, dimensions=True, split=split_by):
        codes = _split(definition.dimensions if split_by is None else split_by)
        bare = type(definition)(measure=definition.measure)
        bad = [code for code in codes if refused(bare, dimensions=True, split=code)]
        errors["dimensions"] = _("“%(measure)s” cannot be split by %(dimensions)s.") % {
            "measure": measure_label,
            "dimensions": ", ".join(bad) or ", ".join(codes),
        }
    return errors


def _split(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


@dataclasses.dataclass(frozen=True)
class DenominatorSpec:
    """A percentage's or ratio's denominator: a measure and its filters (it is split by the
    indicator's disaggregations)."""

    measure: str
    activity_kinds: str = ""
    topics: str = ""
    group_kinds: str = ""
    outcome_kinds: str = ""
    sex: str = ""
    area_path: str = ""
    id_poor: str = ""
    attributes: str = ""


def indicator_check(
    indicator: Indicator,
    denominator: DenominatorSpec | None,
    *,
    framework: ResultsFramework,
    vocabularies: dict[str, set[str]] | None = None,
) -> Denominator | None:
    """Validate the indicator (and build its unsaved denominator): ValidationError by field,
    the denominator's fields prefixed `denominator_`."""
    errors: dict[str, Any] = {}
    try:
        indicator.full_clean(exclude=["result", "organisation"])
    except ValidationError as error:
        errors.update(error.message_dict)
    vocabularies = vocabularies or vocabulary_codes(framework.organisation_id)
    if "measure" not in errors:
        errors.update(
            _definition_errors(
                indicator, framework=framework, split_by=None, vocabularies=vocabularies
            )
        )
    built = None
    if indicator.kind != IndicatorKind.NUMBER:
        if denominator is None or not denominator.measure:
            errors["denominator_measure"] = _(
                "A percentage or a ratio needs a denominator: choose what it counts."
            )
        else:
            built = Denominator(
                organisation_id=framework.organisation_id,
                dimensions=indicator.dimensions,
                **dataclasses.asdict(denominator),
            )
            for field, message in _definition_errors(
                built, framework=framework, split_by=indicator.dimensions, vocabularies=vocabularies
            ).items():
                errors[f"denominator_{field}"] = message
    if errors:
        raise ValidationError(errors)
    return built


def _denominator_save(indicator: Indicator, built: Denominator | None) -> None:
    existing = Denominator.objects.filter(indicator=indicator).first()
    if built is None:
        if existing is not None:
            existing.delete()
        return
    if existing is not None:
        built.pk = existing.pk
    built.indicator = indicator
    built.save()


def indicator_snapshot(indicator: Indicator) -> dict[str, Any]:
    """The indicator's row, and its denominator's definition."""
    data = snapshot(indicator)
    denominator = Denominator.objects.filter(indicator=indicator).first()
    data["denominator"] = (
        {field: getattr(denominator, field) for field in DEFINITION_FIELDS} if denominator else None
    )
    return data


@transaction.atomic
def indicator_add(
    *,
    result: Result,
    by: Any,
    code: str,
    name_en: str,
    measure: str,
    denominator: DenominatorSpec | None = None,
    **fields: Any,
) -> Indicator:
    """An indicator under `result`; `fields` are the definition sheet and the engine definition
    (for a percentage or a ratio, its numerator; `denominator` then says what it divides by)."""
    access.require_manager(by=by, organisation_id=result.organisation_id)
    indicator = Indicator(
        organisation_id=result.organisation_id,
        result=result,
        code=code.strip(),
        name_en=name_en.strip(),
        measure=measure,
        **fields,
    )
    built = indicator_check(indicator, denominator, framework=result.framework)
    if Indicator.objects.filter(result=result, code=indicator.code).exists():
        raise ValidationError({"code": _("Another indicator of this result has this code.")})
    indicator.save()
    _denominator_save(indicator, built)
    audit_record(
        by=by,
        action="indicator.add",
        obj=indicator,
        organisation_id=indicator.organisation_id,
        after=indicator_snapshot(indicator),
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, by: Any, denominator: DenominatorSpec | None = None, **fields: Any
) -> bool:
    """Change an indicator's definition sheet, definition and denominator; whether it changed.

    Every field of INDICATOR_FIELDS and DEFINITION_FIELDS is given (what is not changing, as it
    is); a number indicator's denominator, if it had one, is removed."""
    access.require_manager(by=by, organisation_id=indicator.organisation_id)
    unknown = set(fields) - set(INDICATOR_FIELDS) - set(DEFINITION_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update() got {', '.join(sorted(unknown))}")
    before = indicator_snapshot(indicator)
    changed = _changed(indicator, fields)
    built = indicator_check(indicator, denominator, framework=indicator.result.framework)
    if (
        Indicator.objects.filter(result_id=indicator.result_id, code=indicator.code)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Another indicator of this result has this code.")})
    if changed:
        indicator.save(update_fields=changed)
    _denominator_save(indicator, built)
    after = indicator_snapshot(indicator)
    if after == before:
        return False
    audit_record(
        by=by,
        action="indicator.update",
        obj=indicator,
        organisation_id=indicator.organisation_id,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def indicator_remove(*, indicator: Indicator, by: Any) -> None:
    """Remove an indicator with its denominator and targets."""
    access.require_manager(by=by, organisation_id=indicator.organisation_id)
    before = indicator_snapshot(indicator)
    before["targets"] = [snapshot(target) for target in indicator.targets.all()]
    audit_record(
        by=by,
        action="indicator.remove",
        obj=indicator,
        organisation_id=indicator.organisation_id,
        before=before,
    )
    indicator.delete()


# --- targets ----------------------------------------------------------------------------------


def _target_value(value: Any) -> decimal.Decimal:
    try:
        number = decimal.Decimal(str(value).strip().replace(",", ""))
    except decimal.InvalidOperation as error:
        raise ValidationError({"value": _("Write the target as a number.")}) from error
    if not number.is_finite() or number < 0:
        raise ValidationError({"value": _("A target is a number, zero or more.")})
    if number != number.quantize(decimal.Decimal("0.01")) or abs(number) >= 10**12:
        raise ValidationError({"value": _("A target has at most two decimals.")})
    return number


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    by: Any,
    period_kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    value: int | decimal.Decimal | str,
) -> Target:
    """Set (or change) the target for one period."""
    access.require_manager(by=by, organisation_id=indicator.organisation_id)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Choose month, quarter, year or life of project.")})
    number = _target_value(value)
    target = Target.objects.filter(
        indicator=indicator, starts_on=starts_on, ends_on=ends_on
    ).first()
    before = snapshot(target) if target else None
    if target is None:
        target = Target(
            organisation_id=indicator.organisation_id,
            indicator=indicator,
            starts_on=starts_on,
            ends_on=ends_on,
        )
    target.period_kind, target.value = period_kind, number
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


@transaction.atomic
def target_remove(*, target: Target, by: Any) -> None:
    access.require_manager(by=by, organisation_id=target.organisation_id)
    audit_record(
        by=by,
        action="target.remove",
        obj=target,
        organisation_id=target.organisation_id,
        before=snapshot(target),
    )
    target.delete()


TargetKey = tuple[str, datetime.date, datetime.date]  # period kind, first day, last day


@transaction.atomic
def targets_save(
    *, indicator: Indicator, by: Any, values: Mapping[TargetKey, str | decimal.Decimal | None]
) -> int:
    """Save the targets table of one period kind or several: a value sets the period's target,
    an empty one removes it. One audit row for the table; how many targets changed.

    Errors are keyed `<kind>:<first day>` (the table's cell), all reported at once."""
    access.require_manager(by=by, organisation_id=indicator.organisation_id)
    existing = {(t.starts_on, t.ends_on): t for t in indicator.targets.all()}
    errors: dict[str, str] = {}
    writes: list[Target] = []
    removals: list[Target] = []
    for (kind, start, end), raw in values.items():
        key = f"{kind}:{start.isoformat()}"
        target = existing.get((start, end))
        if raw is None or str(raw).strip() == "":
            if target is not None:
                removals.append(target)
            continue
        if end < start or kind not in PeriodKind.values:
            errors[key] = _("This is not a period of the project.")
            continue
        try:
            number = _target_value(raw)
        except ValidationError as error:
            errors[key] = error.message_dict["value"][0]
            continue
        if target is None:
            target = Target(
                organisation_id=indicator.organisation_id,
                indicator=indicator,
                starts_on=start,
                ends_on=end,
                period_kind=kind,
                value=number,
            )
            writes.append(target)
        elif target.value != number or target.period_kind != kind:
            target.value, target.period_kind = number, kind
            writes.append(target)
    if errors:
        raise ValidationError(errors)
    if not writes and not removals:
        return 0
    before = [snapshot(target) for target in existing.values()]
    for target in removals:
        target.delete()
    for target in writes:
        target.save()
    audit_record(
        by=by,
        action="indicator.targets_set",
        obj=indicator,
        organisation_id=indicator.organisation_id,
        before={"targets": before},
        after={"targets": [snapshot(target) for target in indicator.targets.all()]},
    )
    return len(writes) + len(removals)


# --- copying a framework from an XLSX file ----------------------------------------------------


class _Rollback(Exception):
    """Raised inside the import's savepoint when a row failed: nothing lands."""


@dataclasses.dataclass(frozen=True)
class ImportSummary:
    results: int
    indicators: int
    targets: int


def _row_errors(row: Any, error: ValidationError) -> list[str]:
    """ "Sheet Indicators, row 5: topics: Unknown codes: x." for each of `error`'s messages."""
    where = _("Sheet %(sheet)s, row %(row)s") % {"sheet": row.sheet, "row": row.number}
    if not hasattr(error, "error_dict"):
        return [f"{where}: {message}" for message in error.messages]
    return [
        f"{where}: {field}: {message}" if field != "__all__" else f"{where}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]


@transaction.atomic
def framework_import(*, project: Project, by: Any, content: bytes) -> ImportSummary:
    """Copy a framework exported to XLSX (`results.xlsx`) into `project`, whose framework must
    have no result yet: all of it or, when any row is wrong, nothing — with every bad row's
    sheet, row and reason. Vocabulary codes must exist for the project's organisation."""
    access.require_manager(by=by, organisation_id=project.organisation_id)
    framework = ResultsFramework.objects.filter(project=project).first()
    if framework is not None and framework.results.exists():
        raise ValidationError(
            _("This project's framework has results already: import into an empty framework.")
        )
    sheets = xlsx.framework_sheets(content)
    errors: list[str] = []
    counts = {"results": 0, "indicators": 0, "targets": 0}
    try:
        with transaction.atomic():
            framework = _import_labels(project, framework, sheets[xlsx.FRAMEWORK_SHEET], errors)
            if framework is None:
                raise _Rollback
            results = _import_results(framework, sheets[xlsx.RESULTS_SHEET], errors)
            counts["results"] = len(results)
            indicators = _import_indicators(
                framework, results, sheets[xlsx.INDICATORS_SHEET], errors
            )
            counts["indicators"] = len(indicators)
            counts["targets"] = _import_targets(indicators, sheets[xlsx.TARGETS_SHEET], errors)
            if errors:
                raise _Rollback
    except _Rollback:
        raise ValidationError(errors) from None
    summary = ImportSummary(**counts)
    audit_record(
        by=by,
        action="results_framework.import",
        obj=framework,
        organisation_id=framework.organisation_id,
        after=snapshot(framework) | dataclasses.asdict(summary),
    )
    return summary


def _import_labels(
    project: Project, framework: ResultsFramework | None, rows: list[Any], errors: list[str]
) -> ResultsFramework | None:
    values: dict[str, str] = {}
    for row in rows:
        field = row.text("field")
        if field not in FRAMEWORK_FIELDS:
            errors.append(
                _("Sheet %(sheet)s, row %(row)s: unknown field “%(field)s”.")
                % {"sheet": row.sheet, "row": row.number, "field": field}
            )
            continue
        values[field] = row.text("value")
    if framework is None:
        framework = ResultsFramework(organisation=project.organisation, project=project)
    for field, value in values.items():
        setattr(framework, field, value)
    try:
        _age_bands_check(framework.age_bands)
        framework.full_clean(exclude=["project"])
    except ValidationError as error:
        errors += [
            _("Sheet %(sheet)s: %(field)s: %(message)s")
            % {"sheet": "Framework", "field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        return None
    framework.save()
    return framework


def _import_results(
    framework: ResultsFramework, rows: list[Any], errors: list[str]
) -> dict[str, Result]:
    """The results by code; parents before children whatever the rows' order."""
    results: dict[str, Result] = {}
    pending = sorted(
        rows, key=lambda row: ResultLevel.values.index(row.text("level"))
        if row.text("level") in ResultLevel.values else 9
    )  # fmt: skip
    for row in pending:
        parent_code = row.text("parent")
        parent = results.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            errors.append(
                _("Sheet %(sheet)s, row %(row)s: no result “%(code)s” above it.")
                % {"sheet": row.sheet, "row": row.number, "code": parent_code}
            )
            continue
        try:
            result = _result_build(
                framework=framework,
                level=row.text("level"),
                code=row.text("code"),
                statement_en=row.text("statement_en"),
                statement_km=row.text("statement_km"),
                parent=parent,
            )
        except ValidationError as error:
            errors += _row_errors(row, error)
            continue
        result.save()
        results[result.code] = result
    return results


def _import_indicators(
    framework: ResultsFramework, results: dict[str, Result], rows: list[Any], errors: list[str]
) -> dict[tuple[str, str], Indicator]:
    vocabularies = vocabulary_codes(framework.organisation_id)
    indicators: dict[tuple[str, str], Indicator] = {}
    for row in rows:
        result = results.get(row.text("result"))
        if result is None:
            errors.append(
                _("Sheet %(sheet)s, row %(row)s: no result “%(code)s”.")
                % {"sheet": row.sheet, "row": row.number, "code": row.text("result")}
            )
            continue
        fields: dict[str, Any] = {
            name: row.text(name)
            for name in (*INDICATOR_FIELDS, *DEFINITION_FIELDS)
            if name not in ("baseline", "baseline_on", "cumulative")
        }
        row_errors: dict[str, str] = {}
        try:
            fields["baseline"] = decimal.Decimal(row.text("baseline") or "0")
        except decimal.InvalidOperation:
            row_errors["baseline"] = _("Write the baseline as a number.")
        try:
            fields["baseline_on"] = xlsx.cell_date(row.values.get("baseline_on"))
        except ValueError:
            row_errors["baseline_on"] = _("Write the date as 2024-01-31.")
        fields["cumulative"] = row.text("cumulative").lower() in ("true", "1", "yes")
        fields["kind"] = fields["kind"] or IndicatorKind.NUMBER
        area_paths = {fields["area_path"], row.text("denominator_area_path")} - {""}
        known_paths = set(Area.objects.filter(path__in=area_paths).values_list("path", flat=True))
        for path in area_paths - known_paths:
            row_errors["area_path"] = _("No place in the gazetteer has the path “%(path)s”.") % {
                "path": path
            }
        denominator = None
        if row.text("denominator_measure"):
            denominator = DenominatorSpec(
                **{name: row.text(f"denominator_{name}") for name in DENOMINATOR_SPEC_FIELDS}
            )
        indicator = Indicator(organisation_id=framework.organisation_id, result=result, **fields)
        try:
            if row_errors:
                raise ValidationError(row_errors)
            built = indicator_check(
                indicator, denominator, framework=framework, vocabularies=vocabularies
            )
            if (result.code, indicator.code) in indicators:
                raise ValidationError(
                    {"code": _("Another indicator of this result has this code.")}
                )
        except ValidationError as error:
            errors += _row_errors(row, error)
            continue
        indicator.save()
        _denominator_save(indicator, built)
        indicators[(result.code, indicator.code)] = indicator
    return indicators


DENOMINATOR_SPEC_FIELDS = [field.name for field in dataclasses.fields(DenominatorSpec)]


def _import_targets(
    indicators: dict[tuple[str, str], Indicator], rows: list[Any], errors: list[str]
) -> int:
    seen: set[tuple[int, datetime.date, datetime.date]] = set()
    targets = []
    for row in rows:
        indicator = indicators.get((row.text("result"), row.text("indicator")))
        where = {"sheet": row.sheet, "row": row.number}
        if indicator is None:
            errors.append(
                _(
                    "Sheet %(sheet)s, row %(row)s: no indicator “%(code)s” under result “%(result)s”."
                )
                % (where | {"code": row.text("indicator"), "result": row.text("result")})
            )
            continue
        try:
            starts_on = xlsx.cell_date(row.values.get("starts_on"))
            ends_on = xlsx.cell_date(row.values.get("ends_on"))
        except ValueError:
            starts_on = ends_on = None
        if starts_on is None or ends_on is None or ends_on < starts_on:
            errors.append(
                _(
                    "Sheet %(sheet)s, row %(row)s: write the period's dates as 2024-01-31, the end after the start."
                )
                % where
            )
            continue
        if row.text("period_kind") not in PeriodKind.values:
            errors.append(
                _("Sheet %(sheet)s, row %(row)s: the period is month, quarter, year or life.")
                % where
            )
            continue
        try:
            value = _target_value(row.text("value"))
        except ValidationError as error:
            errors += _row_errors(row, error)
            continue
        if (indicator.pk, starts_on, ends_on) in seen:
            errors.append(
                _("Sheet %(sheet)s, row %(row)s: this period has a target already.") % where
            )
            continue
        seen.add((indicator.pk, starts_on, ends_on))
        targets.append(
            Target(
                organisation_id=indicator.organisation_id,
                indicator=indicator,
                period_kind=row.text("period_kind"),
                starts_on=starts_on,
                ends_on=ends_on,
                value=value,
            )
        )
    Target.objects.bulk_create(targets)
    return len(targets)
