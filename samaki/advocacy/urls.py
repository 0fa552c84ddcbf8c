from django.urls import path

from samaki.advocacy import views

app_name = "advocacy"
urlpatterns = [
    path("", views.request_list_view, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
]
