from django.urls import path

from samaki.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.learning_home, name="home"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/export.<str:fmt>", views.round_export, name="round_export"),
    path("capacity/<int:pk>/", views.capacity_detail, name="capacity"),
    path("consortia/<int:pk>/", views.consortium_compare, name="compare"),
    path("consortia/<int:pk>/rounds/new/", views.round_create, name="round_new"),
    path("tools/", views.tool_list, name="tools"),
    path("tools/new/", views.tool_create, name="tool_new"),
    path("tools/<int:pk>/", views.tool_detail, name="tool"),
    path("tools/<int:pk>/edit/", views.tool_edit, name="tool_edit"),
    path("tools/<int:pk>/assess/", views.tool_assess, name="tool_assess"),
]
