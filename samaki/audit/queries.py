from typing import Any

from django.db import models

from samaki.audit.models import AuditEvent
from samaki.organisations.queries import scope_to_user


def audit_event_list(*, user: Any) -> models.QuerySet[AuditEvent]:
    """Her organisation's audit trail."""
    return scope_to_user(AuditEvent.objects.select_related("actor", "organisation"), user=user)
