"""Every real XLSForm converts or yields row-level errors; Samaki's own forms convert cleanly."""

from pathlib import Path

import pytest
from defusedxml import ElementTree

from samaki.openrosa.models import XForm
from samaki.openrosa.services import form_publish, shipped_form_publish
from samaki.openrosa.xlsforms import SHIPPED, WG_ROWS, XLSFormError, xlsform_convert, xlsx_bytes

ARTIFACTS = Path(__file__).parent / "artifacts"
REAL_FORMS = sorted((ARTIFACTS / "xlsforms").glob("*.xls*")) + sorted(
    (ARTIFACTS / "kobocat" / "transportation").glob("*.xls")
)
# What strict pyxform 4.5.0 says of each (see artifacts/xlsforms/README.md).
EXPECTED_ERRORS = {
    "01_unhcr_pma_style_household_roster_female_eligibility.xlsx": [7, 8, 9, 13],
    "02_unicef_liberia_coverage_mothers_ifa_iycf_counselling.xlsx": [126],
    "03_unicef_liberia_coverage_village_form.xlsx": [6],
    "07_kobocat_maternal_child_health_v1_legacy_syntax.xls": [None],
    "08_kobocat_enumerator_weekly_feedback_swahili.xls": [None],
}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", REAL_FORMS, ids=lambda path: path.name)
def test_every_real_xlsform_converts_or_names_its_rows(path):
    assert len(REAL_FORMS) == 11
    try:
        converted = xlsform_convert(path.read_bytes(), file_name=path.name)
    except XLSFormError as error:
        assert path.name in EXPECTED_ERRORS
        assert [e.row for e in error.errors] == EXPECTED_ERRORS[path.name]
        assert all(e.message for e in error.errors)
    else:
        assert path.name not in EXPECTED_ERRORS
        assert converted.form_id
        ElementTree.fromstring(converted.xml.encode())  # well-formed


def test_duplicate_choices_are_reported_by_row(personas):
    path = ARTIFACTS / "xlsforms" / "03_unicef_liberia_coverage_village_form.xlsx"
    with pytest.raises(XLSFormError) as caught:
        form_publish(
            organisation=personas.home,
            by=personas.admin,
            xlsform=path.read_bytes(),
            file_name=path.name,
            purpose="keep",
        )
    (error,) = caught.value.errors
    assert error.row == 6
    assert "Choice names must be unique" in error.message
    assert XForm.objects.count() == 0


def test_garbage_is_an_error_not_a_crash(personas):
    with pytest.raises(XLSFormError):
        xlsform_convert(b"PK\x03\x04 not really a workbook", file_name="x.xlsx")


@pytest.mark.parametrize("form_id", sorted(SHIPPED))
def test_shipped_forms_convert_without_warnings(form_id):
    converted = xlsform_convert(xlsx_bytes(SHIPPED[form_id]), file_name=f"{form_id}.xlsx")
    assert converted.form_id == form_id
    assert converted.warnings == []


def test_registration_form_asks_the_wg_questions_in_official_wording(personas):
    xform = shipped_form_publish(
        organisation=personas.home, by=personas.admin, form_id="samaki_person_registration"
    )
    for _name, english, khmer in WG_ROWS:
        assert f"<value>{english}</value>" in xform.xml
        assert f"<value>{khmer}</value>" in xform.xml
    assert "Do you have difficulty seeing, even if wearing glasses?" in xform.xml


def test_only_an_administrator_publishes(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        shipped_form_publish(
            organisation=personas.home, by=personas.me_officer, form_id="samaki_session_attendance"
        )
    with pytest.raises(PermissionDenied):
        shipped_form_publish(
            organisation=personas.home, by=personas.outsider, form_id="samaki_session_attendance"
        )
