import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from samaki.accounts import access
from samaki.activities.queries import attendance_list
from samaki.areas.queries import area_by_code, area_children
from samaki.forms import add_service_errors
from samaki.groups.queries import membership_list
from samaki.outcomes.queries import outcome_list
from samaki.people.forms import (
    ConsentRecordForm,
    ConsentWithdrawForm,
    MergeForm,
    PersonAttributeForm,
    PersonForm,
    SearchForm,
)
from samaki.people.models import DuplicateResolution, Person, RegistrationChannel
from samaki.people.queries import (
    attributes_offered,
    get_consent_for_user,
    get_duplicate_review_for_user,
    get_person_attribute_for_user,
    get_person_for_user,
    likely_duplicates,
    merge_preview,
    open_duplicate_reviews,
    person_attribute_codes,
    person_attribute_list,
    person_attribute_names,
    person_list,
    person_search,
    person_successor_for_user,
)
from samaki.people.services import (
    AttributeNames,
    consent_record,
    consent_withdraw,
    duplicate_review_resolve,
    person_attribute_declare,
    person_attribute_update,
    person_merge,
    person_register_reviewed,
    person_update,
)
from samaki.projects.queries import project_list

PAGE_SIZE = 50
TIMELINE_LIMIT = 100  # of each kind; the profile shows the most recent


def require_can_write(user: Any) -> None:
    """Viewers and donor viewers change nothing: their forms answer 403."""
    if not user.can_write:
        raise PermissionDenied(_("You may read but not change this organisation's data."))


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    searching = form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.picker.code())
    page: Any
    if searching:
        area = area_by_code(code=form.picker.code())
        ids = person_search(user=request.user, query=form.cleaned_data["q"], area=area)
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = person_list(user=request.user).in_bulk(list(page.object_list))
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    else:
        people = person_list(user=request.user).order_by("name_latin", "id")
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "form": form,
            "searching": searching,
            "query": query.urlencode(),
            "manages_attributes": bool(getattr(request.user, "organisation_id", None))
            and access.can_manage(request.user, getattr(request.user, "organisation_id", None)),
            "reviews_duplicates": _reviews_duplicates(request.user),
        },
    )


@login_required
@require_GET
def area_children_json(request: HttpRequest) -> JsonResponse:
    """The gazetteer one level below `?parent=<code>`, for the area picker (shared data)."""
    areas = area_children(parent_code=request.GET.get("parent", ""))
    return JsonResponse(
        {"areas": [{"code": a.code, "name": f"{a.name_km} · {a.name_en}"} for a in areas]}
    )


def _save(request: HttpRequest, form: PersonForm, save: Any) -> Any:
    """Call the service; its refusals become messages next to the fields, and nothing is saved."""
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error("village_code", str(error))
    return None


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require_can_write(user)
    duplicates: list = []
    offered = (
        attributes_offered(organisation_id=user.organisation_id) if user.organisation_id else []
    )
    if request.method != "POST":
        form = PersonForm(registering=True, attributes=offered)
    else:
        form = PersonForm(request.POST, registering=True, attributes=offered)
        if "_pick" not in request.POST and form.is_valid():
            data = form.cleaned_data
            fields = form.person_fields()
            if not data["confirm_duplicate"]:
                birth_year = data["birth_date"].year if data["birth_date"] else data["birth_year"]
                duplicates = list(
                    likely_duplicates(
                        user=user,
                        name_latin=data["name_latin"],
                        name_km=data["name_km"],
                        village=area_by_code(code=fields.village_code),
                        birth_year=birth_year,
                    )
                )
            if not duplicates:
                # Confirmed (or unseen by her): registered, and any likely pair goes on the
                # review list like the other channels'.
                registered = _save(
                    request,
                    form,
                    lambda: person_register_reviewed(
                        organisation=user.organisation,
                        by=user,
                        channel=RegistrationChannel.WEB,
                        fields=fields,
                        consent_given_by=data["consent_given_by"],
                        attributes=data.get("attributes", []),
                    ),
                )
                if registered is not None:
                    person = registered[0]
                    messages.success(
                        request, _("%(name)s is registered.") % {"name": person.display_name}
                    )
                    return redirect("people:detail", person.pk)
    return render(
        request, "people/form.html", {"form": form, "duplicates": duplicates, "person": None}
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = get_person_for_user(user=user, pk=pk)
    require_can_write(user)
    offered = attributes_offered(organisation_id=person.organisation_id)
    if request.method != "POST":
        form = PersonForm(
            person=person,
            registering=False,
            attributes=offered,
            attribute_codes=person_attribute_codes(person=person) if offered else [],
        )
    else:
        form = PersonForm(request.POST, person=person, registering=False, attributes=offered)
        if "_pick" not in request.POST and form.is_valid():
            fields = form.person_fields()
            codes = form.cleaned_data.get("attributes") if offered else None
            if _save(
                request,
                form,
                lambda: person_update(person=person, by=user, fields=fields, attributes=codes),
            ):
                messages.success(request, _("Saved."))
                return redirect("people:detail", person.pk)
    return render(request, "people/form.html", {"form": form, "duplicates": [], "person": person})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Her record and her timeline: sessions attended, groups joined and left, outcomes. A
    merged-away record's page leads to the record she was merged into."""
    person = person_successor_for_user(user=request.user, pk=pk)
    if person.pk != pk:
        return redirect("people:detail", person.pk)
    attendances = (
        attendance_list(user=request.user)
        .filter(person=person)
        .select_related("activity__kind", "activity__area")
        .order_by("-activity__date")[:TIMELINE_LIMIT]
    )
    memberships = membership_list(user=request.user).filter(person=person)[:TIMELINE_LIMIT]
    # Voided outcomes too, struck through, for the M&E officer and the admin (samaki/records.py).
    outcomes = outcome_list(user=request.user, voided=True).filter(person=person)[:TIMELINE_LIMIT]
    events: list[dict] = []
    for attendance in attendances:
        events.append(
            {"date": attendance.activity.date, "kind": "attended", "obj": attendance.activity}
        )
    for membership in memberships:
        events.append({"date": membership.joined_on, "kind": "joined", "obj": membership})
        if membership.left_on:
            events.append({"date": membership.left_on, "kind": "left", "obj": membership})
    for outcome in outcomes:
        events.append({"date": outcome.date, "kind": "outcome", "obj": outcome})
    events.sort(key=lambda event: event["date"], reverse=True)
    years = [
        (year, list(group))
        for year, group in itertools.groupby(events, key=lambda event: event["date"].year)
    ]
    context = {
        "person": person,
        "timeline": years,
        "memberships": memberships,
        "consents": person.consents.all(),
        "attributes": person_attribute_names(person=person),
        "withdraw_form": ConsentWithdrawForm(auto_id=False),
        "merges": access.can_merge_people(request.user, person.organisation_id),
        "erases": access.can_erase_people(request.user, person.organisation_id)
        and person.erased_at is None,
    }
    return render(request, "people/detail.html", context)


# --- consent ------------------------------------------------------------------------------------


@login_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a consent she gives (a new purpose, or again after a withdrawal)."""
    user: Any = request.user
    person = get_person_for_user(user=user, pk=pk)
    require_can_write(user)
    form = ConsentRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                by=user,
                person=person,
                purpose=data["purpose"],
                given_on=data["given_on"],
                given_by=data["given_by"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("people:detail", person.pk)
    return render(request, "people/consent_form.html", {"form": form, "person": person})


@login_required
def consent_withdraw_view(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """She withdraws a consent: recorded with its date; what it changes is in docs/domain.md."""
    user: Any = request.user
    person = get_person_for_user(user=user, pk=pk)
    consent = get_consent_for_user(user=user, person=person, pk=consent_pk)
    require_can_write(user)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(
                by=user,
                consent=consent,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The consent is withdrawn."))
            return redirect("people:detail", person.pk)
    return render(
        request,
        "people/consent_withdraw.html",
        {"form": form, "person": person, "consent": consent},
    )


# --- custom attributes --------------------------------------------------------------------------


def _require_attribute_manager(user: Any) -> None:
    """Her own organisation's attributes, declared by its administrators and M&E officers."""
    if not getattr(user, "organisation_id", None):
        raise Http404
    if not access.can_manage(user, user.organisation_id):
        raise PermissionDenied(_("Only an administrator or M&E officer may do this."))


@login_required
def person_attribute_list_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_attribute_manager(user)
    attributes = person_attribute_list(user=user).order_by("retired", "project__code", "code")
    return render(request, "people/attributes.html", {"attributes": attributes})


@login_required
def person_attribute_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_attribute_manager(user)
    projects = project_list(user=user).filter(organisation_id=user.organisation_id).order_by("code")
    form = PersonAttributeForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = projects.filter(pk=data["project"]).first() if data["project"] else None
        try:
            if data["project"] and project is None:
                raise ValidationError({"project": _("Choose one of your organisation's projects.")})
            person_attribute_declare(
                by=user,
                organisation=user.organisation,
                code=data["code"],
                names=AttributeNames(name_en=data["name_en"], name_km=data["name_km"]),
                project=project,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attribute is declared."))
            return redirect("people:attributes")
    return render(request, "people/attribute_form.html", {"form": form, "attribute": None})


@login_required
def person_attribute_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require_attribute_manager(user)
    attribute = get_person_attribute_for_user(user=user, pk=pk)
    form = PersonAttributeForm(request.POST or None, attribute=attribute)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = person_attribute_update(
                by=user,
                attribute=attribute,
                names=AttributeNames(name_en=data["name_en"], name_km=data["name_km"]),
                retired=data["retired"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("people:attributes")
    return render(request, "people/attribute_form.html", {"form": form, "attribute": attribute})


# --- likely duplicates --------------------------------------------------------------------------


def _reviews_duplicates(user: Any) -> bool:
    """Her organisation's administrators and M&E officers who read people review its pairs."""
    organisation_id = getattr(user, "organisation_id", None)
    return bool(
        organisation_id
        and access.can_manage(user, organisation_id)
        and access.can_read_people(user)
    )


def _require_duplicate_reviewer(user: Any) -> None:
    if not getattr(user, "organisation_id", None):
        raise Http404
    if not _reviews_duplicates(user):
        raise PermissionDenied(_("Only an administrator or M&E officer may do this."))


@login_required
@require_GET
def duplicate_review_list_view(request: HttpRequest) -> HttpResponse:
    """The open likely-duplicate pairs, both records side by side."""
    user: Any = request.user
    _require_duplicate_reviewer(user)
    reviews = open_duplicate_reviews(user=user).order_by("created_at", "id")
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/duplicates.html",
        {"page": page, "resolutions": DuplicateResolution.choices},
    )


@login_required
def duplicate_review_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require_duplicate_reviewer(user)
    review = get_duplicate_review_for_user(user=user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    resolution = request.POST.get("resolution", "")
    try:
        resolved = duplicate_review_resolve(by=user, review=review, resolution=resolution)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if resolved:
            messages.success(
                request,
                _("The pair is marked: %(answer)s.")
                % {"answer": DuplicateResolution(resolution).label},
            )
        else:
            messages.info(request, _("Someone has already answered for this pair."))
    return redirect("people:duplicates")


# --- merging two records ------------------------------------------------------------------------


def _require_merger(user: Any) -> None:
    if not getattr(user, "organisation_id", None):
        raise Http404
    if not access.can_merge_people(user, user.organisation_id):
        raise PermissionDenied(_("Only an administrator or M&E officer may do this."))


@login_required
def person_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge another record (`?other=P000123`) into hers: both side by side, what moves and how
    each clash is resolved (`merge_preview`); POST carries it out."""
    user: Any = request.user
    _require_merger(user)
    kept = get_person_for_user(user=user, pk=pk)
    form = MergeForm(request.POST if request.method == "POST" else request.GET or None)
    merged, preview = None, None
    if form.is_bound and form.is_valid():
        merged = get_person_for_user(user=user, pk=form.cleaned_data["other"])
        if merged.pk == kept.pk:
            form.add_error("other", _("Choose two different records to merge."))
            merged = None
    if merged is not None and request.method == "POST":
        try:
            person_merge(by=user, kept=kept, merged=merged, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(merged)s is merged into %(kept)s.")
                % {"merged": merged.samaki_number, "kept": kept.samaki_number},
            )
            return redirect("people:detail", kept.pk)
    if merged is not None:
        preview = merge_preview(kept, merged)
    return render(
        request,
        "people/merge.html",
        {
            "person": kept,
            "other": merged,
            "form": form,
            "preview": preview,
            "filled": _filled_labels(preview),
        },
    )


def _filled_labels(preview: Any) -> list[str]:
    if preview is None:
        return []
    fields = {field.name: field for field in Person._meta.concrete_fields}
    return [str(fields[name].verbose_name) for name in preview.fields_filled]


# --- erasure (docs/security.md, "Erasure") -------------------------------------------------------


@login_required
def person_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What erasure removes and keeps, then, with a reason, erase her (administrators only)."""
    from samaki.people.forms import PersonEraseForm
    from samaki.people.services import person_erase, person_erase_refusal

    user: Any = request.user
    person = get_person_for_user(user=user, pk=pk)
    if not access.can_erase_people(user, person.organisation_id):
        raise Http404
    refusal = person_erase_refusal(person)
    form = PersonEraseForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            person_erase(by=user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The personal data of %(number)s are erased.") % {"number": person.samaki_number},
            )
            return redirect("people:detail", person.pk)
    return render(
        request, "people/erase.html", {"person": person, "form": form, "refusal": refusal}
    )
