from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from samaki.admin_site import ScopedAdmin, VocabularyAdmin
from samaki.outcomes.models import Outcome, OutcomeKind
from samaki.outcomes.queries import outcome_kind_list, outcome_list
from samaki.outcomes.services import outcome_record


@admin.register(OutcomeKind)
class OutcomeKindAdmin(VocabularyAdmin):
    list_for_user = staticmethod(outcome_kind_list)


@admin.register(Outcome)
class OutcomeAdmin(ScopedAdmin):
    """Changes in people's lives; recorded here, corrected on the app's own page (`outcomes:edit`,
    `outcome_update`)."""

    list_for_user = staticmethod(outcome_list)
    list_display = ["date", "person", "kind", "detail", "project"]
    list_filter = [("kind", RelatedOnlyFieldListFilter)]
    search_fields = ["person__name_latin", "person__name_km", "detail", "=external_id"]
    date_hierarchy = "date"
    fields = ["person", "kind", "date", "detail", "project", "external_id"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "kind", "project", "organisation"]
    service_field_names = {"kind_code": "kind"}

    def create(self, request, form):
        data = form.cleaned_data
        return outcome_record(
            person=data["person"],
            by=request.user,
            kind_code=data["kind"].code,
            date=data["date"],
            detail=data["detail"],
            project=data["project"],
            external_id=data["external_id"],
        )
