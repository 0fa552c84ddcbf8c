from django.urls import path

from samaki.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("new/<int:person_pk>/", views.outcome_create, name="create"),
    path("<int:pk>/edit/", views.outcome_edit, name="edit"),
    path("<int:pk>/void/", views.outcome_void_view, name="void"),
]
