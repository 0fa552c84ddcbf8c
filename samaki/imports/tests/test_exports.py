"""Lists out to XLSX and CSV with an optional HXL row: scoped, nothing identifying, constant queries."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samaki.imports.exports import EXPORTS


def export(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_people_csv_with_hxl_names_nobody(client, personas):
    dara = personas.person(name="Sok Dara", wg_walking=3, external_id="BS-1")
    response = export(client, personas.admin, "/imports/export/people.csv?hxl=1")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Samaki number", "External ID", "Sex"]
    assert rows[1][:3] == ["#beneficiary +id", "#beneficiary +code", "#beneficiary +sex"]
    assert rows[2][:3] == [str(dara.pk), "BS-1", "female"]
    assert rows[2][rows[0].index("Disability (WG-SS)")] == "yes"
    assert "Sok Dara" not in response.content.decode("utf-8-sig")
    assert len(rows) == 3


def test_xlsx_without_hxl_has_headers_then_rows(client, personas):
    personas.person(name="Sok Dara")
    response = export(client, personas.admin, "/imports/export/people.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Samaki number"
    assert len(rows) == 2


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_outsider_exports_none_of_homes_rows(client, personas, name):
    personas.person(name="Sok Dara")
    response = export(client, personas.outsider, f"/imports/export/{name}.csv")
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1


def test_export_query_count_does_not_grow_with_rows(client, personas):
    personas.person(name="A")
    client.force_login(personas.admin)
    with CaptureQueriesContext(connection) as few:
        client.get("/imports/export/people.xlsx")
    for n in range(20):
        personas.person(name=f"P{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/imports/export/people.xlsx")
    assert len(many) == len(few)
