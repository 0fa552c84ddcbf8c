from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samaki.accounts import access
from samaki.accounts.models import User
from samaki.forms import add_service_errors
from samaki.learning.charts import capacity_chart
from samaki.learning.exports import reflection_docx, reflection_xlsx
from samaki.learning.forms import (
    NEW_TOOL_LAYOUT,
    ROUND_ERROR_FIELDS,
    TOOL_ERROR_FIELDS,
    CapacityAssessmentForm,
    CapacityToolForm,
    ReflectionAnswerForm,
    ReflectionRoundForm,
    grown,
    tool_layout,
    tool_slug,
)
from samaki.learning.queries import (
    action_point_list,
    assessable_organisation_list,
    capacity_assessment_list,
    capacity_organisation_list,
    capacity_scores,
    capacity_tool_domains,
    capacity_tool_list,
    consortium_comparison,
    get_capacity_organisation_for_user,
    get_capacity_tool_for_user,
    get_led_consortium_for_user,
    get_reflection_round_for_user,
    is_lead_of,
    lead_consortium_list,
    reflection_round_list,
    reflection_table,
)
from samaki.learning.services import (
    capacity_assess,
    capacity_tool_create,
    capacity_tool_update,
    reflection_answer,
    reflection_round_create,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def learning_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/home.html",
        {
            "rounds": reflection_round_list(user=request.user),
            "consortia": lead_consortium_list(user=request.user),
            "organisations": capacity_organisation_list(user=request.user),
            "may_manage": access.can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    round_ = get_reflection_round_for_user(user=user, pk=pk)
    lead = is_lead_of(user=user, consortium=round_.consortium)
    organisation = user.organisation
    member = (
        organisation is not None and round_.consortium.members.filter(pk=organisation.pk).exists()
    )
    may_answer = member and access.can_manage(user, organisation.pk if organisation else None)
    table = reflection_table(user=user, round=round_)
    own = next((row for row in table.rows if row.organisation.pk == user.organisation_id), None)
    answers = own.answers if own else [""] * len(table.prompts)
    form = ReflectionAnswerForm(
        request.POST if request.method == "POST" else None,
        prompts=table.prompts,
        initial={
            f"prompt_{prompt.pk}": answer
            for prompt, answer in zip(table.prompts, answers, strict=True)
        },
    )
    if request.method == "POST":
        if not may_answer or organisation is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                reflection_answer(
                    round=round_, organisation=organisation, by=user, answers=form.answers()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your organisation's answers are saved."))
                return redirect("learning:round", pk=pk)
    return render(
        request,
        "learning/round.html",
        {
            "round": round_,
            "table": table,
            "lead": lead,
            "may_answer": may_answer,
            "own": list(zip(table.prompts, own.answers, strict=True)) if own else [],
            "form": form,
        },
    )


@login_required
def round_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    round_ = get_reflection_round_for_user(user=request.user, pk=pk)
    table = reflection_table(user=request.user, round=round_)
    name = slugify(round_.slug) or "reflections"
    if fmt == "xlsx":
        response = HttpResponse(reflection_xlsx(table), content_type=XLSX)
    elif fmt == "docx":
        response = HttpResponse(reflection_docx(table), content_type=DOCX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def capacity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_capacity_organisation_for_user(user=request.user, pk=pk)
    assessments = capacity_assessment_list(user=request.user).filter(organisation=organisation)
    history = capacity_scores(assessments)
    return render(
        request,
        "learning/capacity.html",
        {
            "organisation": organisation,
            "history": history,
            "chart": capacity_chart(history, language=translation.get_language() or "en"),
            "actions": action_point_list(user=request.user).filter(
                assessment__organisation=organisation
            ),
        },
    )


@login_required
def consortium_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead's one page: every partner's reflections beside its capacity scores."""
    consortium = get_led_consortium_for_user(user=request.user, pk=pk)
    rounds = reflection_round_list(user=request.user).filter(consortium=consortium)
    chosen = request.GET.get("round")
    round_ = rounds.filter(pk=chosen).first() if chosen and chosen.isdigit() else rounds.first()
    return render(
        request,
        "learning/compare.html",
        {
            "consortium": consortium,
            "rounds": rounds,
            "round": round_,
            "prompts": list(round_.prompts.order_by("order")) if round_ else [],
            "partners": consortium_comparison(
                user=request.user, consortium=consortium, round=round_
            ),
            "may_open": access.can_manage(request.user, consortium.lead_id),
        },
    )


# --- capacity tools and assessments --------------------------------------------------------------


@login_required
def tool_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "learning/tools.html",
        {
            "tools": capacity_tool_list(user=user).order_by("name_en", "pk"),
            "may_create": user.organisation_id is not None
            and access.can_manage(user, user.organisation_id),
        },
    )


@login_required
def tool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    tool = get_capacity_tool_for_user(user=user, pk=pk)
    manager = access.can_manage(user, tool.organisation_id)
    return render(
        request,
        "learning/tool.html",
        {
            "tool": tool,
            "domains": capacity_tool_domains(tool),
            "assessments": capacity_assessment_list(user=user)
            .filter(tool=tool)
            .order_by("-assessed_on", "organisation__name_en"),
            "may_edit": manager and not tool.assessment_count,  # type: ignore[attr-defined]
            "may_copy": user.organisation_id is not None
            and access.can_manage(user, user.organisation_id),
            "may_assess": access.can_manage(user),
        },
    )


def _tool_form(request: HttpRequest, initial: dict, layout: list[int]) -> CapacityToolForm:
    """The builder as posted: bound to save, or grown by one row (unbound, nothing checked)."""
    if request.method != "POST":
        return CapacityToolForm(initial=initial, layout=layout)
    posted = tool_layout(request.POST)
    bigger = grown(request.POST, posted)
    if bigger is not None:
        return CapacityToolForm(initial=request.POST.dict(), layout=bigger)
    return CapacityToolForm(request.POST, layout=posted)


@login_required
@require_http_methods(["GET", "POST"])
def tool_create(request: HttpRequest) -> HttpResponse:
    """A new tool; `?from=<id>` starts from a copy of another (the next version of an assessed
    tool, whose questions no longer change)."""
    user = cast(User, request.user)
    organisation = user.organisation
    if organisation is None:
        raise Http404
    if not access.can_manage(user, organisation.pk):
        raise PermissionDenied
    initial: dict = {}
    layout = list(NEW_TOOL_LAYOUT)
    source = request.GET.get("from", "")
    if source.isdigit():
        original = get_capacity_tool_for_user(user=user, pk=int(source))
        domains = capacity_tool_domains(original)
        initial = CapacityToolForm.initial_for(original, domains)
        layout = CapacityToolForm.layout_for(domains)
    form = _tool_form(request, initial, layout)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            tool = capacity_tool_create(
                organisation=organisation,
                by=user,
                slug=tool_slug(organisation_slug=organisation.slug, name_en=data["name_en"]),
                name_en=data["name_en"],
                name_km=data["name_km"],
                scale_max=data["scale_max"],
                domains=form.domains,
            )
        except ValidationError as error:
            add_service_errors(form, error, TOOL_ERROR_FIELDS)
        else:
            messages.success(request, _("The tool is saved."))
            return redirect("learning:tool", pk=tool.pk)
    return render(request, "learning/tool_form.html", {"form": form, "tool": None})


@login_required
@require_http_methods(["GET", "POST"])
def tool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    tool = get_capacity_tool_for_user(user=user, pk=pk)
    if not access.can_manage(user, tool.organisation_id):
        raise PermissionDenied
    domains = capacity_tool_domains(tool)
    form = _tool_form(
        request,
        CapacityToolForm.initial_for(tool, domains),
        CapacityToolForm.layout_for(domains),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            changed = capacity_tool_update(
                by=user,
                tool=tool,
                name_en=data["name_en"],
                name_km=data["name_km"],
                scale_max=data["scale_max"],
                domains=form.domains,
            )
        except ValidationError as error:
            add_service_errors(form, error, TOOL_ERROR_FIELDS)
        else:
            if changed:
                messages.success(request, _("The tool is saved."))
            return redirect("learning:tool", pk=tool.pk)
    return render(
        request,
        "learning/tool_form.html",
        {"form": form, "tool": tool, "locked": bool(tool.assessment_count)},  # type: ignore[attr-defined]
    )


@login_required
@require_http_methods(["GET", "POST"])
def tool_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter an assessment with this tool: every question's score, and action points."""
    user = cast(User, request.user)
    tool = get_capacity_tool_for_user(user=user, pk=pk)
    organisations = list(assessable_organisation_list(user=user, tool=tool))
    if not organisations:
        raise PermissionDenied
    domains = capacity_tool_domains(tool)
    chosen = request.GET.get("organisation", "")
    form = CapacityAssessmentForm(
        request.POST if request.method == "POST" else None,
        tool=tool,
        domains=domains,
        organisations=organisations,
        initial={"organisation": int(chosen) if chosen.isdigit() else None},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        try:
            capacity_assess(
                tool=tool,
                organisation=organisation,
                by=user,
                assessed_on=data["assessed_on"],
                scores=form.scores(),
                notes=data["notes"],
                actions=form.actions(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The assessment is saved."))
            return redirect("learning:capacity", pk=organisation.pk)
    return render(request, "learning/assess.html", {"form": form, "tool": tool})


# --- reflection rounds ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The consortium's lead opens a reflection round with its prompts."""
    user = cast(User, request.user)
    consortium = get_led_consortium_for_user(user=user, pk=pk)
    if not access.can_manage(user, consortium.lead_id):
        raise PermissionDenied
    if request.method != "POST":
        form = ReflectionRoundForm(rows=ReflectionRoundForm.rows_from(request.GET))
    elif request.POST.get("_add"):
        form = ReflectionRoundForm(
            initial=request.POST.dict(), rows=ReflectionRoundForm.rows_from(request.POST)
        )
    else:
        form = ReflectionRoundForm(request.POST, rows=ReflectionRoundForm.rows_from(request.POST))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = reflection_round_create(
                consortium=consortium,
                by=user,
                slug=form.slug(),
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                prompts=form.prompts(),
            )
        except ValidationError as error:
            add_service_errors(form, error, ROUND_ERROR_FIELDS)
        else:
            messages.success(request, _("The round is open: the members can answer now."))
            return redirect("learning:round", pk=round_.pk)
    return render(request, "learning/round_form.html", {"form": form, "consortium": consortium})
