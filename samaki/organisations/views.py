"""The organisation's settings pages: its vocabularies (docs/vocabularies.md).

They act for her own organisation: its administrators and M&E officers
(`access.can_manage_vocabularies`);
anyone else, the platform operator included (she has no organisation), gets 404. The platform
operator changes the shared terms in the admin.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.forms import add_service_errors
from samaki.organisations.forms import TermAddForm, TermRenameForm
from samaki.organisations.queries import get_own_term_for_user, vocabulary_use_list
from samaki.organisations.vocabularies import (
    VocabularySpec,
    term_add,
    term_rename,
    term_restore,
    term_retire,
    vocabularies,
    vocabulary_spec,
)


def _manager(request: HttpRequest) -> Any:
    """Her, if she manages her own organisation's vocabularies; else 404."""
    user: Any = request.user
    if not access.can_manage_vocabularies(user):
        raise Http404
    return user


def _spec(slug: str) -> VocabularySpec:
    spec = vocabulary_spec(slug)
    if spec is None:
        raise Http404
    return spec


@login_required
def vocabulary_list_view(request: HttpRequest) -> HttpResponse:
    """Every vocabulary: shared and own terms, whether retired, how many records name each."""
    user = _manager(request)
    sections = []
    for spec in vocabularies():
        terms = vocabulary_use_list(
            spec.model, user=user, used_by=spec.used_by, lookup=spec.lookup
        ).order_by("retired_on", "name_en")
        sections.append((spec, list(terms)))
    return render(request, "organisations/vocabularies.html", {"sections": sections})


@login_required
def term_add_view(request: HttpRequest, vocabulary: str) -> HttpResponse:
    user = _manager(request)
    spec = _spec(vocabulary)
    form = TermAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = term_add(
                by=user,
                model=spec.model,
                organisation=user.organisation,
                name_en=data["name_en"],
                name_km=data["name_km"],
                code=data["code"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            added = _("“%(term)s” added (code %(code)s).")
            messages.success(request, added % {"term": term, "code": term.code})
            return redirect("organisations:vocabularies")
    context = {"spec": spec, "form": form, "term": None}
    return render(request, "organisations/term_form.html", context)


@login_required
def term_edit_view(request: HttpRequest, vocabulary: str, pk: int) -> HttpResponse:
    """Rename one of her organisation's own terms (its code never changes)."""
    user = _manager(request)
    spec = _spec(vocabulary)
    term = get_own_term_for_user(spec.model, user=user, pk=pk)
    initial = {"name_en": term.name_en, "name_km": term.name_km}
    form = TermRenameForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term_rename(term=term, by=user, name_en=data["name_en"], name_km=data["name_km"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("organisations:vocabularies")
    context = {"spec": spec, "form": form, "term": term}
    return render(request, "organisations/term_form.html", context)


def _set_retired(request: HttpRequest, vocabulary: str, pk: int, *, retired: bool) -> HttpResponse:
    # Who she is is checked before the method, so a GET tells nobody else whether the term exists.
    user = _manager(request)
    spec = _spec(vocabulary)
    term = get_own_term_for_user(spec.model, user=user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if retired and term_retire(term=term, by=user):
        retired_message = _("“%(term)s” is retired: new records no longer offer it.")
        messages.success(request, retired_message % {"term": term})
    elif not retired and term_restore(term=term, by=user):
        messages.success(request, _("“%(term)s” is offered again.") % {"term": term})
    return redirect("organisations:vocabularies")


@login_required
def term_retire_view(request: HttpRequest, vocabulary: str, pk: int) -> HttpResponse:
    return _set_retired(request, vocabulary, pk, retired=True)


@login_required
def term_restore_view(request: HttpRequest, vocabulary: str, pk: int) -> HttpResponse:
    return _set_retired(request, vocabulary, pk, retired=False)
