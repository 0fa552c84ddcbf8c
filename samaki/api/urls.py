from django.urls import path

from samaki.api.api import api

urlpatterns = [path("v1/", api.urls)]
