"""Reflection answers that look like formulas are written inert in the round's spreadsheet."""

import io

import openpyxl
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.learning.services import reflection_answer

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)"]


def test_formula_answers_are_exported_as_text(client, personas, consortium):
    round_ = consortium["round"]
    prompts = list(round_.prompts.order_by("order"))
    reflection_answer(
        round=round_,
        organisation=personas.home,
        by=SYSTEM,
        answers={prompt.pk: text for prompt, text in zip(prompts, HOSTILE, strict=True)},
    )
    client.force_login(personas.outsider)
    response = client.get(reverse("learning:round_export", args=[round_.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    home = next(row for row in sheet.iter_rows(min_row=5) if row[0].value == str(personas.home))
    assert [cell.value for cell in home[1:4]] == ["'" + text for text in HOSTILE]
    assert all(cell.data_type == "s" for cell in home[1:4])
