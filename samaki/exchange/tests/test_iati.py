"""The IATI 2.03 export: valid against the official XSD and the codelists, its figures the
engine's, small cells suppressed, nobody named, and refused clearly when it cannot be honest."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.exchange import iati
from samaki.exchange.iati import IatiRefused, actuals, build_iati, codelist_errors, schema_errors
from samaki.organisations.services import organisation_set_iati_identifier
from samaki.people.models import Person
from samaki.projects.models import Project
from samaki.projects.services import project_create
from samaki.results.engine import (
    Dimension,
    IndicatorDefinition,
    IndicatorValue,
    Measure,
    Period,
)
from samaki.results.models import Indicator, ResultsFramework
from samaki.results.queries import Band, IndicatorProgress, indicator_value

ARTIFACTS = Path(__file__).parent / "artifacts" / "iati"
TODAY = datetime.date(2024, 10, 15)
Q3 = Period.parse("2024Q3")
# A small valid file with real codes (IATI's conformance files use placeholders such as "xx").
MINIMAL = b"""<iati-activities version="2.03">
 <iati-activity xml:lang="en" default-currency="USD">
  <iati-identifier>XM-EXAMPLE-1-A1</iati-identifier>
  <reporting-org ref="XM-EXAMPLE-1" type="24"><narrative>Example NGO</narrative></reporting-org>
  <title><narrative>Example</narrative></title>
  <description><narrative>Example.</narrative></description>
  <participating-org role="1"><narrative>A donor</narrative></participating-org>
  <participating-org role="4" ref="XM-EXAMPLE-1"><narrative>Example NGO</narrative></participating-org>
  <activity-status code="2"/><activity-date type="1" iso-date="2024-01-01"/>
  <result type="1"><title><narrative>Women trained</narrative></title>
   <indicator measure="1"><title><narrative>People trained</narrative></title></indicator>
  </result>
 </iati-activity>
</iati-activities>"""


def _tree(content: bytes) -> etree._Element:
    return etree.fromstring(content)


# --- the validator can pass and fail ----------------------------------------------------------


@pytest.mark.parametrize("path", sorted((ARTIFACTS / "should-pass").glob("*.xml")), ids=str)
def test_iatis_own_should_pass_files_validate(path):
    assert schema_errors(path.read_bytes()) == []


@pytest.mark.parametrize(
    "path", sorted((ARTIFACTS / "should-fail-result").glob("*.xml")), ids=lambda p: p.name
)
def test_iatis_own_should_fail_result_files_fail(path):
    assert schema_errors(path.read_bytes()) != []


def test_the_validator_reads_no_network():
    """The schema's includes resolve from its own folder (xml.xsd names w3.org only in text)."""
    text = (iati.SCHEMA_DIR / "iati-activities-schema.xsd").read_text()
    assert 'schemaLocation="iati-common.xsd"' in text and 'schemaLocation="xml.xsd"' in text
    assert schema_errors(b"<iati-activities/>") != []  # no @version: the schema is loaded


def test_the_codelist_check_passes_known_codes_and_fails_an_invented_one():
    assert schema_errors(MINIMAL) == [] and codelist_errors(MINIMAL) == []
    invented = MINIMAL.replace(b'role="1"', b'role="7"', 1)
    assert schema_errors(invented) == []  # the XSD lets any text through
    errors = codelist_errors(invented)
    assert errors == ["line 7: participating-org/@role “7” is not in OrganisationRole"]
    assert codelist_errors(MINIMAL.replace(b'measure="1"', b'measure="Unit"')) != []


def test_the_codelist_check_fails_a_withdrawn_code(tmp_path, monkeypatch):
    shutil.copytree(iati.CODELIST_DIR, tmp_path / "codelists")
    path = tmp_path / "codelists" / "OrganisationRole.xml"
    text = path.read_text()
    first = text.index("<codelist-item>")
    path.write_text(text[:first] + '<codelist-item status="withdrawn">' + text[first + 15 :])
    monkeypatch.setattr(iati, "CODELIST_DIR", tmp_path / "codelists")
    iati.codelist.cache_clear()
    try:
        errors = codelist_errors(MINIMAL)
        assert errors == ["line 7: participating-org/@role “1” is withdrawn from OrganisationRole"]
    finally:
        iati.codelist.cache_clear()


# --- small cells --------------------------------------------------------------------------------


def _progress(cells: dict[tuple[str, ...], int], dimensions) -> IndicatorProgress:
    definition = IndicatorDefinition(measure=Measure.DISTINCT_PEOPLE, dimensions=dimensions)
    value = IndicatorValue(definition, Q3, sum(cells.values()), cells)
    indicator = Indicator(kind="number")
    return IndicatorProgress(indicator, value, None, None, Band.NO_TARGET)


def test_a_cell_below_the_threshold_never_leaves_nor_the_one_that_would_give_it_back():
    by_sex = _progress({("female",): 40, ("male",): 3}, (Dimension.SEX,))
    # 3 men is hidden; 40 women would give it back from the total 43, so it is hidden too.
    assert actuals(by_sex) == [("43", ())]
    by_age = _progress({("18-24",): 2, ("25-49",): 30, ("50+",): 10}, (Dimension.AGE_BAND,))
    assert actuals(by_age) == [("42", ()), ("30", (("age", "25-49"),))]
    assert actuals(_progress({("female",): 4}, (Dimension.SEX,))) == []  # a total of 4: nothing
    shown = _progress({("female",): 12, ("male",): 0}, (Dimension.SEX,))
    assert actuals(shown) == [("12", ()), ("12", (("sex", "female"),)), ("0", (("sex", "male"),))]


# --- refusals and access (no demo needed) -----------------------------------------------------


@pytest.fixture
def project(personas) -> Project:
    return project_create(
        organisation=personas.home,
        by=personas.admin,
        code="home-2024",
        name_en="Home project",
        name_km="គម្រោង",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        donor=personas.donor,
        target_area_codes=["1702"],
    )


def _identify(project: Project, identifier: str = "XM-EXAMPLE-HOME") -> None:
    organisation_set_iati_identifier(
        by=SYSTEM, organisation=project.organisation, iati_identifier=identifier
    )
    project.organisation.refresh_from_db()


def test_without_an_iati_identifier_the_export_is_refused_naming_where_to_set_it(project):
    with pytest.raises(IatiRefused, match="samaki organisation set-iati-identifier --slug home"):
        build_iati(project, by=SYSTEM, today=TODAY)
    with pytest.raises(CommandError, match="has no IATI organisation identifier"):
        call_command("export", "iati", project="home-2024")


def test_a_malformed_identifier_is_refused_and_nothing_changes(project, personas):
    with pytest.raises(ValidationError):
        organisation_set_iati_identifier(
            by=personas.admin, organisation=personas.home, iati_identifier="home org/1"
        )
    personas.home.refresh_from_db()
    assert personas.home.iati_identifier == ""
    with pytest.raises(PermissionDenied):
        organisation_set_iati_identifier(
            by=personas.me_officer, organisation=personas.home, iati_identifier="XM-EXAMPLE-1"
        )


def test_setting_the_identifier_is_audited(personas, capsys):
    call_command(
        "organisation", "set-iati-identifier", "--slug", "home", "--identifier", "XM-EXAMPLE-1"
    )
    personas.home.refresh_from_db()
    assert personas.home.iati_identifier == "XM-EXAMPLE-1"
    event = AuditEvent.objects.get(action="organisation.update", object_id=personas.home.pk)
    assert (event.before["iati_identifier"], event.after["iati_identifier"]) == ("", "XM-EXAMPLE-1")


def test_a_project_without_results_or_budget_is_still_a_valid_file(project):
    _identify(project)
    content = build_iati(project, by=SYSTEM, today=TODAY)
    assert schema_errors(content) == [] and codelist_errors(content) == []
    root = _tree(content)
    assert root.findtext(".//iati-identifier") == "XM-EXAMPLE-HOME-home-2024"
    assert root.find(".//reporting-org").get("ref") == "XM-EXAMPLE-HOME"
    roles = [(o.get("role"), o.findtext("narrative")) for o in root.iter("participating-org")]
    assert roles == [("1", "A Donor"), ("4", "Home Organisation")]
    assert root.find(".//activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in root.iter("activity-date")}
    assert dates == {"1": "2024-01-01", "2": "2024-01-01", "3": "2024-12-31"}
    assert [loc.get("ref") for loc in root.iter("location")] == ["KH-NCDD-1702"]
    title = root.find(".//title")
    assert [n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in title] == [None, "km"]


def _download(client, user, project):
    client.force_login(user)
    return client.get(reverse("exchange:iati", args=[project.pk]))


def test_managers_and_the_donors_viewer_download_the_file(client, project, personas):
    _identify(project)
    for user in (personas.admin, personas.me_officer, personas.donor_viewer):
        response = _download(client, user, project)
        assert response.status_code == 200, user
        assert response["Content-Disposition"] == 'attachment; filename="iati-home-2024.xml"'
        assert schema_errors(response.content) == []


def test_anyone_else_gets_404(client, project, personas):
    _identify(project)
    for user in (personas.outsider, personas.viewer, personas.facilitator):
        assert _download(client, user, project).status_code == 404, user
    with pytest.raises(CommandError, match="No project"):
        call_command("export", "iati", project="home-2024", by="outsider")
    with pytest.raises(PermissionDenied):
        build_iati(project, by=personas.viewer, today=TODAY)


def test_the_download_without_identifier_goes_back_to_the_project_with_what_to_do(
    client, project, personas
):
    response = _download(client, personas.admin, project)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    page = client.get(response["Location"])
    assert "set-iati-identifier" in page.content.decode()


def test_the_project_page_offers_the_download_to_those_who_may_have_it(client, project, personas):
    link = reverse("exchange:iati", args=[project.pk])
    for user, shown in (
        (personas.admin, True),
        (personas.donor_viewer, True),
        (personas.viewer, False),
    ):
        client.force_login(user)
        page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
        assert (link in page) is shown, user


# --- the demo's project -----------------------------------------------------------------------


@pytest.fixture
def ccdo(demo) -> Project:
    project = Project.objects.select_related("organisation").get(code="ccdo-elc-2024")
    _identify(project, "XM-EXAMPLE-CCDO")
    return project


@pytest.fixture
def ccdo_file(ccdo) -> bytes:
    return build_iati(ccdo, by=SYSTEM, today=TODAY)


@pytest.mark.django_db
def test_the_demo_projects_file_is_schema_valid_and_codelist_consistent(ccdo_file):
    assert schema_errors(ccdo_file) == []
    assert codelist_errors(ccdo_file) == []
    root = _tree(ccdo_file)
    assert root.get("version") == "2.03"
    assert len(root.findall("iati-activity")) == 1
    assert {r.get("type") for r in root.iter("result")} <= {"1", "2", "3"}
    assert root.findall(".//budget") and root.findall(".//transaction")
    assert {t.get("code") for t in root.iter("transaction-type")} == {"4"}


def _period(root, indicator_title: str, period: Period):
    for indicator in root.iter("indicator"):
        if indicator.findtext("title/narrative") != indicator_title:
            continue
        for node in indicator.iter("period"):
            if node.find("period-start").get("iso-date") == period.start.isoformat():
                return node
    raise AssertionError(f"no period {period} for {indicator_title}")


@pytest.mark.django_db
def test_the_q3_actuals_are_the_engines_and_the_reports(ccdo, ccdo_file):
    framework = ResultsFramework.objects.get(project=ccdo)
    indicator = Indicator.objects.get(result__framework=framework, code="1.1")
    engine = indicator_value(indicator, framework=framework, period=Q3)
    assert engine.value.total == 246  # the Q3 report's figure for 1.1
    node = _period(_tree(ccdo_file), indicator.name_en, Q3)
    assert node.find("target").get("value") == "250"
    figures = {
        tuple((d.get("name"), d.get("value")) for d in actual.iter("dimension")): actual.get(
            "value"
        )
        for actual in node.iter("actual")
    }
    assert figures[()] == "246"
    assert figures[(("sex", "female"),)] == str(engine.value.by(Dimension.SEX)["female"]) == "246"
    ages = {key[0][1]: int(v) for key, v in figures.items() if key and key[0][0] == "age"}
    assert ages == {"0-17": 33, "18-24": 63, "25-49": 100, "50+": 50}
    assert ages == engine.value.by(Dimension.AGE_BAND)


@pytest.mark.django_db
def test_no_count_below_the_threshold_leaves(ccdo_file):
    values = [actual.get("value") for actual in _tree(ccdo_file).iter("actual")]
    assert values
    counts = [float(v) for v in values]
    assert not [n for n in counts if 0 < n < 5 and n == int(n)], values


@pytest.mark.django_db
def test_nobody_is_named_in_the_file(ccdo, ccdo_file):
    text = ccdo_file.decode()
    people = Person.objects.filter(organisation=ccdo.organisation)
    names = {n for n in people.values_list("name_latin", flat=True) if len(n) > 3}
    names |= {n for n in people.values_list("name_km", flat=True) if n}
    phones = {p for p in people.values_list("phone", flat=True) if p}
    assert names and not [name for name in names if name in text]
    assert not [phone for phone in phones if phone in text]
    assert "P0" not in text  # no Samaki person number either


@pytest.mark.django_db
def test_the_command_writes_the_same_valid_file(ccdo, tmp_path):
    out = tmp_path / "ccdo.xml"
    call_command("export", "iati", project="ccdo-elc-2024", output=str(out))
    content = out.read_bytes()
    assert schema_errors(content) == [] and codelist_errors(content) == []
    assert _tree(content).findtext(".//iati-identifier") == "XM-EXAMPLE-CCDO-ccdo-elc-2024"
