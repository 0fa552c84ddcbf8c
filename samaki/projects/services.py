import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import Consortium, Donor, Organisation
from samaki.organisations.services import area_get, require_writer
from samaki.projects.models import Project


def project_use_errors(
    *, project: Project, organisation: Organisation, on: datetime.date | None = None
) -> dict[str, str]:
    """Why `organisation` may not record something under `project` (dated `on`); empty if it may."""
    takes_part = (
        project.organisation_id == organisation.pk
        or project.partners.filter(pk=organisation.pk).exists()
    )
    if not takes_part:
        return {"project": _("Your organisation does not take part in this project.")}
    if on is not None and not project.starts_on <= on <= project.ends_on:
        return {
            "date": _("The date is outside the project's period (%(start)s – %(end)s).")
            % {"start": project.starts_on, "end": project.ends_on}
        }
    return {}


@transaction.atomic
def project_create(
    *,
    organisation: Organisation,
    by: Any,
    code: str,
    name_en: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    name_km: str = "",
    donor: Donor | None = None,
    consortium: Consortium | None = None,
    partners: list[Organisation] | None = None,
    target_area_codes: list[str] | None = None,
) -> Project:
    require_writer(by=by, organisation=organisation)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The project ends before it starts.")})
    if Project.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("A project with this code exists already.")})
    areas = [area_get(code=area_code) for area_code in target_area_codes or []]
    project = Project(
        organisation=organisation,
        code=code,
        name_en=name_en,
        name_km=name_km,
        donor=donor,
        consortium=consortium,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    project.full_clean()
    project.save()
    project.partners.set(partners or [])
    project.target_areas.set(areas)
    audit_record(
        by=by,
        action="project.create",
        obj=project,
        organisation_id=organisation.pk,
        after={
            **snapshot(project),
            "partners": [partner.pk for partner in partners or []],
            "target_areas": [area.code for area in areas],
        },
    )
    return project
