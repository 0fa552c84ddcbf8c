from django.urls import path

from samaki.exchange import views

app_name = "exchange"
urlpatterns = [
    path("projects/<int:project_pk>/iati.xml", views.iati_download, name="iati"),
]
