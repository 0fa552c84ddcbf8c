"""The one place that turns a user into the rows she may read.

Every `<thing>_list(*, user)` in the apps' queries.py goes through `scope_to_user`, so the rule
"another organisation's data does not exist for you" is written once.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.organisations.models import Consortium, Donor, Organisation, Site, Vocabulary

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=Vocabulary)


def scope_to_user(
    queryset: models.QuerySet[M], *, user: Any, area_path: str | None = None
) -> models.QuerySet[M]:
    """Rows of `queryset` that hold people's data and that `user` may read.

    `area_path` names the lookup to the row's area (e.g. "village" for a person); a facilitator
    sees only rows inside her working areas, and none if she has no area.
    """
    if access.is_platform_operator(user):
        return queryset
    if not access.can_read_people(user):
        return queryset.none()
    queryset = queryset.filter(organisation_id=user.organisation_id)
    paths = access.area_paths(user) if area_path is not None else None
    if paths is not None:
        inside = Q(pk__in=[])
        for path in paths:
            inside |= Q(**{f"{area_path}__path__startswith": path})
        queryset = queryset.filter(inside)
    return queryset


def organisation_list(*, user: Any) -> models.QuerySet[Organisation]:
    """Her own organisation, and those of consortia her organisation leads (names only)."""
    if access.is_platform_operator(user):
        return Organisation.objects.all()
    if not access.can_read_programme(user):
        return Organisation.objects.filter(pk=user.organisation_id or -1)
    return Organisation.objects.filter(
        Q(pk=user.organisation_id) | Q(consortia__lead_id=user.organisation_id)
    ).distinct()


def consortium_list(*, user: Any) -> models.QuerySet[Consortium]:
    """Consortia her organisation leads or belongs to (not for donor viewers nor case roles)."""
    if access.is_platform_operator(user):
        return Consortium.objects.all()
    if not access.can_read_organisation_programme(user):
        return Consortium.objects.none()
    return Consortium.objects.filter(
        Q(lead_id=user.organisation_id) | Q(members__id=user.organisation_id)
    ).distinct()


def donor_list(*, user: Any) -> models.QuerySet[Donor]:
    return Donor.objects.all() if user.is_authenticated else Donor.objects.none()


def site_list(*, user: Any) -> models.QuerySet[Site]:
    if access.is_platform_operator(user):
        return Site.objects.all()
    return Site.objects.filter(organisation_id=user.organisation_id or -1)


def vocabulary_list(model: type[V], *, user: Any) -> models.QuerySet[V]:
    """The shared terms plus her organisation's own."""
    if access.is_platform_operator(user):
        return model._default_manager.all()
    return model._default_manager.filter(
        Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id or -1)
    )


def vocabulary_use_list(
    model: type[V], *, user: Any, used_by: type[models.Model], lookup: str
) -> models.QuerySet[V]:
    """Her vocabulary (`vocabulary_list`), each term with `in_use`: how many of her
    organisation's records (`used_by`, reaching the term through `lookup`) name it. One query."""
    records = (
        used_by._default_manager.filter(
            organisation_id=user.organisation_id or -1, **{lookup: OuterRef("pk")}
        )
        .order_by()
        .values(lookup)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return vocabulary_list(model, user=user).annotate(in_use=Coalesce(Subquery(records), 0))


def get_own_term_for_user(model: type[V], *, user: Any, pk: int) -> V:
    """One of her organisation's own terms, for those who manage them; 404 for anyone else and
    for a shared term (shared terms are read-only for organisations)."""
    if not access.can_manage_vocabularies(user):
        raise Http404
    return get_object_or_404(
        model._default_manager.filter(organisation_id=user.organisation_id), pk=pk
    )


def vocabulary_get(
    model: type[V], *, organisation: Organisation, code: str, keeping: Iterable[int] = ()
) -> V:
    """The organisation's own term for `code`, else the shared one; a clear error if neither.

    A retired term is refused (it is no longer offered for new records), unless its id is in
    `keeping`: the terms the record being changed already has, which it keeps. `keeping` is
    read only when the term is retired (a lazy queryset costs nothing otherwise).
    """
    terms = list(
        model._default_manager.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True), code=code
        )
    )
    if not terms:
        raise ValidationError(
            _("Unknown %(what)s “%(code)s”.") % {"what": model._meta.verbose_name, "code": code}
        )
    own = [term for term in terms if term.organisation_id is not None]
    term = (own or terms)[0]
    if term.retired_on is not None and term.pk not in set(keeping):
        raise ValidationError(
            _("“%(term)s” was retired on %(day)s: choose another %(what)s.")
            % {"term": term, "day": term.retired_on.isoformat(), "what": model._meta.verbose_name}
        )
    return term
