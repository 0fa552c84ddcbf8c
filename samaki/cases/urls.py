from django.urls import path

from samaki.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("verify/", views.verify, name="verify"),
    path("new/", views.intake, name="intake"),
    path("providers/", views.provider_list_view, name="providers"),
    path("report/", views.report, name="report"),
    path("beds/", views.beds, name="beds"),
    path("staff/", views.staff_list_view, name="staff"),
    path("staff/<int:pk>/role/", views.staff_role, name="staff_role"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/enrol/", views.staff_enrol, name="staff_enrol"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/reveal/", views.reveal_name, name="reveal"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/services/new/", views.service_add, name="service_add"),
    path("<int:pk>/stays/new/", views.stay_admit, name="stay_admit"),
    path("<int:pk>/stays/<int:stay_pk>/discharge/", views.stay_discharge, name="stay_discharge"),
    path("<int:pk>/referrals/new/", views.referral_add, name="referral_add"),
    path("<int:pk>/referrals/<int:referral_pk>/", views.referral_update, name="referral"),
    path("<int:pk>/referrals/<int:referral_pk>/slip/", views.referral_slip, name="slip"),
    path("<int:pk>/follow-ups/new/", views.follow_up_add, name="follow_up_add"),
    path(
        "<int:pk>/follow-ups/<int:follow_up_pk>/done/", views.follow_up_done, name="follow_up_done"
    ),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/grants/new/", views.grant_add, name="grant_add"),
    path("<int:pk>/export.json", views.case_export, name="export"),
]
