from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samaki.admin_site import ScopedAdmin
from samaki.people.models import WG_FIELDS, Consent, Person, SelfIdentification
from samaki.people.queries import consent_list, person_list, self_identification_list
from samaki.people.services import (
    PersonFields,
    local_today,
    person_register,
    person_update,
    self_identification_record,
)


def person_fields(data: dict) -> PersonFields:
    """A form's cleaned data as the services take it."""
    return PersonFields(
        sex=data["sex"],
        village_code=data["village"].code,
        name_km=data["name_km"],
        name_latin=data["name_latin"],
        birth_date=data["birth_date"],
        birth_year=data["birth_year"],
        phone=data["phone"],
        id_poor=data["id_poor"],
        external_id=data["external_id"],
        **{name: data[name] for name in WG_FIELDS},
    )


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    """People registered (with the registration consent) and corrected through the services."""

    list_for_user = staticmethod(person_list)
    organisation_chosen = True
    list_display = ["name_latin", "name_km", "sex", "birth_year", "village", "disability"]
    list_filter = ["sex", "id_poor", "registered_on"]
    search_fields = ["name_latin", "name_km", "phone", "=external_id"]
    autocomplete_fields = ["village"]
    list_select_related = ["village", "organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name_km",
                    "name_latin",
                    "sex",
                    "birth_date",
                    "birth_year",
                    "village",
                    "phone",
                    "id_poor",
                    "external_id",
                    "registered_on",
                ]
            },
        ),
        (_("Washington Group Short Set"), {"fields": tuple(WG_FIELDS)}),
    ]
    service_field_names = {"village_code": "village"}

    @admin.display(description=_("disability"))
    def disability(self, person: Person) -> str:
        return str(person.disability.label)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # The registration date is the day her record was first kept; it does not change.
        return [*readonly, "registered_on"] if obj is not None else readonly

    def get_changeform_initial_data(self, request):
        return {"registered_on": local_today(), **super().get_changeform_initial_data(request)}

    def create(self, request, form):
        return person_register(
            organisation=self.acting_organisation(request, form),
            by=request.user,
            fields=person_fields(form.cleaned_data),
            registered_on=form.cleaned_data["registered_on"],
        )

    def update(self, request, person, form):
        return person_update(
            person=person, by=request.user, fields=person_fields(form.cleaned_data)
        )


@admin.register(SelfIdentification)
class SelfIdentificationAdmin(ScopedAdmin):
    """Sensitive self-identifications: administrators and M&E officers only, never in lists."""

    list_for_user = staticmethod(self_identification_list)
    list_display = ["__str__", "person", "consented_on"]
    fields = ["person", "consented_on", "indigenous_group", "lgbtqi", "living_with_hiv"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__name_latin", "person__name_km"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "person"] if obj is not None else readonly

    def create(self, request, form):
        return self._record(request, form.cleaned_data["person"], form)

    def update(self, request, record, form):
        return self._record(request, record.person, form)

    def _record(self, request, person, form):
        data = form.cleaned_data
        return self_identification_record(
            person=person,
            by=request.user,
            consented_on=data["consented_on"],
            indigenous_group=data["indigenous_group"],
            lgbtqi=data["lgbtqi"],
            living_with_hiv=data["living_with_hiv"],
        )


@admin.register(Consent)
class ConsentAdmin(ScopedAdmin):
    """What each person agreed to. Read-only: consents are recorded with what they allow."""

    list_for_user = staticmethod(consent_list)
    list_display = ["person", "purpose", "given_on", "given_by", "withdrawn_on"]
    list_filter = ["purpose", "given_by"]
    search_fields = ["person__name_latin", "person__name_km"]
    fields = ["person", "purpose", "given_on", "given_by", "withdrawn_on", "recorded_by"]
    list_select_related = ["person", "organisation"]
