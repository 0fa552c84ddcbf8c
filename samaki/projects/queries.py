from typing import Any

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from samaki.accounts import access
from samaki.organisations.models import Consortium, Organisation
from samaki.projects.models import Project


def project_list(*, user: Any) -> models.QuerySet[Project]:
    """Projects her organisation runs or is a partner in (their metadata, not the partners' people).

    A donor viewer: only those her donor funds. Case roles: none (they read no programme data).
    """
    if access.is_platform_operator(user):
        return Project.objects.all()
    if not access.can_read_programme(user):
        return Project.objects.none()
    projects = Project.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(partners__id=user.organisation_id)
    )
    if access.is_donor_viewer(user):
        projects = projects.filter(donor_id=access.followed_donor_id(user) or -1)
    return projects.distinct()


def get_project_for_user(*, user: Any, pk: int) -> Project:
    return get_object_or_404(project_list(user=user), pk=pk)


def project_consortium_choices(*, organisation_id: int) -> models.QuerySet[Consortium]:
    """The consortia a project of this organisation may belong to: those it leads or is in."""
    return (
        Consortium.objects.filter(Q(lead_id=organisation_id) | Q(members__id=organisation_id))
        .distinct()
        .order_by("name_en")
    )


def project_partner_choices(
    *, organisation_id: int, project: Project | None = None
) -> models.QuerySet[Organisation]:
    """Organisations a project may name as partners: the members and leads of the consortia the
    organisation is in (never itself), and the project's present partners."""
    consortia = project_consortium_choices(organisation_id=organisation_id).values("pk")
    fellows = Q(consortia__in=consortia) | Q(consortia_led__in=consortia)
    if project is not None:
        fellows |= Q(partner_projects=project)
    return (
        Organisation.objects.filter(fellows)
        .exclude(pk=organisation_id)
        .distinct()
        .order_by("name_en")
    )
