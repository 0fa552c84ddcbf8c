from django.urls import path

from samaki.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
]
