from django.urls import path

from samaki.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("new/", views.project_create_view, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit_view, name="edit"),
    path("<int:pk>/close/", views.project_close_view, name="close"),
]
