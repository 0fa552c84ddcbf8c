"""Projects: created, edited and closed by the owning organisation's administrator or M&E officer."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samaki.accounts.access import require_manager
from samaki.areas.models import Area
from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import Consortium, Donor, Organisation
from samaki.organisations.services import area_get
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
    if on is not None and project.closed_on is not None and on > project.closed_on:
        return {
            "date": _("The project closed on %(closed)s: nothing dated after it is recorded.")
            % {"closed": project.closed_on}
        }
    return {}


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _records_matching(project: Project, dated: Q, lines: Q) -> int:
    """How many of the project's activities and outcomes match `dated` (on their `date`), and
    of its budget lines match `lines` (on their period)."""
    return (
        project.activities.filter(dated).count()
        + project.outcomes.filter(dated).count()
        + project.budget_lines.filter(lines).count()
    )


def _checked(
    *,
    organisation: Organisation,
    project: Project | None,
    code: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    consortium: Consortium | None,
    partners: list[Organisation],
    target_area_codes: list[str],
) -> list[Area]:
    """Every rule of a project's fields at once (one ValidationError keyed by field); its areas."""
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        _add(errors, "ends_on", _("The project ends before it starts."))
    others = Project.objects.filter(organisation=organisation, code=code)
    if project is not None:
        others = others.exclude(pk=project.pk)
    if others.exists():
        _add(errors, "code", _("A project with this code exists already."))
    if consortium is not None and not (
        consortium.lead_id == organisation.pk
        or consortium.members.filter(pk=organisation.pk).exists()
    ):
        _add(errors, "consortium", _("Your organisation is not in this consortium."))
    if any(partner.pk == organisation.pk for partner in partners):
        _add(errors, "partners", _("The organisation running the project is not its own partner."))
    areas: list[Area] = []
    for area_code in dict.fromkeys(target_area_codes):
        try:
            areas.append(area_get(code=area_code))
        except ValidationError as error:
            _add(errors, "target_areas", " ".join(error.messages))
    if project is not None and ends_on >= starts_on:
        earlier = _records_matching(project, Q(date__lt=starts_on), Q(period_start__lt=starts_on))
        if earlier:
            _add(errors, "starts_on", _outside_message(earlier, starts_on, ends_on))
        later = _records_matching(project, Q(date__gt=ends_on), Q(period_end__gt=ends_on))
        if later:
            _add(errors, "ends_on", _outside_message(later, starts_on, ends_on))
        if project.closed_on is not None and project.closed_on < starts_on:
            _add(errors, "starts_on", _("The project closed before this date."))
    if errors:
        raise ValidationError(errors)
    return areas


def _outside_message(count: int, start: datetime.date, end: datetime.date) -> str:
    return ngettext(
        "%(count)s activity, outcome or budget line of this project would fall outside "
        "%(start)s – %(end)s: keep the period around the records.",
        "%(count)s activities, outcomes or budget lines of this project would fall outside "
        "%(start)s – %(end)s: keep the period around the records.",
        count,
    ) % {"count": count, "start": start, "end": end}


def _state(project: Project) -> dict[str, Any]:
    return {
        **snapshot(project),
        "partners": sorted(project.partners.values_list("pk", flat=True)),
        "target_areas": sorted(project.target_areas.values_list("code", flat=True)),
    }


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
    require_manager(by=by, organisation_id=organisation.pk)
    partners = list(partners or [])
    areas = _checked(
        organisation=organisation,
        project=None,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        consortium=consortium,
        partners=partners,
        target_area_codes=target_area_codes or [],
    )
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
    project.partners.set(partners)
    project.target_areas.set(areas)
    audit_record(
        by=by,
        action="project.create",
        obj=project,
        organisation_id=organisation.pk,
        after={
            **snapshot(project),
            "partners": [partner.pk for partner in partners],
            "target_areas": [area.code for area in areas],
        },
    )
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
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
) -> bool:
    """Change a project's fields; False (and no audit row) when nothing changed.

    The period may not shrink so that an activity, an outcome or a budget line falls outside it.
    """
    require_manager(by=by, organisation_id=project.organisation_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    partners = list(partners or [])
    areas = _checked(
        organisation=project.organisation,
        project=project,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        consortium=consortium,
        partners=partners,
        target_area_codes=target_area_codes or [],
    )
    before = _state(project)
    project.code, project.name_en, project.name_km = code, name_en, name_km
    project.donor, project.consortium = donor, consortium
    project.starts_on, project.ends_on = starts_on, ends_on
    project.full_clean()
    project.save()
    project.partners.set(partners)
    project.target_areas.set(areas)
    after = _state(project)
    if after == before:
        return False
    audit_record(
        by=by,
        action="project.update",
        obj=project,
        organisation_id=project.organisation_id,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def project_close(*, project: Project, by: Any, closed_on: datetime.date) -> Project:
    """Close a project on a day that has come: nothing dated after it is recorded under it."""
    require_manager(by=by, organisation_id=project.organisation_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, list[str]] = {}
    if project.closed_on is not None:
        _add(
            errors,
            "closed_on",
            _("The project closed on %(closed)s already.") % {"closed": project.closed_on},
        )
    elif closed_on < project.starts_on:
        _add(errors, "closed_on", _("The project closes before it starts."))
    elif closed_on > timezone.localdate():
        _add(errors, "closed_on", _("A project is closed on a day that has come, not in advance."))
    else:
        later = (
            project.activities.filter(date__gt=closed_on).count()
            + project.outcomes.filter(date__gt=closed_on).count()
        )
        if later:
            message = ngettext(
                "%(count)s activity or outcome of this project is dated after this day.",
                "%(count)s activities or outcomes of this project are dated after this day.",
                later,
            )
            _add(errors, "closed_on", message % {"count": later})
    if errors:
        raise ValidationError(errors)
    project.closed_on = closed_on
    project.save(update_fields=["closed_on"])
    audit_record(
        by=by,
        action="project.close",
        obj=project,
        organisation_id=project.organisation_id,
        after={"closed_on": str(closed_on)},
    )
    return project
