from django.urls import path

from samaki.reports import views

app_name = "reports"
urlpatterns = [
    path("projects/<int:pk>/", views.project_report, name="project"),
    path("consortia/<int:pk>/", views.consortium_report, name="consortium"),
]
