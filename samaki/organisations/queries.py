"""The one place that turns a user into the rows she may read.

Every `<thing>_list(*, user)` in the apps' queries.py goes through `scope_to_user`, so the rule
"another organisation's data does not exist for you" is written once.
"""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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


def vocabulary_get(model: type[V], *, organisation: Organisation, code: str) -> V:
    """The organisation's own term for `code`, else the shared one; a clear error if neither."""
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
    return (own or terms)[0]
