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
from samaki.periods.rules import require_period_open, require_periods_open
from samaki.projects.models import Project
from samaki.projects.services import project_use_errors
from samaki.records import clean_reason, require_not_voided, void_fields


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
    require_period_open(project_id=project.pk if project else None, on=date)
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
    reason: str = "",
) -> bool:
    """Correct an outcome's kind, date, detail or project; returns whether anything changed.

    The kind is looked up only when it changes, so an outcome keeps a term retired since.
    `reason`, her words for the correction, goes on the audit row.
    """
    person, organisation = outcome.person, outcome.organisation
    require_writer(by=by, organisation=organisation, area=person.village)
    require_not_voided(outcome)
    reason = clean_reason(reason, required=False)
    require_periods_open(  # what the outcome was, and what it becomes
        dated=[(outcome.project_id, outcome.date), (project.pk if project else None, date)]
    )
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
        reason=reason,
    )
    return True


@transaction.atomic
def outcome_void(*, by: Any, outcome: Outcome, reason: str) -> Outcome:
    """Void an outcome recorded by mistake: it stops counting; the M&E officer still sees it on
    the person's page."""
    require_writer(by=by, organisation=outcome.organisation, area=outcome.person.village)
    reason = clean_reason(reason)
    require_not_voided(outcome, voiding=True)
    require_period_open(project_id=outcome.project_id, on=outcome.date)
    marks = void_fields(by=by, reason=reason)
    if not Outcome.objects.filter(pk=outcome.pk).update(**marks):
        raise ValidationError(_("This record is already voided."))
    for name, value in marks.items():
        setattr(outcome, name, value)
    audit_record(
        by=by,
        action="outcome.void",
        obj=outcome,
        organisation_id=outcome.organisation_id,
        reason=reason,
    )
    return outcome
