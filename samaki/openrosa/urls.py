from django.urls import include, path

from samaki.openrosa import views

app_name = "openrosa"


def phone_urls(prefix: str) -> list:
    """The OpenRosa endpoints; `prefix` tells the URL names with the token in the path apart."""
    return [
        path("formList", views.form_list, name=f"{prefix}form-list"),
        path("forms/<int:pk>/form.xml", views.form_download, name=f"{prefix}form-download"),
        path("forms/<int:pk>/manifest", views.form_manifest, name=f"{prefix}form-manifest"),
        path("submission", views.submission, name=f"{prefix}submission"),
    ]


urlpatterns = [
    # The server URL a phone is given is /openrosa (with Basic) or /openrosa/key/<token>.
    path("", views.form_list, name="root"),
    path("", include(phone_urls(""))),
    path("key/<str:key>/", views.form_list, name="key-root"),
    path("key/<str:key>/", include(phone_urls("key-"))),
    path("admin/forms/", views.form_admin, name="forms"),
    path("admin/forms/<str:form_id>.xlsx", views.shipped_xlsform, name="shipped-xlsform"),
    path("admin/devices/", views.device_list, name="devices"),
    path("admin/devices/<int:pk>/revoke/", views.device_revoke, name="device-revoke"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:pk>/", views.review_action, name="review-action"),
]
