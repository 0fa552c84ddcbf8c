from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from samaki.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("samaki.accounts.urls")),
    path("people/", include("samaki.people.urls")),
    path("groups/", include("samaki.groups.urls")),
    path("activities/", include("samaki.activities.urls")),
    path("outcomes/", include("samaki.outcomes.urls")),
    path("projects/", include("samaki.projects.urls")),
    path("results/", include("samaki.results.urls")),
    path("reports/", include("samaki.reports.urls")),
    path("periods/", include("samaki.periods.urls")),
    path("cases/", include("samaki.cases.urls")),
    path("openrosa/", include("samaki.openrosa.urls")),
    path("imports/", include("samaki.imports.urls")),
    path("api/", include("samaki.api.urls")),
    path("feedback/", include("samaki.feedback.urls")),
    path("advocacy/", include("samaki.advocacy.urls")),
    path("learning/", include("samaki.learning.urls")),
    path("budgets/", include("samaki.budgets.urls")),
    path("exchange/", include("samaki.exchange.urls")),
    path("settings/vocabularies/", include("samaki.organisations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
