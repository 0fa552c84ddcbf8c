from django.urls import path

from samaki.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list_view, name="list"),
    path("<int:pk>/", views.activity_detail, name="detail"),
]
