from django.urls import path

from samaki.periods import views

app_name = "periods"
urlpatterns = [
    path("<int:pk>/", views.period_detail, name="detail"),
    path("<int:pk>/reopen/", views.period_reopen_view, name="reopen"),
]
