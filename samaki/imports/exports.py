"""Lists out to XLSX and CSV, optionally with an HXL hashtag row under the headers.

Exports carry no names, phones or dates of birth: people appear by their Samaki number and
external ID, with sex, birth year, village and derived disability — enough to count and join,
not to identify. The rows come from the same scoped queries as the pages, in one query each.
"""

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable
from typing import Any

import openpyxl
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samaki.activities.queries import activity_list, attendance_list
from samaki.groups.queries import group_list, membership_list
from samaki.outcomes.queries import outcome_list
from samaki.people.models import Person
from samaki.people.queries import person_list
from samaki.spreadsheets import safe_cell


@dataclasses.dataclass(frozen=True)
class ExportColumn:
    field: str  # a lookup for .values_list()
    header: str | Promise
    hxl: str


@dataclasses.dataclass(frozen=True)
class ExportList:
    name: str
    title: str | Promise
    query: Callable[..., models.QuerySet]
    columns: list[ExportColumn]

    def rows(self, user: Any) -> Iterable[tuple]:
        queryset = self.query(user=user)
        if self.name == "people":
            queryset = queryset.annotate(disability=Person.disability_expression())
        return queryset.order_by("pk").values_list(*[c.field for c in self.columns])


C = ExportColumn
EXPORTS = {
    export.name: export
    for export in [
        ExportList(
            "people",
            _("People"),
            person_list,
            [
                C("pk", _("Samaki number"), "#beneficiary +id"),
                C("external_id", _("External ID"), "#beneficiary +code"),
                C("sex", _("Sex"), "#beneficiary +sex"),
                C("birth_year", _("Year of birth"), "#beneficiary +birth_year"),
                C("village__code", _("Village code"), "#loc +village +code"),
                C("village__province__code", _("Province code"), "#adm1 +code"),
                C("village__district__code", _("District code"), "#adm2 +code"),
                C("disability", _("Disability (WG-SS)"), "#beneficiary +disabled"),
                C("id_poor", _("ID Poor"), "#beneficiary +idpoor"),
                C("registered_on", _("Registered on"), "#date +registered"),
            ],
        ),
        ExportList(
            "groups",
            _("Groups"),
            group_list,
            [
                C("pk", _("Samaki number"), "#group +id"),
                C("external_id", _("External ID"), "#group +code"),
                C("name_en", _("Name (English)"), "#group +name +i_en"),
                C("name_km", _("Name (Khmer)"), "#group +name +i_km"),
                C("kind__code", _("Kind"), "#group +type"),
                C("area__code", _("Area code"), "#loc +code"),
                C("founded_on", _("Founded on"), "#date +start"),
            ],
        ),
        ExportList(
            "memberships",
            _("Group memberships"),
            membership_list,
            [
                C("group_id", _("Group number"), "#group +id"),
                C("person_id", _("Person number"), "#beneficiary +id"),
                C("role", _("Role"), "#beneficiary +role"),
                C("joined_on", _("Joined on"), "#date +start"),
                C("left_on", _("Left on"), "#date +end"),
            ],
        ),
        ExportList(
            "activities",
            _("Activities"),
            activity_list,
            [
                C("pk", _("Samaki number"), "#activity +id"),
                C("external_id", _("External ID"), "#activity +code"),
                C("kind__code", _("Kind"), "#activity +type"),
                C("title", _("Title"), "#activity +name"),
                C("date", _("Date"), "#date"),
                C("area__code", _("Area code"), "#loc +code"),
                C("project__code", _("Project"), "#activity +project +code"),
            ],
        ),
        ExportList(
            "attendance",
            _("Attendance"),
            attendance_list,
            [
                C("activity_id", _("Activity number"), "#activity +id"),
                C("activity__date", _("Date"), "#date"),
                C("person_id", _("Person number"), "#beneficiary +id"),
                C("person__sex", _("Sex"), "#beneficiary +sex"),
            ],
        ),
        ExportList(
            "outcomes",
            _("Outcomes"),
            outcome_list,
            [
                C("pk", _("Samaki number"), "#output +id"),
                C("person_id", _("Person number"), "#beneficiary +id"),
                C("kind__code", _("Kind"), "#output +type"),
                C("date", _("Date"), "#date +reported"),
            ],
        ),
    ]
}


def _cell(value: Any) -> Any:
    return "" if value is None else safe_cell(value)


def to_csv(headers: list[str], hxl: list[str] | None, rows: Iterable[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(header) for header in headers])
    if hxl:
        writer.writerow([_cell(tag) for tag in hxl])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes Excel read UTF-8 Khmer


def to_xlsx(title: str, headers: list[str], hxl: list[str] | None, rows: Iterable[tuple]) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([_cell(header) for header in headers])
    if hxl:
        sheet.append([_cell(tag) for tag in hxl])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
