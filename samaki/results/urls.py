from django.urls import path

from samaki.results import views

app_name = "results"
urlpatterns = [
    path("projects/<int:project_pk>/", views.project_results, name="project"),
]
