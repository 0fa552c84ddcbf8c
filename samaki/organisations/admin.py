from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from samaki.admin_site import NOBODY, ScopedAdmin, ServiceForm
from samaki.organisations.models import Consortium, ConsortiumMember, Donor, Organisation, Site
from samaki.organisations.queries import (
    consortium_list,
    donor_list,
    organisation_list,
    site_list,
)
from samaki.organisations.services import (
    consortium_create,
    donor_create,
    organisation_create,
    site_create,
)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    """Tenants: only a superuser adds one. Each organisation sees itself (and a lead its members)."""

    list_for_user = staticmethod(organisation_list)
    writers = NOBODY
    list_display = ["name_en", "name_km", "acronym", "slug"]
    search_fields = ["name_en", "name_km", "acronym", "slug"]
    fields = ["slug", "name_en", "name_km", "acronym"]

    def create(self, request, form):
        data = form.cleaned_data
        return organisation_create(
            by=request.user,
            slug=data["slug"],
            name_en=data["name_en"],
            name_km=data["name_km"],
            acronym=data["acronym"],
        )


@admin.register(Donor)
class DonorAdmin(ScopedAdmin):
    """Shared reference data: everyone reads it, only a superuser adds to it."""

    list_for_user = staticmethod(donor_list)
    writers = NOBODY
    list_display = ["name_en", "name_km", "slug"]
    search_fields = ["name_en", "name_km", "slug"]
    fields = ["slug", "name_en", "name_km"]

    def create(self, request, form):
        data = form.cleaned_data
        return donor_create(
            by=request.user, slug=data["slug"], name_en=data["name_en"], name_km=data["name_km"]
        )


class ConsortiumMemberInline(admin.TabularInline):
    """The members, shown; they are chosen when the consortium is added."""

    model = ConsortiumMember
    fields = readonly_fields = ("organisation", "joined_on")
    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.get_model_admin(Consortium).has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ConsortiumForm(ServiceForm):
    member_organisations = forms.ModelMultipleChoiceField(
        label=_("members"),
        queryset=Organisation.objects.none(),  # every organisation, set by the admin
        widget=FilteredSelectMultiple(_("organisations"), is_stacked=False),
    )


@admin.register(Consortium)
class ConsortiumAdmin(ScopedAdmin):
    """Consortia, as their lead and members see them; only a superuser adds one."""

    list_for_user = staticmethod(consortium_list)
    writers = NOBODY
    form = ConsortiumForm
    list_display = ["name_en", "lead", "slug"]
    search_fields = ["name_en", "name_km", "slug"]
    fields = ["slug", "name_en", "name_km", "lead"]
    add_fieldsets = [(None, {"fields": [*fields, "member_organisations"]})]
    service_field_names = {"members": "member_organisations"}
    inlines = [ConsortiumMemberInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "member_organisations" in form.base_fields:
            field = form.base_fields["member_organisations"]
            form.base_fields["member_organisations"] = forms.ModelMultipleChoiceField(
                label=field.label,
                queryset=organisation_list(user=request.user),
                widget=field.widget,
            )
        return form

    def create(self, request, form):
        data = form.cleaned_data
        return consortium_create(
            by=request.user,
            slug=data["slug"],
            name_en=data["name_en"],
            name_km=data["name_km"],
            lead=data["lead"],
            members=list(data["member_organisations"]),
        )


@admin.register(Site)
class SiteAdmin(ScopedAdmin):
    """The places an organisation runs: offices, skills centres, safe houses."""

    list_for_user = staticmethod(site_list)
    organisation_chosen = True
    list_display = ["name_en", "name_km", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_km"]
    fields = ["name_en", "name_km", "kind", "area", "established_on"]
    autocomplete_fields = ["area"]
    list_select_related = ["area", "organisation"]
    service_field_names = {"area_code": "area"}

    def create(self, request, form):
        data = form.cleaned_data
        return site_create(
            organisation=self.acting_organisation(request, form),
            by=request.user,
            name_en=data["name_en"],
            name_km=data["name_km"],
            kind=data["kind"],
            area_code=data["area"].code,
            established_on=data["established_on"],
        )
