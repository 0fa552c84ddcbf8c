from django.urls import path

from samaki.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_home, name="home"),
    path("projects/<int:pk>/", views.budget_project, name="project"),
]
