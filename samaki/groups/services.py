import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samaki.audit.services import audit_record, snapshot
from samaki.groups.models import Group, GroupKind, MemberRole, Membership
from samaki.organisations.models import Organisation
from samaki.organisations.queries import vocabulary_get
from samaki.organisations.services import area_get, require_writer
from samaki.people.models import Person
from samaki.people.services import local_today
from samaki.periods.rules import require_span_open
from samaki.projects.models import Project
from samaki.projects.services import project_use_errors
from samaki.records import clean_reason, require_not_voided, void_fields


def _group_values(
    *,
    organisation: Organisation,
    group: Group | None,
    name_en: str,
    kind_code: str,
    area_code: str,
    name_km: str,
    founded_on: datetime.date | None,
    parent: Group | None,
    project: Project | None,
    external_id: str,
) -> dict[str, Any]:
    """The group's field values, checked; every problem found, by field. `group` is the group
    being changed (None for a new one). group_create and group_update both check through here."""
    errors: dict[str, list[str]] = {}

    def attempt(field: str, check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
            return None

    # A retired kind is refused, except the one the group being changed has.
    kind = attempt(
        "kind_code",
        lambda: vocabulary_get(
            GroupKind,
            organisation=organisation,
            code=kind_code,
            keeping=[group.kind_id] if group is not None else [],
        ),
    )
    area = attempt("area_code", lambda: area_get(code=area_code))
    if founded_on is not None and founded_on > local_today():
        errors.setdefault("founded_on", []).append(_("The founding date is in the future."))
    if parent is not None and parent.organisation_id != organisation.pk:
        errors.setdefault("parent", []).append(_("The network belongs to another organisation."))
    elif parent is not None and group is not None and _is_within(parent, group):
        errors.setdefault("parent", []).append(
            _("A group cannot belong to itself or to one of its own groups.")
        )
    if project is not None:
        for field, message in project_use_errors(
            project=project, organisation=organisation
        ).items():
            errors.setdefault(field, []).append(message)
    others = Group.objects.filter(organisation=organisation, external_id=external_id)
    if group is not None:
        others = others.exclude(pk=group.pk)
    if external_id and others.exists():
        errors.setdefault("external_id", []).append(
            _("Another group already has this external ID.")
        )
    if errors:
        raise ValidationError(errors)
    return {
        "name_en": name_en.strip(),
        "name_km": name_km.strip(),
        "kind": kind,
        "area": area,
        "founded_on": founded_on,
        "parent": parent,
        "project": project,
        "external_id": external_id,
    }


def _is_within(network: Group, group: Group) -> bool:
    """Whether `network` is `group` or one of the groups under it (a network of networks)."""
    seen: set[int] = set()
    current: Group | None = network
    while current is not None and current.pk not in seen:
        if current.pk == group.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


@transaction.atomic
def group_create(
    *,
    organisation: Organisation,
    by: Any,
    name_en: str,
    kind_code: str,
    area_code: str,
    name_km: str = "",
    founded_on: datetime.date | None = None,
    parent: Group | None = None,
    project: Project | None = None,
    external_id: str = "",
) -> Group:
    values = _group_values(
        organisation=organisation, group=None, name_en=name_en, kind_code=kind_code,
        area_code=area_code, name_km=name_km, founded_on=founded_on, parent=parent,
        project=project, external_id=external_id,
    )  # fmt: skip
    require_writer(by=by, organisation=organisation, area=values["area"])
    group = Group(organisation=organisation, **values)
    group.full_clean()
    group.save()
    audit_record(
        by=by,
        action="group.create",
        obj=group,
        organisation_id=organisation.pk,
        after=snapshot(group),
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    by: Any,
    name_en: str,
    kind_code: str,
    area_code: str,
    name_km: str,
    founded_on: datetime.date | None,
    parent: Group | None,
    project: Project | None,
    external_id: str,
) -> Group:
    """Change a group. Every field is given (what is not changing, as it is); a facilitator
    changes only a group inside her areas, and cannot move it out of them."""
    organisation = group.organisation
    require_writer(by=by, organisation=organisation, area=group.area)
    values = _group_values(
        organisation=organisation, group=group, name_en=name_en, kind_code=kind_code,
        area_code=area_code, name_km=name_km, founded_on=founded_on, parent=parent,
        project=project, external_id=external_id,
    )  # fmt: skip
    require_writer(by=by, organisation=organisation, area=values["area"])
    before = snapshot(group)
    for name, value in values.items():
        setattr(group, name, value)
    after = snapshot(group)
    if after == before:
        return group  # nothing changed: nothing written, nothing audited
    # `_group_values` checked what the constraints guard; the database still enforces them.
    group.full_clean(validate_unique=False, validate_constraints=False)
    group.save()
    audit_record(
        by=by,
        action="group.update",
        obj=group,
        organisation_id=organisation.pk,
        before=before,
        after=after,
    )
    return group


@transaction.atomic
def membership_add(
    *,
    group: Group,
    person: Person,
    by: Any,
    joined_on: datetime.date,
    role: str = MemberRole.MEMBER,
    left_on: datetime.date | None = None,
) -> Membership:
    """Add a person to a group from `joined_on`; refused if she is already in it then."""
    require_writer(by=by, organisation=group.organisation, area=person.village)
    if person.organisation_id != group.organisation_id:
        raise ValidationError({"person": _("This person belongs to another organisation.")})
    require_span_open(project_id=group.project_id, start=joined_on, end=left_on, field="joined_on")
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if joined_on > local_today():
        raise ValidationError({"joined_on": _("The joining date is in the future.")})
    if left_on is not None and left_on <= joined_on:
        raise ValidationError({"left_on": _("She must leave after she joined.")})
    overlapping = Membership.objects.filter(group=group, person=person).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=joined_on)
    )
    if left_on is not None:
        overlapping = overlapping.filter(joined_on__lt=left_on)
    if overlapping.exists():
        raise ValidationError(
            {
                "person": _("%(person)s is already a member of this group at that date.")
                % {"person": person}
            }
        )
    membership = Membership(
        organisation_id=group.organisation_id,
        group=group,
        person=person,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
    )
    membership.full_clean(validate_constraints=False)  # checked above; the database enforces them
    membership.save()
    audit_record(
        by=by,
        action="membership.add",
        obj=membership,
        organisation_id=group.organisation_id,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def membership_end(
    *, membership: Membership, by: Any, left_on: datetime.date, reason: str = ""
) -> Membership:
    require_writer(
        by=by, organisation=membership.group.organisation, area=membership.person.village
    )
    require_not_voided(membership)
    reason = clean_reason(reason, required=False)
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has ended already.")})
    # She counted as a member at the end of every period from `left_on` on: no longer.
    require_span_open(
        project_id=membership.group.project_id, start=left_on, end=None, field="left_on"
    )
    if left_on <= membership.joined_on:
        raise ValidationError({"left_on": _("She must leave after she joined.")})
    before = snapshot(membership)
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    audit_record(
        by=by,
        action="membership.end",
        obj=membership,
        organisation_id=membership.organisation_id,
        before=before,
        after=snapshot(membership),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_void(*, by: Any, membership: Membership, reason: str) -> Membership:
    """Void a membership entered by mistake: it stops counting; the M&E officer still sees it
    on the group's page. (A member who left is ended, `membership_end`, not voided.)"""
    require_writer(
        by=by, organisation=membership.group.organisation, area=membership.person.village
    )
    reason = clean_reason(reason)
    require_not_voided(membership, voiding=True)
    project_id = membership.group.project_id
    require_span_open(project_id=project_id, start=membership.joined_on, end=membership.left_on)
    marks = void_fields(by=by, reason=reason)
    if not Membership.objects.filter(pk=membership.pk).update(**marks):
        raise ValidationError(_("This record is already voided."))
    for name, value in marks.items():
        setattr(membership, name, value)
    audit_record(
        by=by,
        action="membership.void",
        obj=membership,
        organisation_id=membership.organisation_id,
        reason=reason,
    )
    return membership
