"""A project's results: its indicators against their targets, and the framework builder.

Every page fetches the project through `get_project_for_user`'s scope (404 when it is not hers);
the builder's writes need `access.can_manage` on the project's organisation (403 otherwise).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.forms import add_service_errors
from samaki.imports.services import import_size_check
from samaki.language import page_language
from samaki.projects.models import Project
from samaki.projects.queries import project_list
from samaki.reports.queries import CellLabels
from samaki.results import services
from samaki.results.engine import (
    Dimension,
    IndicatorError,
    Period,
    attribute_names,
    dimension_label,
    indicator_records,
    parse_dimensions,
)
from samaki.results.forms import (
    FrameworkForm,
    ImportForm,
    IndicatorForm,
    PeriodForm,
    ResultForm,
    TargetKindForm,
    TargetsForm,
    project_periods,
)
from samaki.results.models import (
    MEASURE_LABELS,
    Denominator,
    Indicator,
    IndicatorKind,
    PeriodKind,
    ResultLevel,
    ResultsFramework,
    parse_age_bands,
)
from samaki.results.queries import (
    default_period,
    framework_for_project,
    framework_rows,
    get_framework_for_user,
    get_indicator_for_user,
    get_result_for_user,
    indicator_progress,
    indicator_value,
    latest_period_with_data,
    plain_number,
    project_organisations,
    result_list,
)
from samaki.results.xlsx import framework_workbook

RECORDS_PAGE_SIZE = 50
RECORDS_MAX_PAGES = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _posted(request: HttpRequest) -> Any:
    """The form's data when the form was sent (even empty: then every required field says so)."""
    return request.POST if request.method == "POST" else None


def _project_for_user(user: Any, project_pk: int) -> Project:
    return get_object_or_404(project_list(user=user), pk=project_pk)


@login_required
def project_results(request: HttpRequest, project_pk: int) -> HttpResponse:
    """A project's framework (its results tree and indicators) and the indicators' values for a
    period: value, target, % of target and on-track band."""
    user: Any = request.user
    project = _project_for_user(user, project_pk)
    framework = framework_for_project(project)
    may_manage = access.can_manage(user, project.organisation_id)
    if framework is None:
        return render(
            request,
            "results/project.html",
            {"project": project, "framework": None, "may_manage": may_manage},
        )
    error = ""
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else None
    except (IndicatorError, ValueError):
        period, error = None, "bad-period"
    if period is None:
        period = default_period(project, timezone.localdate())
    progress = indicator_progress(framework=framework, period=period, dimensions=False)
    language = page_language()
    return render(
        request,
        "results/project.html",
        {
            "project": project,
            "framework": framework,
            "period": period,
            "progress": progress,
            "error": error,
            "may_manage": may_manage,
            "outcome_label": framework.tier_label("outcome", language),
        },
        status=400 if error else 200,
    )


@login_required
def framework_detail(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The framework builder: the results tree (goal › outcomes › outputs) with each result's
    indicators; the managers' buttons to change it. No value is computed here: the page costs
    the same few queries however large the framework."""
    user: Any = request.user
    framework = get_framework_for_user(user=user, project_pk=project_pk)
    language = page_language()
    return render(
        request,
        "results/framework.html",
        {
            "project": framework.project,
            "framework": framework,
            "results": result_list(framework=framework),
            "may_manage": access.can_manage(user, framework.organisation_id),
            "tier_labels": {
                level: framework.tier_label(level, language) for level in ResultLevel.values
            },
        },
    )


@login_required
def framework_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    user: Any = request.user
    project = _project_for_user(user, project_pk)
    access.require_manager(by=user, organisation_id=project.organisation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.framework_create(project=project, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("results:framework", project.pk)


@login_required
def framework_edit(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The donor's names for the tiers, in English and Khmer, and the project's age bands."""
    user: Any = request.user
    framework = get_framework_for_user(user=user, project_pk=project_pk)
    access.require_manager(by=user, organisation_id=framework.organisation_id)
    form = FrameworkForm(_posted(request), framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update(framework=framework, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("results:framework", project_pk)
    return render(
        request,
        "results/framework_form.html",
        {"form": form, "framework": framework, "project": framework.project},
    )


@login_required
def result_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    """A goal (the first result), an outcome under the goal or an output under an outcome:
    `?parent=<result id>` says where."""
    user: Any = request.user
    framework = get_framework_for_user(user=user, project_pk=project_pk)
    access.require_manager(by=user, organisation_id=framework.organisation_id)
    parent = None
    parent_pk = request.GET.get("parent", "")
    if parent_pk:
        if not parent_pk.isdigit():
            raise Http404
        parent = get_result_for_user(user=user, project_pk=project_pk, result_pk=int(parent_pk))
    level = {None: ResultLevel.GOAL, ResultLevel.GOAL: ResultLevel.OUTCOME}.get(
        ResultLevel(parent.level) if parent else None, ResultLevel.OUTPUT
    )
    form = ResultForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.result_add(
                framework=framework, by=user, level=level, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"level": None, "parent": None})
        else:
            return redirect("results:framework", project_pk)
    return render(
        request,
        "results/result_form.html",
        {
            "form": form,
            "project": framework.project,
            "result": None,
            "parent": parent,
            "tier": framework.tier_label(level, page_language()),
        },
    )


@login_required
def result_edit(request: HttpRequest, project_pk: int, result_pk: int) -> HttpResponse:
    user: Any = request.user
    result = get_result_for_user(user=user, project_pk=project_pk, result_pk=result_pk)
    access.require_manager(by=user, organisation_id=result.framework.organisation_id)
    form = ResultForm(
        _posted(request),
        initial={
            "code": result.code,
            "statement_en": result.statement_en,
            "statement_km": result.statement_km,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.result_update(result=result, by=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("results:framework", project_pk)
    return render(
        request,
        "results/result_form.html",
        {
            "form": form,
            "project": result.framework.project,
            "result": result,
            "parent": None,
            "tier": result.framework.tier_label(result.level, page_language()),
        },
    )


@login_required
def result_remove(request: HttpRequest, project_pk: int, result_pk: int) -> HttpResponse:
    user: Any = request.user
    result = get_result_for_user(user=user, project_pk=project_pk, result_pk=result_pk)
    access.require_manager(by=user, organisation_id=result.framework.organisation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.result_remove(result=result, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect("results:framework", project_pk)


# --- indicators -------------------------------------------------------------------------------


def _preview_period(
    request: HttpRequest, project: Project, data: Any = None
) -> tuple[PeriodForm, Period]:
    form = PeriodForm(data if data is not None else request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else None
    return form, period or latest_period_with_data(project, timezone.localdate())


def _cell_rows(progress: Any) -> dict[str, Any]:
    """The preview's table: the dimensions' labels, and one row per cell (its values in words,
    its count, its denominator's count and the value shown), labelled as the report labels them."""
    definition = progress.value.definition
    labels = CellLabels(page_language(), [progress.value])
    numerators = progress.value.cells
    denominators = progress.denominator.cells if progress.denominator is not None else {}
    rows = []
    for cell, figure in sorted(progress.cells.items()):
        rows.append(
            {
                "cell": [
                    labels.cell(dimension, value)
                    for dimension, value in zip(definition.dimensions, cell, strict=True)
                ],
                "query": "&".join(f"cell={value}" for value in cell),
                "numerator": numerators.get(cell, 0),
                "denominator": denominators.get(cell, 0),
                "figure": figure,
            }
        )
    return {
        "dimensions": [
            dimension_label(d, attribute_names=labels.attributes) for d in definition.dimensions
        ],
        "rows": rows,
    }


def _preview_context(
    indicator: Indicator, framework: ResultsFramework, period: Period
) -> dict[str, Any]:
    progress = indicator_value(indicator, framework=framework, period=period)
    return {"preview": progress, "cells": _cell_rows(progress)}


@login_required
def indicator_detail(request: HttpRequest, project_pk: int, indicator_pk: int) -> HttpResponse:
    """An indicator: its definition in words, and the preview of its value and cells for a
    period (the latest quarter with data unless one is asked for)."""
    user: Any = request.user
    indicator = get_indicator_for_user(user=user, project_pk=project_pk, indicator_pk=indicator_pk)
    framework = indicator.result.framework
    project = framework.project
    period_form, period = _preview_period(request, project)
    context = {
        "project": project,
        "framework": framework,
        "indicator": indicator,
        "period_form": period_form,
        "period": period,
        "words": _definition_words(indicator, framework),
        "may_manage": access.can_manage(user, framework.organisation_id),
        "may_drill": access.can_read_people(user),
        "targets": [(target, plain_number(target.value)) for target in indicator.targets.all()],
    } | _preview_context(indicator, framework, period)
    template = (
        "results/_preview.html"
        if request.GET.get("part") == "preview"
        else "results/indicator.html"
    )
    return render(request, template, context)


def _indicator_form_view(
    request: HttpRequest, *, framework: ResultsFramework, indicator: Indicator | None, result: Any
) -> HttpResponse:
    user: Any = request.user
    form = IndicatorForm(_posted(request), user=user, framework=framework, indicator=indicator)
    preview: dict[str, Any] = {}
    posted = request.method == "POST" and "_pick" not in request.POST
    if posted and form.is_valid():
        fields = form.service_fields()
        try:
            if "_preview" in request.POST:
                preview = _unsaved_preview(
                    framework, result, indicator, fields, form.denominator(), request
                )
            elif indicator is None:
                created = services.indicator_add(
                    result=result, by=user, denominator=form.denominator(), **fields
                )
                return redirect("results:indicator", framework.project_id, created.pk)
            else:
                services.indicator_update(
                    indicator=indicator, by=user, denominator=form.denominator(), **fields
                )
                messages.success(request, _("Saved."))
                return redirect("results:indicator", framework.project_id, indicator.pk)
        except ValidationError as error:
            add_service_errors(
                form,
                error,
                aliases={
                    "area_path": "area_code",
                    "denominator_area_path": "area_code",
                    "denominator_dimensions": "denominator_measure",
                },
            )
    return render(
        request,
        "results/indicator_form.html",
        {
            "form": form,
            "project": framework.project,
            "result": result,
            "indicator": indicator,
        }
        | preview,
    )


def _unsaved_preview(
    framework: ResultsFramework,
    result: Any,
    indicator: Indicator | None,
    fields: dict[str, Any],
    denominator: services.DenominatorSpec | None,
    request: HttpRequest,
) -> dict[str, Any]:
    """The value the form's definition would give, nothing saved (validated as a save is)."""
    draft = Indicator(organisation_id=framework.organisation_id, result=result, **fields)
    built = services.indicator_check(draft, denominator, framework=framework)
    period_form, period = _preview_period(
        request, framework.project, {"period": request.POST.get("preview_period", "")}
    )
    targets = list(indicator.targets.all()) if indicator is not None else []
    progress = indicator_value(
        draft, framework=framework, period=period, denominator=built, targets=targets
    )
    return {
        "preview": progress,
        "cells": _cell_rows(progress),
        "period": period,
        "period_form": period_form,
    }


@login_required
def indicator_add(request: HttpRequest, project_pk: int, result_pk: int) -> HttpResponse:
    user: Any = request.user
    result = get_result_for_user(user=user, project_pk=project_pk, result_pk=result_pk)
    access.require_manager(by=user, organisation_id=result.framework.organisation_id)
    return _indicator_form_view(request, framework=result.framework, indicator=None, result=result)


@login_required
def indicator_edit(request: HttpRequest, project_pk: int, indicator_pk: int) -> HttpResponse:
    user: Any = request.user
    indicator = get_indicator_for_user(user=user, project_pk=project_pk, indicator_pk=indicator_pk)
    framework = indicator.result.framework
    access.require_manager(by=user, organisation_id=framework.organisation_id)
    return _indicator_form_view(
        request, framework=framework, indicator=indicator, result=indicator.result
    )


@login_required
def indicator_remove(request: HttpRequest, project_pk: int, indicator_pk: int) -> HttpResponse:
    user: Any = request.user
    indicator = get_indicator_for_user(user=user, project_pk=project_pk, indicator_pk=indicator_pk)
    access.require_manager(by=user, organisation_id=indicator.result.framework.organisation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.indicator_remove(indicator=indicator, by=user)
    messages.success(request, _("Removed."))
    return redirect("results:framework", project_pk)


@login_required
def indicator_targets(request: HttpRequest, project_pk: int, indicator_pk: int) -> HttpResponse:
    """The targets table: one row per month, quarter or year of the project (or its life)."""
    user: Any = request.user
    indicator = get_indicator_for_user(user=user, project_pk=project_pk, indicator_pk=indicator_pk)
    framework = indicator.result.framework
    project = framework.project
    access.require_manager(by=user, organisation_id=framework.organisation_id)
    kind_form = TargetKindForm(request.GET or None)
    kind = kind_form.cleaned_data["kind"] if kind_form.is_valid() else PeriodKind.QUARTER
    periods = project_periods(kind, project.starts_on, project.ends_on)
    values = {(t.starts_on, t.ends_on): t.value for t in indicator.targets.all()}
    form = TargetsForm(_posted(request), periods=periods, values=values)
    if request.method == "POST" and form.is_valid():
        typed = {
            (kind, start, end): form.cleaned_data[f"t_{start.isoformat()}"]
            for _label, start, end in periods
        }
        try:
            services.targets_save(indicator=indicator, by=user, values=typed)
        except ValidationError as error:
            add_service_errors(
                form,
                error,
                aliases={
                    f"{kind}:{start.isoformat()}": f"t_{start.isoformat()}"
                    for _l, start, _e in periods
                },
            )
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?kind={kind}")
    others = [t for t in indicator.targets.all() if t.period_kind != kind]
    return render(
        request,
        "results/targets.html",
        {
            "project": project,
            "indicator": indicator,
            "kind_form": kind_form,
            "kind": kind,
            "form": form,
            "others": [(t, plain_number(t.value)) for t in others],
        },
    )


def _definition_words(indicator: Indicator, framework: ResultsFramework) -> dict[str, Any]:
    """The measure, filters and disaggregations in words, for the page and the sheet."""
    labels = attribute_names(organisation_ids=[framework.organisation_id])

    def filters(definition: Any) -> list[tuple[str, str]]:
        out = []
        for field in services.FILTER_FIELDS:
            value = getattr(definition, field)
            if value:
                out.append((str(definition._meta.get_field(field).verbose_name), value))
        return out

    try:
        dimensions = [
            dimension_label(d, attribute_names=labels)
            for d in parse_dimensions(indicator.dimensions)
        ]
    except IndicatorError:
        dimensions = [indicator.dimensions]
    denominator: Denominator | None = getattr(indicator, "denominator", None)
    return {
        "measure": MEASURE_LABELS.get(indicator.measure, indicator.measure),  # type: ignore[call-overload]
        "filters": filters(indicator),
        "dimensions": dimensions,
        "denominator_measure": (
            MEASURE_LABELS.get(denominator.measure, denominator.measure)  # type: ignore[call-overload]
            if denominator
            else ""
        ),
        "denominator_filters": filters(denominator) if denominator else [],
        "fraction": indicator.kind != IndicatorKind.NUMBER,
    }


@login_required
def indicator_sheet(request: HttpRequest, project_pk: int, indicator_pk: int) -> HttpResponse:
    """The indicator reference sheet, to print: definition, unit, source, frequency,
    responsible, what is counted in words, disaggregations, baseline and targets."""
    user: Any = request.user
    indicator = get_indicator_for_user(user=user, project_pk=project_pk, indicator_pk=indicator_pk)
    framework = indicator.result.framework
    return render(
        request,
        "results/sheet.html",
        {
            "project": framework.project,
            "framework": framework,
            "indicator": indicator,
            "words": _definition_words(indicator, framework),
            "tier": framework.tier_label(indicator.result.level, page_language()),
            "baseline": plain_number(indicator.baseline),
            "targets": [(target, plain_number(target.value)) for target in indicator.targets.all()],
        },
    )


@login_required
def indicator_records_view(
    request: HttpRequest, project_pk: int, indicator_pk: int
) -> HttpResponse:
    """The pseudonymous records behind a value or a cell (`?cell=female&cell=18-24`): record
    and person ids and dates, never a name. For readers of people only; the denominator's with
    `?part=denominator`."""
    user: Any = request.user
    if not access.can_read_people(user):
        raise Http404
    indicator = get_indicator_for_user(user=user, project_pk=project_pk, indicator_pk=indicator_pk)
    framework = indicator.result.framework
    project = framework.project
    _period_form, period = _preview_period(request, project)
    part = "denominator" if request.GET.get("part") == "denominator" else "numerator"
    counted: Any = indicator
    if part == "denominator":
        counted = getattr(indicator, "denominator", None)
        if counted is None:
            raise Http404
    definition = counted.definition(
        project_id=project.pk,
        age_bands=parse_age_bands(framework.age_bands),
        split_by=indicator.dimensions if part == "denominator" else None,
    )
    cell = tuple(request.GET.getlist("cell")) or None
    if cell is not None and len(cell) != len(definition.dimensions):
        raise Http404
    if indicator.cumulative:
        period = Period(min(project.starts_on, period.start), period.end)
    page_number = request.GET.get("page", "1")
    wanted = int(page_number) if page_number.isdigit() and int(page_number) > 0 else 1
    wanted = min(wanted, RECORDS_MAX_PAGES)  # the engine reads every record up to the page
    records = indicator_records(
        definition,
        organisations=project_organisations(project),
        period=period,
        cell=cell,
        limit=wanted * RECORDS_PAGE_SIZE + 1,
    )
    page = Paginator(records, RECORDS_PAGE_SIZE).get_page(wanted)
    return render(
        request,
        "results/records.html",
        {
            "project": project,
            "indicator": indicator,
            "period": period,
            "part": part,
            "cell": cell,
            "page": page,
            "more": len(records) > wanted * RECORDS_PAGE_SIZE and wanted < RECORDS_MAX_PAGES,
            "query": "&".join(
                [f"period={period.start.isoformat()}..{period.end.isoformat()}", f"part={part}"]
                + [f"cell={value}" for value in cell or ()]
            ),
            "dimensions": [
                dimension_label(d) if isinstance(d, Dimension) else str(d)
                for d in definition.dimensions
            ],
        },
    )


# --- the framework as XLSX --------------------------------------------------------------------


@login_required
def framework_export(request: HttpRequest, project_pk: int) -> HttpResponse:
    user: Any = request.user
    framework = get_framework_for_user(user=user, project_pk=project_pk)
    response = HttpResponse(framework_workbook(framework_rows(framework)), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="framework-{framework.project.code}.xlsx"'
    )
    return response


@login_required
def framework_import(request: HttpRequest, project_pk: int) -> HttpResponse:
    """Copy a framework exported from another project into this one (its framework empty)."""
    user: Any = request.user
    project = _project_for_user(user, project_pk)
    access.require_manager(by=user, organisation_id=project.organisation_id)
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            import_size_check(size=upload.size)
            summary = services.framework_import(project=project, by=user, content=upload.read())
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Imported %(results)s results, %(indicators)s indicators, %(targets)s targets.")
                % {
                    "results": summary.results,
                    "indicators": summary.indicators,
                    "targets": summary.targets,
                },
            )
            return redirect("results:framework", project.pk)
    return render(
        request,
        "results/import.html",
        {"form": form, "project": project, "problems": problems},
    )
