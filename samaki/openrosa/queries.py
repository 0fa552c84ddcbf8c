from typing import Any

from django.db import models

from samaki.accounts import access
from samaki.api.models import Token
from samaki.openrosa.models import Submission, XForm
from samaki.organisations.queries import scope_to_user


def xform_list(*, user: Any) -> models.QuerySet[XForm]:
    return scope_to_user(XForm.objects.all(), user=user)


def xform_list_for_device(*, device: Token) -> models.QuerySet[XForm]:
    """The forms served to a phone: its organisation's active forms."""
    return XForm.objects.filter(organisation_id=device.organisation_id, active=True).order_by(
        "title", "id"
    )


def submission_list(*, user: Any) -> models.QuerySet[Submission]:
    """Submissions of her organisation; a facilitator sees those her own devices sent."""
    queryset = scope_to_user(Submission.objects.select_related("xform", "device"), user=user)
    if access.sees_own_rows_only(user):
        queryset = queryset.filter(device__user=user)
    return queryset
