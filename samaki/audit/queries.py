from typing import Any

from django.db import models
from django.db.models.functions import Cast

from samaki.audit.models import AuditEvent
from samaki.feedback.models import Feedback
from samaki.organisations.queries import scope_to_user

FEEDBACK_TYPE = Feedback._meta.label_lower


def audit_event_list(*, user: Any) -> models.QuerySet[AuditEvent]:
    """Her organisation's audit trail.

    Without the rows of restricted feedback (staff conduct, whistle-blowing): that such a report
    exists, its kind, and which focal point opened or answered it are for the focal points only,
    so neither the administrator, the M&E officer nor a superuser reads them here.
    """
    restricted = Feedback.objects.filter(restricted=True).values_list(
        Cast("pk", output_field=models.CharField()), flat=True
    )
    events = AuditEvent.objects.select_related("actor", "organisation").exclude(
        object_type=FEEDBACK_TYPE, object_id__in=restricted
    )
    return scope_to_user(events, user=user)
