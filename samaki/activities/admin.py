from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samaki.activities.models import Activity, ActivityKind, Attendance, Headcount, Topic
from samaki.activities.queries import (
    activity_kind_list,
    activity_list,
    attendance_list,
    headcount_list,
    topic_list,
)
from samaki.activities.services import (
    ActivityFields,
    HeadcountCell,
    activity_create,
    activity_update,
    attendance_set,
    headcount_set,
)
from samaki.admin_site import ScopedAdmin, ServiceForm, ServiceRefused, VocabularyAdmin
from samaki.people.models import Person
from samaki.people.queries import person_list


@admin.register(ActivityKind)
class ActivityKindAdmin(VocabularyAdmin):
    list_for_user = staticmethod(activity_kind_list)


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    list_for_user = staticmethod(topic_list)


class ActivityForm(ServiceForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("people who attended"),
        queryset=Person.objects.none(),  # her people, set by the admin for each request
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["attendees"] = list(
                self.instance.attendances.values_list("person_id", flat=True)
            )


class HeadcountInline(admin.TabularInline):
    """People counted, not registered, by sex and age band; written by headcount_set."""

    model = Headcount
    form = ServiceForm
    fields = ["sex", "age_min", "age_max", "count"]
    extra = 0

    def _activity_admin(self) -> ScopedAdmin:
        return cast(ScopedAdmin, self.admin_site.get_model_admin(Activity))

    def get_queryset(self, request):
        return headcount_list(user=request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._activity_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._activity_admin().may_write(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._activity_admin().may_write(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._activity_admin().may_write(request, obj)


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    """Activities, who attended and how many were counted: activity_create, activity_update,
    attendance_set and headcount_set write them."""

    list_for_user = staticmethod(activity_list)
    organisation_chosen = True
    form = ActivityForm
    inlines = [HeadcountInline]
    list_display = ["date", "kind", "title", "area", "project", "group"]
    list_filter = [("kind", RelatedOnlyFieldListFilter), ("project", RelatedOnlyFieldListFilter)]
    search_fields = ["title", "=external_id"]
    date_hierarchy = "date"
    list_select_related = ["kind", "area", "project", "group", "organisation"]
    autocomplete_fields = ["area"]
    filter_horizontal = ["topics", "facilitators"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "date",
                    "kind",
                    "title",
                    "topics",
                    "area",
                    "project",
                    "group",
                    "facilitators",
                    "notes",
                    "external_id",
                ]
            },
        ),
        (_("Attendance"), {"fields": ["attendees"]}),
    ]
    service_field_names = {
        "kind_code": "kind",
        "area_code": "area",
        "topic_codes": "topics",
        "people": "attendees",
    }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "attendees" in form.base_fields:
            # Each request gets its own field: the choices are this user's people.
            form.base_fields["attendees"] = forms.ModelMultipleChoiceField(
                label=form.base_fields["attendees"].label,
                queryset=person_list(user=request.user),
                required=False,
                widget=AutocompleteSelectMultiple(
                    Attendance._meta.get_field("person"), self.admin_site
                ),
            )
        return form

    @staticmethod
    def activity_fields(form) -> ActivityFields:
        data = form.cleaned_data
        return ActivityFields(
            kind_code=data["kind"].code,
            date=data["date"],
            area_code=data["area"].code,
            title=data["title"],
            topic_codes=tuple(topic.code for topic in data["topics"]),
            project=data["project"],
            group=data["group"],
            facilitators=tuple(data["facilitators"]),
            notes=data["notes"],
            external_id=data["external_id"],
        )

    def create(self, request, form):
        activity = activity_create(
            organisation=self.acting_organisation(request, form),
            by=request.user,
            fields=self.activity_fields(form),
        )
        if form.cleaned_data["attendees"]:
            attendance_set(
                activity=activity, by=request.user, people=list(form.cleaned_data["attendees"])
            )
        return activity

    def update(self, request, activity, form):
        activity = activity_update(
            activity=activity, by=request.user, fields=self.activity_fields(form)
        )
        attendance_set(
            activity=activity, by=request.user, people=list(form.cleaned_data["attendees"])
        )
        return activity

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            if formset.model is not Headcount or not formset.has_changed():
                continue
            cells = [
                HeadcountCell(
                    sex=cell["sex"],
                    age_min=cell["age_min"],
                    age_max=cell["age_max"],
                    count=cell["count"],
                )
                for cell in formset.cleaned_data
                if cell and not cell.get("DELETE")
            ]
            try:
                headcount_set(activity=form.instance, by=request.user, cells=cells)
            except ValidationError as error:
                raise ServiceRefused(error) from error


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    """Read-only: attendance is taken on its activity's page (attendance_set)."""

    list_for_user = staticmethod(attendance_list)
    list_display = ["person", "activity"]
    search_fields = ["person__name_latin", "person__name_km", "activity__title"]
    fields = ["activity", "person"]
    list_select_related = ["person", "activity__kind", "organisation"]


@admin.register(Headcount)
class HeadcountAdmin(ScopedAdmin):
    """Read-only: headcounts are entered on their activity's page (headcount_set)."""

    list_for_user = staticmethod(headcount_list)
    list_display = ["activity", "sex", "age_min", "age_max", "count"]
    list_filter = ["sex"]
    fields = ["activity", "sex", "age_min", "age_max", "count"]
    list_select_related = ["activity__kind", "organisation"]
