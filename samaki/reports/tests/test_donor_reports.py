"""Donor reports people can send: narratives, indicators' disaggregation tables, the logo on the
cover, the project's Khmer name, and figures written one way (samaki.numbers)."""

import datetime
import io
import os
import shutil
import subprocess

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.numbers import format_money, format_number, format_percent
from samaki.projects.services import project_create
from samaki.reports import render
from samaki.reports.data import Chart, ReportData, Section, Table
from samaki.reports.models import ReportBranding, ReportNarrative
from samaki.reports.queries import project_scope, report_build
from samaki.reports.services import narrative_set
from samaki.reports.voice import money_text
from samaki.results.engine import Period
from samaki.results.models import PeriodKind, ResultLevel, ResultsFramework
from samaki.results.queries import indicator_progress
from samaki.results.services import framework_create, indicator_add, result_add, target_set

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2024Q3")
KHMER_TEXT = "ស្ត្រីបានចូលរួមវគ្គបណ្តុះបណ្តាលជាច្រើន"


@pytest.fixture
def project(personas):
    project = project_create(
        organisation=personas.home, by=personas.admin, code="p", name_en="Savings for women",
        name_km="ការសន្សំសម្រាប់ស្ត្រី",
        starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip
    framework = framework_create(project=project, by=personas.admin)
    goal = result_add(
        framework=framework, by=personas.admin, level=ResultLevel.GOAL, code="G",
        statement_en="Goal",
    )  # fmt: skip
    indicator = indicator_add(
        result=goal, by=personas.admin, code="1.1", name_en="People trained",
        measure="distinct_people", dimensions="sex,age_band",
    )  # fmt: skip
    target_set(
        indicator=indicator, by=personas.admin, period_kind=PeriodKind.QUARTER,
        starts_on=Q3.start, ends_on=Q3.end, value=10,
    )  # fmt: skip
    return project


def attend(personas, project, people, *, date=datetime.date(2024, 8, 1)):
    activity = Activity.objects.create(
        organisation=personas.home, project=project, date=date,
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for person in people:
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)


def people(personas, women=3, men=2):
    found = [
        personas.person(name=f"Woman {i}", sex="female", birth_year=1990) for i in range(women)
    ]
    found += [personas.person(name=f"Man {i}", sex="male", birth_year=2010) for i in range(men)]
    return found


def build(project, language="en", audience=None):
    scope = (
        project_scope(project) if audience is None else project_scope(project, audience=audience)
    )
    return report_build(
        scope=scope, period=Q3, language=language, today=datetime.date(2024, 10, 15)
    )


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:  # poppler-utils: scripts/bootstrap --browser
        if os.environ.get("CI", "") in {"true", "1"}:
            pytest.fail("pdftotext (poppler-utils) is missing: scripts/bootstrap --browser")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return done.stdout.decode()


def png(width=40, height=20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


# --- narratives ------------------------------------------------------------------------------


def narrative_url(project, period="2024Q3"):
    return reverse("reports:narratives", args=[project.pk]) + f"?period={period}"


def test_the_me_officer_writes_a_narrative_and_it_is_audited(client, personas, project):
    client.force_login(personas.me_officer)
    response = client.post(
        narrative_url(project),
        {"summary_en": "We trained women.", "summary_km": KHMER_TEXT, "voice_en": "  "},
    )
    assert response.status_code == 302
    narrative = ReportNarrative.objects.get()
    assert (narrative.section, narrative.text_en, narrative.text_km) == (
        "summary", "We trained women.", KHMER_TEXT,
    )  # fmt: skip
    assert (narrative.period_start, narrative.period_end) == (Q3.start, Q3.end)
    event = AuditEvent.objects.get(action="report_narrative.set")
    assert event.after == {"period": str(Q3), "sections": ["summary"]}
    # The same again changes nothing and writes no second row.
    client.post(
        narrative_url(project), {"summary_en": "We trained women.", "summary_km": KHMER_TEXT}
    )
    assert AuditEvent.objects.filter(action="report_narrative.set").count() == 1


def test_the_dashboards_link_to_the_narrative_and_logo_pages_for_those_who_may(
    client, personas, project
):
    client.force_login(personas.me_officer)
    page = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3").content.decode()
    assert f'href="/reports/projects/{project.pk}/narrative/?period=' in page
    client.force_login(personas.viewer)
    page = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3").content.decode()
    assert "/narrative/" not in page
    client.force_login(personas.admin)
    assert 'href="/reports/logo/"' in client.get("/reports/dashboard/").content.decode()
    client.force_login(personas.me_officer)
    assert "/reports/logo/" not in client.get("/reports/dashboard/").content.decode()


def test_a_narrative_too_long_is_refused_and_nothing_is_saved(client, personas, project):
    client.force_login(personas.me_officer)
    before = AuditEvent.objects.count()
    response = client.post(
        narrative_url(project), {"summary_en": "fine", "indicators_km": "ក" * 5001}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["indicators_km"]
    assert "5000" in errors["indicators_km"][0]
    assert ReportNarrative.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_empty_boxes_save_nothing_and_emptying_one_removes_it(client, personas, project):
    client.force_login(personas.me_officer)
    before = AuditEvent.objects.count()
    assert client.post(narrative_url(project), {}).status_code == 302
    assert ReportNarrative.objects.count() == 0 and AuditEvent.objects.count() == before
    narrative_set(by=personas.me_officer, project=project, period=Q3, texts={"summary": ("a", "")})
    client.post(narrative_url(project), {"summary_en": ""})
    assert ReportNarrative.objects.count() == 0


def test_the_service_refuses_an_unknown_section_and_a_viewer(personas, project):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as error:
        narrative_set(by=personas.admin, project=project, period=Q3, texts={"x": ("a", "")})
    assert list(error.value.message_dict) == ["section"]
    with pytest.raises(PermissionDenied):
        narrative_set(by=personas.viewer, project=project, period=Q3, texts={"summary": ("a", "")})
    assert ReportNarrative.objects.count() == 0


@pytest.mark.parametrize("who", ["viewer", "facilitator", "donor_viewer", "outsider"])
def test_only_the_projects_managers_open_the_narrative_page(client, personas, project, who):
    client.force_login(getattr(personas, who))
    assert client.get(narrative_url(project)).status_code == 404
    client.post(narrative_url(project), {"summary_en": "x"})
    assert ReportNarrative.objects.count() == 0


def test_the_narrative_page_counts_the_same_queries_for_one_or_seven_narratives(
    client, personas, project, django_assert_num_queries
):
    client.force_login(personas.me_officer)
    narrative_set(by=personas.admin, project=project, period=Q3, texts={"summary": ("a", "")})
    # session, user, project, narratives, her organisation (the page's header)
    with django_assert_num_queries(5):
        assert client.get(narrative_url(project)).status_code == 200
    texts = dict.fromkeys(("indicators", "activities", "outcomes", "groups", "voice"), ("a", "ក"))
    narrative_set(by=personas.admin, project=project, period=Q3, texts=texts)
    with django_assert_num_queries(5):
        response = client.get(narrative_url(project))
    assert response.content.decode().count(">\nក</textarea>") == 5


def test_the_narrative_appears_in_the_html_docx_and_pdf_in_the_reports_language(
    personas, project, tmp_path
):
    attend(personas, project, people(personas))
    narrative_set(
        by=personas.me_officer, project=project, period=Q3,
        texts={
            "summary": ("We trained women.\n\nSecond paragraph.", KHMER_TEXT),
            "voice": ("Listened to every complaint.", ""),
        },
    )  # fmt: skip
    english = build(project)
    assert [s.key for s in english.sections][:2] == ["summary", "indicators"]
    html = render.html_render(english)
    assert '<p class="narrative">We trained women.</p>' in html
    assert '<p class="narrative">Second paragraph.</p>' in html
    text = docx_text(render.docx_render(english))
    assert "We trained women." in text and "Listened to every complaint." in text
    pdf = pdf_text(render.pdf_render(english), tmp_path)
    assert "We trained women." in pdf and "Listened to every complaint." in pdf
    assert english.as_json()["sections"][0]["narrative"].startswith("We trained women.")

    khmer = build(project, language="km")
    text = docx_text(render.docx_render(khmer))
    assert KHMER_TEXT in text and "We trained women." not in text
    assert "Listened to every complaint." in text  # no Khmer typed: the English one


def test_a_khmer_narrative_is_cut_into_words_for_the_pdf(personas, project, monkeypatch):
    narrative_set(
        by=personas.me_officer, project=project, period=Q3, texts={"summary": ("", KHMER_TEXT)}
    )
    seen = {}

    class Capture:
        def __init__(self, *, string, url_fetcher):
            seen["html"], seen["fetcher"] = string, url_fetcher

        def write_pdf(self):
            return b"%PDF"

    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", Capture)
    render.pdf_render(build(project, language="km"))
    assert render.khmer_word_breaks(KHMER_TEXT) in seen["html"]
    assert "\u200b" in render.khmer_word_breaks(KHMER_TEXT)
    with pytest.raises(ValueError, match="disallowed protocol"):
        seen["fetcher"].fetch("https://example.org/logo.png")


# --- indicators' disaggregation tables --------------------------------------------------------


def docx_tables(content: bytes) -> dict[str, list[list[str]]]:
    """Each table under its level-2 heading: title → rows of cell texts."""
    document = docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    rows = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return dict(zip(headings, rows, strict=True))


def test_each_indicators_disaggregation_is_a_table_with_the_engines_figures(personas, project):
    attend(personas, project, people(personas, women=3, men=2))
    tables = docx_tables(render.docx_render(build(project)))
    framework = ResultsFramework.objects.get(project=project)
    (item,) = indicator_progress(framework=framework, period=Q3)
    by_sex = item.value.by(item.value.definition.dimensions[0])
    assert by_sex == {"female": 3, "male": 2}
    assert tables["1.1 People trained, by Sex"] == [
        ["Sex", "Value"], ["Female", "3"], ["Male", "2"], ["Total", "5"],
    ]  # fmt: skip
    by_age = item.value.by(item.value.definition.dimensions[1])
    assert by_age == {"25-49": 3, "0-14": 2}  # the framework's own bands
    rows = tables["1.1 People trained, by Age band"]
    assert sorted(rows[1:-1]) == [["0-14", "2"], ["25-49", "3"]]
    assert rows[-1] == ["Total", "5"]


def test_outside_the_organisation_the_tables_hide_small_cells(personas, project, tmp_path):
    from samaki.results.suppression import Audience

    attend(personas, project, people(personas, women=6, men=2))
    report = build(project, audience=Audience.EXTERNAL)
    tables = docx_tables(render.docx_render(report))
    # Male 2 is hidden, and so the female cell too: the total would give it back.
    assert tables["1.1 People trained, by Sex"][1:] == [
        ["Female", "<5"],
        ["Male", "<5"],
        ["Total", "8"],
    ]
    pdf = pdf_text(render.pdf_render(report), tmp_path)
    assert "1.1 People trained, by Sex" in pdf


# --- the logo on the cover ---------------------------------------------------------------------


def test_the_admin_uploads_a_logo_and_it_is_on_the_docx_and_pdf_cover(client, personas, project):
    client.force_login(personas.admin)
    upload = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = client.post(reverse("reports:branding"), {"logo": upload})
    assert response.status_code == 302
    branding = ReportBranding.objects.get()
    assert (branding.logo_type, branding.logo_name) == ("image/png", "logo.png")
    assert AuditEvent.objects.filter(action="report_logo.set").count() == 1
    report = build(project)
    assert report.logo == png() and "logo" not in report.as_json()
    document = docx.Document(io.BytesIO(render.docx_render(report)))
    assert len(document.inline_shapes) == 1  # the logo (no one reached: no chart)
    assert b"/Subtype /Image" in render.pdf_render(report)
    assert 'src="data:image/png;base64,' in render.html_render(report)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"not a picture at all"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_a_file_that_is_not_a_png_or_jpeg_is_refused_and_nothing_saved(
    client, personas, name, content
):
    client.force_login(personas.admin)
    before = AuditEvent.objects.count()
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(reverse("reports:branding"), {"logo": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["logo"] == [
        "The logo must be a PNG or JPEG picture (SVG and other files are refused)."
    ]
    assert not ReportBranding.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_logo_over_one_megabyte_is_refused_before_it_is_read(client, personas):
    client.force_login(personas.admin)
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024), "image/png")
    response = client.post(reverse("reports:branding"), {"logo": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["logo"] == ["The logo must be at most 1 MB."]
    assert not ReportBranding.objects.exists()


@pytest.mark.parametrize("who", ["me_officer", "viewer", "donor_viewer", "facilitator"])
def test_only_the_organisations_admin_opens_the_logo_page(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("reports:branding")).status_code == 404
    upload = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    client.post(reverse("reports:branding"), {"logo": upload})
    assert not ReportBranding.objects.exists()


def test_the_logo_page_counts_the_same_queries_with_or_without_a_logo(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.admin)
    with django_assert_num_queries(4):  # session, user, her organisation, its branding
        assert client.get(reverse("reports:branding")).status_code == 200
    upload = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    client.post(reverse("reports:branding"), {"logo": upload})
    with django_assert_num_queries(4):
        assert "Now: logo.png." in client.get(reverse("reports:branding")).content.decode()


def test_another_organisations_logo_is_not_on_home_reports(personas, project):
    from samaki.reports.services import report_logo_set

    report_logo_set(
        by=personas.outsider, organisation=personas.other, content=png(), file_name="o.png"
    )
    assert build(project).logo == b""


# --- the project's Khmer name, numbers -----------------------------------------------------------


def test_a_khmer_report_carries_the_projects_khmer_name(personas, project):
    khmer = build(project, language="km")
    assert khmer.title == "ការសន្សំសម្រាប់ស្ត្រី"
    assert docx_text(render.docx_render(khmer)).startswith("ការសន្សំសម្រាប់ស្ត្រី")
    assert build(project).title == "Savings for women"


def test_numbers_are_written_one_way():
    from decimal import Decimal

    assert format_number(1216) == "1,216"
    assert format_number(1216, language="km") == "១,២១៦"
    assert format_money(Decimal("4200"), "GBP") == "4,200.00 GBP"
    assert money_text(Decimal("4200"), "GBP") == "4,200.00 GBP"
    assert format_number(-0.2) == "0" and format_number(-0.001, 2) == "0.00"
    assert format_number("<5") == "<5" and format_number(None) == "–"
    assert format_percent(125.0) == "125%"


def synthetic(rows) -> ReportData:
    return ReportData(
        language="en", title="T", subtitle="S", scope_kind="project", scope_code="p",
        period_start=Q3.start, period_end=Q3.end, period_label="", generated_on=Q3.end,
        indicators=[],
        sections=[Section(title="A", tables=[Table(title="Figures", columns=["x", "n"], rows=rows)])],
    )  # fmt: skip


def test_every_renderer_writes_1216_the_same_way_and_xlsx_keeps_a_number():
    from openpyxl import load_workbook

    report = synthetic([["people", 1216]])
    assert '<td class="n">1,216</td>' in render.html_render(report)
    assert docx_tables(render.docx_render(report))["Figures"][1] == ["people", "1,216"]
    sheet = load_workbook(io.BytesIO(render.xlsx_render(report)))["Figures"]
    assert sheet["B3"].value == 1216


@pytest.mark.parametrize("values", [[0, 0, 0], [1, 2, 3], ["<5", 0, 7]])
def test_a_charts_axis_has_whole_ticks_and_never_minus_zero(values):
    chart = Chart(title="People", categories=["a", "b", "c"], series={"People": values})
    svg = render.chart_render(chart, fmt="svg", svg_text=True).decode()
    texts = _svg_texts(svg)
    assert not [text for text in texts if text.startswith(("-", "\u2212"))], texts
    ticks = [text for text in texts if text.replace(",", "").replace(".", "").isdigit()]
    assert "0" in ticks and all("." not in tick for tick in ticks), ticks


def _svg_texts(svg: str) -> list[str]:
    import re

    return [match.strip() for match in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
