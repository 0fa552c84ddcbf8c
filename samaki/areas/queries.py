from typing import Any

from django.db import models

from samaki.areas.models import Area


def area_list(*, user: Any) -> models.QuerySet[Area]:
    """The gazetteer is shared reference data: everyone reads all of it."""
    return Area.objects.all()
