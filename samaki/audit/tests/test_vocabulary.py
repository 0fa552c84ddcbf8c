"""The audit trail's actors are typed and its actions a closed vocabulary.

Before samaki.accounts.access, `by=None` meant "the system" and skipped every permission check, so
any path that passed nothing wrote as the platform; and any string was an action.
"""

import pytest
from django.core.exceptions import PermissionDenied

from samaki.accounts.access import PUBLIC, SYSTEM
from samaki.audit.models import AuditAction, AuditEvent
from samaki.audit.services import audit_record
from samaki.organisations.services import require_writer
from samaki.people.services import PersonFields, person_register


def test_an_action_outside_the_vocabulary_is_refused(personas):
    with pytest.raises(ValueError, match="not an audit action"):
        audit_record(
            by=personas.admin, action="person.peek", obj=personas.home, organisation_id=None
        )
    assert not AuditEvent.objects.filter(action="person.peek").exists()


def test_nobody_acting_is_refused_and_writes_nothing(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        audit_record(
            by=None, action=AuditAction.SITE_CREATE, obj=personas.home, organisation_id=None
        )
    with pytest.raises(PermissionDenied):
        require_writer(by=None, organisation=personas.home)
    with pytest.raises(PermissionDenied):
        person_register(
            organisation=personas.home,
            by=None,
            fields=PersonFields(name_latin="Nobody Sent", sex="female", village_code="17100101"),
        )
    assert AuditEvent.objects.count() == before


def test_the_system_is_audited_by_name_and_the_public_passes_no_check(personas):
    person = person_register(
        organisation=personas.home,
        by=SYSTEM,
        fields=PersonFields(
            name_latin="Registered By Command", sex="female", village_code="17100101"
        ),
    )
    row = AuditEvent.objects.get(action=AuditAction.PERSON_REGISTER, object_id=str(person.pk))
    assert row.actor is None and row.system_actor == "system"
    with pytest.raises(PermissionDenied):
        require_writer(by=PUBLIC, organisation=personas.home)
