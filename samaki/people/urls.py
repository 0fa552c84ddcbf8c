from django.urls import path

from samaki.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("new/", views.person_create, name="create"),
    path("areas/", views.area_children_json, name="area_children"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
]
