"""The demo's CCDO reports, built through the engine and rendered: the published figures appear,
Khmer survives every format, and a consortium lead's report names nobody."""

import datetime
import io
import json
import shutil
import subprocess

import pytest
from django.core.management import call_command

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import User
from samaki.feedback.models import Feedback
from samaki.feedback.services import FeedbackFields, feedback_file
from samaki.organisations.models import Consortium, Organisation
from samaki.people.models import Person
from samaki.projects.models import Project
from samaki.reports.queries import (
    organisation_scope,
    project_scope,
    report_build,
    scope_for_consortium,
)
from samaki.reports.render import (
    docx_render,
    html_render,
    json_render,
    khmer_word_breaks,
    pdf_render,
    xlsx_render,
)
from samaki.results.engine import Period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

TODAY = datetime.date(2024, 10, 15)


def ccdo_report(period: str, project: str = "ccdo-elc-2024", language: str = "en"):
    scope = project_scope(Project.objects.get(code=project))
    return report_build(scope=scope, period=Period.parse(period), language=language, today=TODAY)


def test_the_q3_2024_report_shows_every_published_figure_from_the_engine(tmp_path, capsys):
    out = tmp_path / "q3.json"
    call_command("report", project="ccdo-elc-2024", period="2024Q3", format="json", output=str(out))
    data = json.loads(out.read_text())
    values = {figure["code"]: figure["value"] for figure in data["indicators"]}
    assert values == {
        "1.1": 246, "1.2": 13, "1.3": 635, "1.4": 1216, "1.5": 1072, "1.6": 56,
        "2.1": 18, "2.2": 187, "2.3": 114, "2.4": 83, "2.5": 2450,
    }  # fmt: skip
    first = data["indicators"][0]
    assert (first["target"], first["percent"], first["band"]) == (250, 98.4, "on_track")
    assert sum(cell["value"] for cell in first["cross_cells"]) == 246
    assert sum(first["cells"]["Age band"].values()) == 246
    summary = dict(map(tuple, data["sections"][0]["tables"][0]["rows"]))
    assert summary["People reached (registered, each counted once)"] == 1072
    # The tuk-tuk campaign's headcount is beside the registered reach, not inside it.
    assert summary["People counted at events (headcount, not added to reach)"] == 2450


def test_the_2022_2023_closing_report_shows_2814_women_and_girls():
    report = ccdo_report("2022-01-01..2023-12-31", project="ccdo-elc-2022-2023")
    values = {figure.code: figure.value for figure in report.indicators}
    assert values == {"1.1": 2814, "1.2": 2531, "1.3": 46}


def test_the_khmer_report_renders_to_pdf_docx_and_xlsx(tmp_path):
    report = ccdo_report("2024Q3", language="km")
    pdf = pdf_render(report)
    assert pdf.startswith(b"%PDF")
    # Text extraction reorders shaped Khmer glyphs, so the shaping itself was checked by eye on
    # pdftoppm images (docs/reports.md); here: the Khmer font is embedded, and words are marked.
    if shutil.which("pdffonts"):  # poppler-utils
        path = tmp_path / "q3-km.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)  # noqa: S603, S607
        assert b"Noto-Sans-Khmer" in fonts.stdout
    assert khmer_word_breaks("ស្ត្រីដែលបានចាប់ផ្តើមអាជីវកម្ម").count("\u200b") >= 3

    import docx
    from docx.oxml.ns import qn
    from openpyxl import load_workbook

    document = docx.Document(io.BytesIO(docx_render(report)))
    rpr = document.styles["Normal"].element.rPr
    assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "km-KH"
    assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == "Noto Sans Khmer"
    assert "ស្ត្រី និងក្មេងស្រីដែលបានចូលរួមវគ្គសុខភាព" in [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    workbook = load_workbook(io.BytesIO(xlsx_render(report)))
    values = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    assert values[next(i for i, row in enumerate(values) if row[0] == "1.1")][:5] == (
        "1.1",
        "ស្ត្រី និងក្មេងស្រីដែលបានចូលរួមវគ្គសុខភាព",
        246,
        250,
        "98",
    )


def test_a_consortium_leads_report_never_names_a_member_s_person():
    lead = User.objects.get(username="care.lead")
    consortium = Consortium.objects.get(name_en="Feminists in Action")
    scope = scope_for_consortium(user=lead, pk=consortium.pk)
    report = report_build(scope=scope, period=Period.parse("2015-01-01..2025-12-31"), today=TODAY)
    text = html_render(report) + json_render(report).decode()
    people = Person.objects.filter(organisation_id__in=scope.organisations)
    assert people.count() > 100  # there is something to leak
    period_dates = {
        report.period_start.isoformat(),
        report.period_end.isoformat(),
        TODAY.isoformat(),
    }
    leaks = [
        value
        for person in people
        for value in (person.name_latin, person.name_km, person.phone, person.birth_date)
        if value and str(value) not in period_dates and str(value) in text
    ]
    assert leaks == []
    # The members' aggregates are there, by organisation.
    by_organisation = next(
        table
        for section in report.sections
        for table in section.tables
        if table.columns[0] == "Organisation"
    )
    assert by_organisation.rows[-1][1] == sum(row[1] for row in by_organisation.rows[:-1])


def _voice(report):
    return next(s for s in report.sections if s.title == "Voice and accountability")


def test_the_q3_2024_report_counts_83_feedback_entries_and_34_pounds_per_woman():
    voice = _voice(ccdo_report("2024Q3"))
    feedback, requests, money = voice.tables
    assert feedback.columns == [
        "Kind", "Received", "Being looked into", "Answered", "Closed", "Total"
    ]  # fmt: skip
    assert feedback.rows == [
        ["Feedback on a public service", 12, 11, 13, 47, 83],
        ["Complaint about the organisation", 0, 0, 0, 0, 0],
        ["Total", 12, 11, 13, 47, 83],
    ]
    # On 15 October 2024 every entry still open is past its 30 days.
    assert voice.paragraphs[0] == (
        "83 feedback entries and complaints were received in the period; "
        "23 are still open past their deadline."
    )
    assert voice.paragraphs[1].startswith(
        "Complaints about staff conduct and whistle-blower reports received: 0."
    )
    assert requests.rows[-1] == ["Total", 0]
    # The indicator engine's 1,072 women reached; the budgets app's own page agrees (£34.00).
    assert money.rows == [
        ["Budget", "37,700.00 GBP"],
        ["Spent in the period", "36,448.00 GBP"],
        ["Left", "1,252.00 GBP"],
        ["People reached (each counted once)", 1072],
        ["Cost per person reached", "34.00 GBP"],
        ["of whom women and girls", 1072],
        ["Cost per woman or girl reached", "34.00 GBP"],
    ]


def test_whistle_blower_reports_appear_only_as_a_suppressed_count():
    ccdo = Organisation.objects.get(slug="ccdo")
    for n in range(3):
        feedback_file(
            organisation=ccdo,
            by=SYSTEM,
            fields=FeedbackFields(
                kind="whistleblower",
                message=f"Secret report number {n}",
                received_on=datetime.date(2024, 9, 1),
            ),
        )
    report = report_build(
        scope=organisation_scope(ccdo), period=Period.parse("2024Q3"), today=TODAY
    )
    voice = _voice(report)
    assert voice.paragraphs[1].startswith(
        "Complaints about staff conduct and whistle-blower reports received: <5."
    )
    # Left out of every other figure: 83 and 23, as before.
    assert voice.tables[0].rows[-1][-1] == 83
    assert "; 23 are still open" in voice.paragraphs[0]
    assert "Secret report" not in html_render(report)


def test_the_voice_section_shows_no_message_answer_or_name_in_html_or_docx():
    import docx

    report = ccdo_report("2024Q3")
    document = docx.Document(io.BytesIO(docx_render(report)))
    texts = {
        "html": html_render(report),
        "docx": "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for row in t.rows for c in row.cells]
        ),
    }
    assert "83 feedback entries" in texts["html"]
    assert "83 feedback entries" in texts["docx"]
    feedback = Feedback.objects.filter(organisation__slug="ccdo")
    assert feedback.count() == 83
    secrets = set()
    for entry in feedback.select_related("person"):
        secrets.update(line for line in entry.message.splitlines() if line)
        secrets.update(line for line in entry.response.splitlines() if line)
        secrets.update(
            value
            for value in (entry.reporter_name, entry.reporter_contact, entry.service_name)
            if value
        )
        secrets.update(v for v in (entry.person.name_latin, entry.person.name_km) if v)
    assert len(secrets) > 80  # there is something to leak
    for fmt, text in texts.items():
        assert [secret for secret in secrets if secret in text] == [], fmt


def test_a_consortium_report_shows_each_member_s_latest_reflections():
    lead = User.objects.get(username="care.lead")
    consortium = Consortium.objects.get(name_en="Feminists in Action")
    scope = scope_for_consortium(user=lead, pk=consortium.pk)
    report = report_build(scope=scope, period=Period.parse("2023"), today=TODAY)
    reflections = _voice(report).tables[-1]
    assert reflections.title.startswith("Reflections: ")
    assert len(reflections.columns) == 4  # the member and the three prompts
    assert len(reflections.rows) == 6
    assert all(row[1] for row in reflections.rows)  # every partner says what she is proudest of
    assert "Reflections: " in html_render(report)
    # No round in 2021: no reflections table.
    earlier = report_build(scope=scope, period=Period.parse("2021"), today=TODAY)
    assert not any(t.title.startswith("Reflections") for t in _voice(earlier).tables)


def test_the_project_dashboard_shows_the_same_voice_figures(client):
    client.force_login(User.objects.get(username="ccdo.admin"))
    project = Project.objects.get(code="ccdo-elc-2024")
    response = client.get(f"/reports/dashboard/projects/{project.pk}/?period=2024Q3")
    assert response.status_code == 200
    html = response.content.decode()
    block = html[html.index('id="voice"') : html.index("</dl>", html.index('id="voice"'))]
    assert "<dt>Feedback and complaints received</dt><dd>83" in block
    assert "<dt>Cost per woman or girl reached</dt><dd>34.00 GBP" in block
    assert "36,448.00 GBP spent of 37,700.00 GBP" in block
    assert "Secret" not in html and Feedback.objects.first().message.splitlines()[0] not in html


def test_the_voice_figures_take_as_many_queries_however_many_records():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from samaki.reports.queries import report_context
    from samaki.reports.voice import voice_figures

    project = Project.objects.get(code="ccdo-elc-2024")
    context = report_context(
        scope=project_scope(project), period=Period.parse("2024Q3"), language="en", today=TODAY
    )
    with CaptureQueriesContext(connection) as before:
        first = voice_figures(context)
    for n in range(12):
        feedback_file(
            organisation=project.organisation,
            by=SYSTEM,
            fields=FeedbackFields(
                kind="complaint" if n % 2 else "staff_conduct",
                message=f"Entry {n}",
                received_on=datetime.date(2024, 8, 1),
            ),
        )
    with CaptureQueriesContext(connection) as after:
        second = voice_figures(context)
    assert len(after) == len(before)
    assert (first.feedback_total, second.feedback_total) == (83, 89)
    assert (first.restricted, second.restricted) == ("0", "6")
    assert second.overdue == 23 + 6  # the complaints' 14 days ran out in August
