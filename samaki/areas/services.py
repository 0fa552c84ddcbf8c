"""Loading the gazetteer: idempotent, whole or nothing."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from samaki.areas.models import Area, AreaLevel

CAMBODIA_CSV = Path(__file__).resolve().parent.parent / "data" / "cambodia" / "kh_admin_all.csv"
CAMBODIA_DATASET = "ncdd-pumi-4bd000ba"
LEVEL_ORDER = [AreaLevel.PROVINCE, AreaLevel.DISTRICT, AreaLevel.COMMUNE, AreaLevel.VILLAGE]


@dataclass(frozen=True)
class GazetteerResult:
    created: int
    updated: int
    unchanged: int


FIELDS = ["name_km", "name_en", "name_ungegn", "unit_km", "unit_en", "level", "dataset"]


def gazetteer_load(
    *, path: Path = CAMBODIA_CSV, dataset: str = CAMBODIA_DATASET
) -> GazetteerResult:
    """Create or update every area in the CSV; running it again changes nothing.

    Rows are loaded level by level so that every parent exists before its children.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {row["code"]: row for row in rows}
    for row in rows:
        if row["level"] not in AreaLevel.values:
            raise ValidationError(f"Area {row['code']}: unknown level {row['level']!r}.")
        if row["parent_code"] and row["parent_code"] not in by_code:
            raise ValidationError(f"Area {row['code']}: parent {row['parent_code']} is missing.")

    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {area.code: area for area in Area.objects.all()}
        for level in LEVEL_ORDER:
            to_create, to_update = [], []
            for row in rows:
                if row["level"] != level:
                    continue
                parent = existing.get(row["parent_code"]) if row["parent_code"] else None
                values = {
                    "name_km": row["name_km"],
                    "name_en": row["name_en"],
                    "name_ungegn": row["name_ungegn"],
                    "unit_km": row["unit_km"],
                    "unit_en": row["unit_en"],
                    "level": row["level"],
                    "dataset": dataset,
                }
                area = existing.get(row["code"])
                if area is None:
                    area = Area(code=row["code"], **values)
                    _place(area, parent)
                    to_create.append(area)
                    continue
                if any(getattr(area, key) != value for key, value in values.items()) or (
                    area.parent_id != (parent.pk if parent else None)
                ):
                    for key, value in values.items():
                        setattr(area, key, value)
                    _place(area, parent)
                    to_update.append(area)
                else:
                    unchanged += 1
            Area.objects.bulk_create(to_create, batch_size=2000)
            if to_update:
                Area.objects.bulk_update(
                    to_update,
                    [*FIELDS, "parent", "path", "province", "district", "commune"],
                    batch_size=2000,
                )
            _own_level([*to_create, *to_update], level)
            created += len(to_create)
            updated += len(to_update)
            for area in to_create:
                existing[area.code] = area
    return GazetteerResult(created=created, updated=updated, unchanged=unchanged)


def _place(area: Area, parent: Area | None) -> None:
    """Set the parent, the path and the strict ancestors; `_own_level` sets the area's own."""
    area.parent = parent
    area.path = (parent.path if parent else "") + area.code + "/"
    area.province_id = parent.province_id if parent else None
    area.district_id = parent.district_id if parent else None
    area.commune_id = parent.commune_id if parent else None


def _own_level(areas: list[Area], level: str) -> None:
    """An area is its own ancestor at its level (a district's `district` is itself), so figures
    group by any level without special cases."""
    field = {
        AreaLevel.PROVINCE: "province_id",
        AreaLevel.DISTRICT: "district_id",
        AreaLevel.COMMUNE: "commune_id",
    }.get(AreaLevel(level))
    if field is None:
        return
    for area in areas:
        setattr(area, field, area.pk)
    if areas:
        Area.objects.filter(level=level).update(**{field: models.F("pk")})
