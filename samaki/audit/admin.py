from django.contrib import admin

from samaki.admin_site import NOBODY, ScopedAdmin
from samaki.audit.models import AuditEvent
from samaki.audit.queries import audit_event_list


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    """The audit trail is only ever read, by superusers too."""

    list_for_user = staticmethod(audit_event_list)
    writers = NOBODY
    list_display = ["at", "action", "object_type", "object_id", "actor"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_type", "=object_id", "actor__username"]
    fields = readonly_fields = (
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
    )
    list_select_related = ["actor", "organisation"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
