from django.urls import path

from samaki.results import views

app_name = "results"
project = "projects/<int:project_pk>/"
indicator = f"{project}indicators/<int:indicator_pk>/"
result = f"{project}results/<int:result_pk>/"
urlpatterns = [
    path(project, views.project_results, name="project"),
    path(f"{project}framework/", views.framework_detail, name="framework"),
    path(f"{project}framework/create/", views.framework_create, name="framework_create"),
    path(f"{project}framework/edit/", views.framework_edit, name="framework_edit"),
    path(f"{project}framework.xlsx", views.framework_export, name="framework_export"),
    path(f"{project}framework/import/", views.framework_import, name="framework_import"),
    path(f"{project}results/add/", views.result_add, name="result_add"),
    path(f"{result}edit/", views.result_edit, name="result_edit"),
    path(f"{result}remove/", views.result_remove, name="result_remove"),
    path(f"{result}indicators/add/", views.indicator_add, name="indicator_add"),
    path(indicator, views.indicator_detail, name="indicator"),
    path(f"{indicator}edit/", views.indicator_edit, name="indicator_edit"),
    path(f"{indicator}remove/", views.indicator_remove, name="indicator_remove"),
    path(f"{indicator}targets/", views.indicator_targets, name="indicator_targets"),
    path(f"{indicator}sheet/", views.indicator_sheet, name="indicator_sheet"),
    path(f"{indicator}records/", views.indicator_records_view, name="indicator_records"),
]
