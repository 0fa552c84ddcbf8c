from django.urls import path

from samaki.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list_view, name="list"),
    path("new/", views.activity_create_view, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit_view, name="edit"),
    path("<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("<int:pk>/headcount/", views.headcount_view, name="headcount"),
    path("<int:pk>/void/", views.activity_void_view, name="void"),
    path(
        "<int:pk>/attendance/<int:attendance_pk>/void/",
        views.attendance_void_view,
        name="attendance_void",
    ),
    path("<int:pk>/headcount/void/", views.headcount_void_view, name="headcount_void"),
]
