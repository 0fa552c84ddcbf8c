from django.urls import path

from samaki.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list_view, name="list"),
    path("<int:pk>/", views.group_detail, name="detail"),
]
