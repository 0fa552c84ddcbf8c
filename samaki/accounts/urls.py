from django.urls import path

from samaki.accounts import views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDone.as_view(), name="password_change_done"),
    path("welcome/<str:token>/", views.welcome, name="welcome"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/invite/", views.user_invite_view, name="user_invite"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate_view, name="user_reactivate"),
    path("users/<int:pk>/reset/", views.user_reset_view, name="user_reset"),
]
