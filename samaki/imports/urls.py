from django.urls import path

from samaki.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("export/<str:name>.<str:extension>", views.export_download, name="export"),
]
