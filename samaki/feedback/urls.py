from django.urls import path

from samaki.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.feedback_list_view, name="list"),
    path("new/", views.feedback_new, name="new"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("focal-points/", views.focal_points, name="focal_points"),
    path("say/<slug:slug>/", views.public_file, name="public_file"),
    path("follow-up/", views.public_follow_up, name="public_follow_up"),
]
