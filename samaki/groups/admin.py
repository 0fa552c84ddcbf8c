from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from samaki.admin_site import ScopedAdmin, VocabularyAdmin
from samaki.groups.models import Group, GroupKind, Membership
from samaki.groups.queries import group_kind_list, group_list, membership_list
from samaki.groups.services import group_create, group_update, membership_add, membership_end


@admin.register(GroupKind)
class GroupKindAdmin(VocabularyAdmin):
    list_for_user = staticmethod(group_kind_list)


@admin.register(Group)
class GroupAdmin(ScopedAdmin):
    """Standing groups and networks, added by group_create and changed by group_update."""

    list_for_user = staticmethod(group_list)
    organisation_chosen = True
    list_display = ["name_en", "name_km", "kind", "area", "parent"]
    list_filter = [("kind", RelatedOnlyFieldListFilter)]
    search_fields = ["name_en", "name_km", "=external_id"]
    fields = [
        "name_en",
        "name_km",
        "kind",
        "area",
        "founded_on",
        "parent",
        "project",
        "external_id",
    ]
    autocomplete_fields = ["area"]
    list_select_related = ["kind", "area", "parent", "organisation"]
    service_field_names = {"kind_code": "kind", "area_code": "area"}

    def create(self, request, form):
        data = form.cleaned_data
        return group_create(
            organisation=self.acting_organisation(request, form),
            by=request.user,
            name_en=data["name_en"],
            name_km=data["name_km"],
            kind_code=data["kind"].code,
            area_code=data["area"].code,
            founded_on=data["founded_on"],
            parent=data["parent"],
            project=data["project"],
            external_id=data["external_id"],
        )

    def update(self, request, group, form):
        data = form.cleaned_data
        return group_update(
            group=group,
            by=request.user,
            name_en=data["name_en"],
            name_km=data["name_km"],
            kind_code=data["kind"].code,
            area_code=data["area"].code,
            founded_on=data["founded_on"],
            parent=data["parent"],
            project=data["project"],
            external_id=data["external_id"],
        )


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Who is in which group since when; a membership is changed only by ending it."""

    list_for_user = staticmethod(membership_list)
    list_display = ["person", "group", "role", "joined_on", "left_on"]
    list_filter = ["role", ("group", RelatedOnlyFieldListFilter)]
    search_fields = ["person__name_latin", "person__name_km", "group__name_en"]
    fields = ["group", "person", "role", "joined_on", "left_on"]
    autocomplete_fields = ["group", "person"]
    list_select_related = ["person", "group", "organisation"]

    def has_change_permission(self, request, obj=None) -> bool:
        # membership_end sets the leaving date, once; nothing else changes.
        ended = obj is not None and obj.left_on is not None
        return not ended and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "group", "person", "role", "joined_on"] if obj is not None else readonly

    def create(self, request, form):
        data = form.cleaned_data
        return membership_add(
            group=data["group"],
            person=data["person"],
            by=request.user,
            joined_on=data["joined_on"],
            role=data["role"],
            left_on=data["left_on"],
        )

    def update(self, request, membership, form):
        left_on = form.cleaned_data.get("left_on")
        if left_on is None:
            return membership
        return membership_end(membership=membership, by=request.user, left_on=left_on)
