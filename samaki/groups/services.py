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
from samaki.projects.models import Project
from samaki.projects.services import project_use_errors


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
    kind = vocabulary_get(GroupKind, organisation=organisation, code=kind_code)
    area = area_get(code=area_code)
    require_writer(by=by, organisation=organisation, area=area)
    if founded_on is not None and founded_on > local_today():
        raise ValidationError({"founded_on": _("The founding date is in the future.")})
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": _("The network belongs to another organisation.")})
    if project is not None and (
        problems := project_use_errors(project=project, organisation=organisation)
    ):
        raise ValidationError(problems)
    if (
        external_id
        and Group.objects.filter(organisation=organisation, external_id=external_id).exists()
    ):
        raise ValidationError({"external_id": _("Another group already has this external ID.")})
    group = Group(
        organisation=organisation,
        name_en=name_en,
        name_km=name_km,
        kind=kind,
        area=area,
        founded_on=founded_on,
        parent=parent,
        project=project,
        external_id=external_id,
    )
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
def membership_end(*, membership: Membership, by: Any, left_on: datetime.date) -> Membership:
    require_writer(
        by=by, organisation=membership.group.organisation, area=membership.person.village
    )
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has ended already.")})
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
    )
    return membership
