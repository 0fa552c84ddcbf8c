from django.urls import path

from samaki.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.vocabulary_list_view, name="vocabularies"),
    path("<slug:vocabulary>/new/", views.term_add_view, name="term_add"),
    path("<slug:vocabulary>/<int:pk>/", views.term_edit_view, name="term_edit"),
    path("<slug:vocabulary>/<int:pk>/retire/", views.term_retire_view, name="term_retire"),
    path("<slug:vocabulary>/<int:pk>/restore/", views.term_restore_view, name="term_restore"),
]
