from django.urls import path

from samaki.reports import views

app_name = "reports"
urlpatterns = [
    path("projects/<int:pk>/", views.project_report, name="project"),
    path("consortia/<int:pk>/", views.consortium_report, name="consortium"),
    path("projects/<int:pk>/narrative/", views.narratives, name="narratives"),
    path("logo/", views.branding, name="branding"),
    path("jobs/", views.report_jobs, name="jobs"),
    path("jobs/<int:pk>/", views.report_job, name="job"),
    path("jobs/<int:pk>/download/", views.report_job_download, name="download"),
    path("jobs/<int:pk>/submit/", views.report_job_submit, name="submit"),
    path("submitted/<int:pk>/", views.submitted_report, name="submitted"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/projects/<int:pk>/", views.project_dashboard, name="dashboard_project"),
    path("dashboard/consortia/<int:pk>/", views.consortium_dashboard, name="dashboard_consortium"),
]
