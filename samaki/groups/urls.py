from django.urls import path

from samaki.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list_view, name="list"),
    path("new/", views.group_create_view, name="create"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit_view, name="edit"),
    path("<int:pk>/members/add/", views.membership_add_view, name="member_add"),
    path("<int:pk>/members/<int:membership_pk>/end/", views.membership_end_view, name="member_end"),
    path(
        "<int:pk>/members/<int:membership_pk>/void/",
        views.membership_void_view,
        name="member_void",
    ),
]
