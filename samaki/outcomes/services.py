import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.audit.services import audit_record, snapshot
from samaki.organisations.queries import vocabulary_get
from samaki.organisations.services import require_writer
from samaki.outcomes.models import Outcome, OutcomeKind
from samaki.people.models import Person
from samaki.people.services import local_today
from samaki.projects.models import Project
from samaki.projects.services import project_use_errors


@transaction.atomic
def outcome_record(
    *,
    person: Person,
    by: Any,
    kind_code: str,
    date: datetime.date,
    detail: str = "",
    project: Project | None = None,
    external_id: str = "",
) -> Outcome:
    """Record a change in one person's life, on the date it happened."""
    organisation = person.organisation
    kind = vocabulary_get(OutcomeKind, organisation=organisation, code=kind_code)
    require_writer(by=by, organisation=organisation, area=person.village)
    if date > local_today():
        raise ValidationError({"date": _("The date is in the future.")})
    if project is not None and (
        problems := project_use_errors(project=project, organisation=organisation, on=date)
    ):
        raise ValidationError(problems)
    if (
        external_id
        and Outcome.objects.filter(organisation=organisation, external_id=external_id).exists()
    ):
        raise ValidationError({"external_id": _("Another outcome already has this external ID.")})
    outcome = Outcome(
        organisation=organisation,
        person=person,
        kind=kind,
        date=date,
        detail=detail.strip(),
        project=project,
        external_id=external_id,
    )
    outcome.full_clean()
    outcome.save()
    audit_record(
        by=by,
        action="outcome.record",
        obj=outcome,
        organisation_id=organisation.pk,
        after=snapshot(outcome),
    )
    return outcome


@transaction.atomic
def outcome_update(
    *,
    by: Any,
    outcome: Outcome,
    kind_code: str,
    date: datetime.date,
    detail: str = "",
    project: Project | None = None,
) -> bool:
    """Correct an outcome's kind, date, detail or project; returns whether anything changed.

    The kind is looked up only when it changes, so an outcome keeps a term retired since.
    """
    person, organisation = outcome.person, outcome.organisation
    require_writer(by=by, organisation=organisation, area=person.village)
    errors: dict[str, str] = {}
    kind = outcome.kind
    if kind_code != kind.code:
        try:
            kind = vocabulary_get(OutcomeKind, organisation=organisation, code=kind_code)
        except ValidationError as error:
            errors["kind_code"] = " ".join(error.messages)
    if date > local_today():
        errors["date"] = _("The date is in the future.")
    elif project is not None:
        errors.update(project_use_errors(project=project, organisation=organisation, on=date))
    if errors:
        raise ValidationError(errors)
    before = snapshot(outcome)
    outcome.kind, outcome.date, outcome.detail, outcome.project = (
        kind,
        date,
        detail.strip(),
        project,
    )
    outcome.full_clean(validate_unique=False, validate_constraints=False)
    after = snapshot(outcome)
    if after == before:
        return False
    outcome.save(update_fields=["kind", "date", "detail", "project"])
    audit_record(
        by=by,
        action="outcome.update",
        obj=outcome,
        organisation_id=organisation.pk,
        before=before,
        after=after,
    )
    return True
