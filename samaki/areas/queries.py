from typing import Any

from django.db import models

from samaki.areas.models import Area


def area_list(*, user: Any) -> models.QuerySet[Area]:
    """The gazetteer is shared reference data: everyone reads all of it."""
    return Area.objects.all()


def area_children(*, parent_code: str | None) -> models.QuerySet[Area]:
    """The gazetteer one level down (provinces when `parent_code` is empty). Shared by everyone."""
    if not parent_code:
        return Area.objects.filter(parent__isnull=True).order_by("name_en")
    return Area.objects.filter(parent__code=parent_code).order_by("name_en")


def area_chain(*, code: str) -> list[Area]:
    """The area with `code` and its ancestors, top first; empty if there is none."""
    area = Area.objects.filter(code=code).select_related("province", "district", "commune").first()
    if area is None:
        return []
    chain: list[Area] = []
    for level in (area.province, area.district, area.commune, area):  # a level's own is itself
        if level is not None and level.pk not in {known.pk for known in chain}:
            chain.append(level)
    return chain


def area_by_code(*, code: str) -> Area | None:
    return Area.objects.filter(code=code).first() if code else None
