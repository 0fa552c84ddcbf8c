from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samaki.admin_site import NOBODY, ScopedAdmin
from samaki.audit.models import AuditEvent
from samaki.audit.queries import audit_event_list
from samaki.audit.services import event_unsealed


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
        "before_clear",
        "after_clear",
        "reason",
    )
    list_select_related = ["actor", "organisation"]

    # A person's personal values are sealed under her key: shown in clear while it exists,
    # "erased" once her record is erased (samaki.audit.services.unseal).
    @admin.display(description=_("before"))
    def before_clear(self, obj: AuditEvent) -> Any:
        return event_unsealed(obj)[0]

    @admin.display(description=_("after"))
    def after_clear(self, obj: AuditEvent) -> Any:
        return event_unsealed(obj)[1]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
