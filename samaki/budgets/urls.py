from django.urls import path

from samaki.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_home, name="home"),
    path("projects/<int:pk>/", views.budget_project, name="project"),
    path("projects/<int:pk>/lines/new/", views.budget_line_create, name="line_create"),
    path("projects/<int:pk>/lines/<int:line_pk>/edit/", views.budget_line_edit, name="line_edit"),
    path(
        "projects/<int:pk>/spending/<int:expenditure_pk>/edit/",
        views.expenditure_edit,
        name="expenditure_edit",
    ),
    path("projects/<int:pk>/import/", views.budget_lines_import_view, name="import"),
    path("projects/<int:pk>/import/template.xlsx", views.budget_lines_template, name="template"),
]
