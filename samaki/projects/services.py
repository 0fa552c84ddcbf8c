import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import Consortium, Donor, Organisation
from samaki.organisations.services import area_get, require_writer
from samaki.projects.models import Project


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
    if by is not None and not by.is_superuser and by.role == "facilitator":
        raise ValidationError(_("Facilitators do not create projects."))
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
