from django.urls import path

from samaki.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("new/", views.person_create, name="create"),
    path("areas/", views.area_children_json, name="area_children"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/merge/", views.person_merge_view, name="merge"),
    path("<int:pk>/erase/", views.person_erase_view, name="erase"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("duplicates/", views.duplicate_review_list_view, name="duplicates"),
    path(
        "duplicates/<int:pk>/resolve/",
        views.duplicate_review_resolve_view,
        name="duplicate_resolve",
    ),
    path("attributes/", views.person_attribute_list_view, name="attributes"),
    path("attributes/new/", views.person_attribute_create, name="attribute_create"),
    path("attributes/<int:pk>/edit/", views.person_attribute_edit, name="attribute_edit"),
]
