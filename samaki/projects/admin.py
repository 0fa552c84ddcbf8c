from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from samaki.admin_site import ScopedAdmin, codes
from samaki.projects.models import Project
from samaki.projects.queries import project_list
from samaki.projects.services import project_create


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    """Her organisation's projects and those it is a partner in; added, not yet changed."""

    list_for_user = staticmethod(project_list)
    organisation_chosen = True
    list_display = ["code", "name_en", "donor", "starts_on", "ends_on"]
    list_filter = [("donor", RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_en", "name_km"]
    fields = [
        "code",
        "name_en",
        "name_km",
        "donor",
        "consortium",
        "partners",
        "starts_on",
        "ends_on",
        "target_areas",
    ]
    autocomplete_fields = ["target_areas"]
    filter_horizontal = ["partners"]
    list_select_related = ["donor", "organisation"]
    service_field_names = {"target_area_codes": "target_areas"}

    def create(self, request, form):
        data = form.cleaned_data
        return project_create(
            organisation=self.acting_organisation(request, form),
            by=request.user,
            code=data["code"],
            name_en=data["name_en"],
            name_km=data["name_km"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            donor=data["donor"],
            consortium=data["consortium"],
            partners=list(data["partners"]),
            target_area_codes=codes(data["target_areas"]),
        )
