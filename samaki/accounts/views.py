from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samaki.accounts.forms import PasswordChangeForm
from samaki.accounts.models import User
from samaki.activities.queries import activity_list
from samaki.groups.queries import group_list
from samaki.people.queries import person_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]  # login_required
    counts = None
    if user.can_read_people:
        counts = {
            "people": person_list(user=request.user).count(),
            "groups": group_list(user=request.user).count(),
            "activities": activity_list(user=request.user).count(),
        }
    return render(request, "home.html", {"counts": counts})


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
