from django.contrib import admin

from samaki.admin_site import NOBODY, ScopedAdmin
from samaki.areas.models import Area, AreaLevel
from samaki.areas.queries import area_list

# Foreign keys to an area that accept one level only: (app label, model, field) -> level.
LEVEL_OF_AREA_FIELD = {("people", "person", "village"): AreaLevel.VILLAGE}


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    """The gazetteer, read-only: it changes only by loading a new version (`load_gazetteer`)."""

    list_for_user = staticmethod(area_list)
    writers = NOBODY
    list_display = ["code", "name_en", "name_km", "level"]
    list_filter = ["level"]
    # Areas are picked by autocomplete everywhere (there are 16,465 of them): these are the
    # fields it searches. "1702" finds the district and everything inside it.
    search_fields = ["^code", "name_en", "name_km", "name_ungegn"]
    fields = readonly_fields = (
        "code",
        "level",
        "name_km",
        "name_en",
        "name_ungegn",
        "unit_km",
        "unit_en",
        "parent",
        "dataset",
    )
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = (
            request.GET.get("app_label"),
            request.GET.get("model_name"),
            request.GET.get("field_name"),
        )
        if source in LEVEL_OF_AREA_FIELD:
            queryset = queryset.filter(level=LEVEL_OF_AREA_FIELD[source])
        return queryset, may_have_duplicates
