from django.urls import path

from samaki.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.learning_home, name="home"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/export.<str:fmt>", views.round_export, name="round_export"),
    path("capacity/<int:pk>/", views.capacity_detail, name="capacity"),
    path("consortia/<int:pk>/", views.consortium_compare, name="compare"),
]
