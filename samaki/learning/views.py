from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from samaki.accounts import access
from samaki.accounts.models import User
from samaki.learning.charts import capacity_chart
from samaki.learning.exports import reflection_docx, reflection_xlsx
from samaki.learning.queries import (
    action_point_list,
    capacity_assessment_list,
    capacity_organisation_list,
    capacity_scores,
    consortium_comparison,
    get_capacity_organisation_for_user,
    get_led_consortium_for_user,
    get_reflection_round_for_user,
    is_lead_of,
    lead_consortium_list,
    reflection_round_list,
    reflection_table,
)
from samaki.learning.services import reflection_answer

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
    errors: list[str] = []
    if request.method == "POST":
        if not may_answer or organisation is None:
            raise PermissionDenied
        answers = {
            prompt.pk: request.POST.get(f"prompt_{prompt.pk}", "")
            for prompt in round_.prompts.all()
        }
        try:
            reflection_answer(round=round_, organisation=organisation, by=user, answers=answers)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("learning:round", pk=pk)
    table = reflection_table(user=user, round=round_)
    own = next((row for row in table.rows if row.organisation.pk == user.organisation_id), None)
    return render(
        request,
        "learning/round.html",
        {
            "round": round_,
            "table": table,
            "lead": lead,
            "may_answer": may_answer,
            "own": list(zip(table.prompts, own.answers, strict=True)) if own else [],
            "errors": errors,
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
        },
    )
