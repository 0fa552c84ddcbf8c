"""Budget lines set up in the app: added, edited, imported from XLSX; spend recorded."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.budgets.services import budget_line_add, expenditure_record
from samaki.organisations.services import organisation_create
from samaki.projects.services import project_create

pytestmark = pytest.mark.django_db
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)


@pytest.fixture
def partner(personas):
    return organisation_create(by=SYSTEM, slug="partner", name_en="Partner NGO", acronym="PNGO")


@pytest.fixture
def project(personas, partner):
    return project_create(
        organisation=personas.home,
        by=SYSTEM,
        code="p",
        name_en="Project",
        starts_on=START,
        ends_on=END,
        partners=[partner],
    )


def _line(project, code="staff", amount="4200.00", **extra):
    return budget_line_add(
        project=project,
        by=SYSTEM,
        code=code,
        name_en=code.title(),
        period_start=extra.pop("period_start", START),
        period_end=extra.pop("period_end", END),
        amount=Decimal(amount),
        currency="GBP",
        **extra,
    )


def _form(**changes):
    data = {
        "code": "training",
        "name_en": "Trainings",
        "name_km": "វគ្គបណ្តុះបណ្តាល",
        "partner": "",
        "period_start": "2024-01-01",
        "period_end": "2024-06-30",
        "amount": "1500.50",
        "currency": "gbp",
    }
    data.update(changes)
    return data


def test_an_me_officer_adds_a_line_for_a_partner(client, personas, project, partner):
    client.force_login(personas.me_officer)
    url = reverse("budgets:line_create", args=[project.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [label for _pk, label in page.context["form"].fields["partner"].choices] == [
        "—",
        "Home Organisation",
        "Partner NGO",
    ]
    response = client.post(url, _form(partner=partner.pk))
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert (line.partner, line.amount, line.currency, line.organisation) == (
        partner,
        Decimal("1500.50"),
        "GBP",
        personas.home,
    )
    assert AuditEvent.objects.get(action="budget_line.add").actor == personas.me_officer


def test_bad_line_input_shows_field_errors_and_saves_nothing(client, personas, project):
    _line(project)  # the project budgets in GBP
    client.force_login(personas.admin)
    url = reverse("budgets:line_create", args=[project.pk])
    before = AuditEvent.objects.count()
    form_errors = (
        client.post(url, _form(code="", amount="-1", period_end="2023-12-31"))
        .context["form"]
        .errors
    )
    assert set(form_errors) == {"code", "amount", "period_end"}
    service_errors = (
        client.post(url, _form(currency="usd", period_end="2025-03-31")).context["form"].errors
    )
    assert service_errors == {
        "currency": ["This project budgets in GBP."],
        "period_start": ["A line's period is inside the project's (2024-01-01 – 2024-12-31)."],
    }
    stranger = client.post(url, _form(partner=personas.other.pk)).context["form"].errors
    assert list(stranger) == ["partner"]
    assert BudgetLine.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_editing_a_line_keeps_its_spending_inside_its_period(client, personas, project):
    line = _line(project)
    expenditure_record(line=line, by=SYSTEM, date=datetime.date(2024, 9, 1), amount=Decimal(10))
    client.force_login(personas.me_officer)
    url = reverse("budgets:line_edit", args=[project.pk, line.pk])
    assert client.get(url).context["form"]["amount"].value() == Decimal("4200.00")
    before = AuditEvent.objects.count()
    refused = client.post(url, _form(code="staff", currency="GBP", period_end="2024-06-30"))
    assert refused.context["form"].errors["period_start"] == [
        "1 expenditure of this line is dated outside the new period."
    ]
    assert AuditEvent.objects.count() == before
    response = client.post(
        url, _form(code="staff", currency="GBP", period_end="2024-12-31", amount="5000")
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.name_en) == (Decimal("5000.00"), "Trainings")
    event = AuditEvent.objects.get(action="budget_line.update")
    assert (event.before["amount"], event.after["amount"]) == ("4200.00", "5000.00")


def test_access_to_the_budget_setup_pages(client, personas, project):
    line = _line(project)
    urls = [
        reverse("budgets:line_create", args=[project.pk]),
        reverse("budgets:line_edit", args=[project.pk, line.pk]),
        reverse("budgets:import", args=[project.pk]),
        reverse("budgets:template", args=[project.pk]),
    ]
    for user, status in [
        (personas.outsider, 404),
        (personas.donor_viewer, 404),
        (personas.viewer, 403),
        (personas.facilitator, 403),
        (personas.admin, 200),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
    client.force_login(personas.viewer)
    response = client.post(reverse("budgets:line_create", args=[project.pk]), _form(code="other"))
    assert response.status_code == 403
    spend = {"line": line.pk, "date": "2024-03-01", "amount": "5"}
    assert client.post(reverse("budgets:project", args=[project.pk]), spend).status_code == 403
    assert not Expenditure.objects.exists()
    assert BudgetLine.objects.count() == 1


def test_the_budget_page_writes_money_with_separators_and_records_spend(client, personas, project):
    line = _line(project)
    client.force_login(personas.me_officer)
    url = reverse("budgets:project", args=[project.pk])
    response = client.post(url, {"line": line.pk, "date": "2024-03-01", "amount": "1200"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "4,200.00 GBP" in page
    assert "1,200.00 GBP" in page  # spent
    assert "3,000.00 GBP" in page  # left
    before = AuditEvent.objects.count()
    zero = client.post(url, {"line": line.pk, "date": "2024-03-01", "amount": "0"})
    assert zero.context["form"].errors == {"amount": ["An expenditure is more than zero."]}
    late = client.post(url, {"line": line.pk, "date": "2025-03-01", "amount": "5"})
    assert late.context["form"].errors == {
        "date": ["This line runs from 2024-01-01 to 2024-12-31."]
    }
    assert Expenditure.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_left_on_the_budget_table_is_the_budget_remaining_not_sign_out(client, personas, project):
    _line(project)
    client.force_login(personas.viewer)
    with translation.override("en"):
        page = client.get(reverse("budgets:project", args=[project.pk])).content.decode()
    assert "<th>Left</th>" in page


@pytest.mark.parametrize("lines", [1, 5])
def test_the_budget_page_makes_the_same_number_of_queries_for_more_lines(
    client, personas, project, partner, lines, django_assert_num_queries
):
    for n in range(lines):
        line = _line(project, code=f"line-{n}", partner=partner if n % 2 else None)
        expenditure_record(line=line, by=SYSTEM, date=datetime.date(2024, 3, 1), amount=Decimal(1))
    client.force_login(personas.me_officer)
    # session, user, her organisation (the header), project, lines with spend (and partner),
    # cost per person (currency, budget, spend, people reached), the period's spending (with
    # its line), the expenditure form's lines
    with django_assert_num_queries(11):
        response = client.get(reverse("budgets:project", args=[project.pk]))
    assert len(response.context["rows"]) == lines


def test_an_expenditure_is_corrected_with_one_audit_row(client, personas, project):
    line = _line(project)
    other_line = _line(project, code="rent")
    spend = expenditure_record(
        line=line, by=SYSTEM, date=datetime.date(2024, 3, 1), amount=Decimal(12)
    )
    url = reverse("budgets:expenditure_edit", args=[project.pk, spend.pk])
    client.force_login(personas.viewer)
    assert client.get(url).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.me_officer)
    assert client.get(url).context["form"]["amount"].value() == Decimal("12.00")
    before = AuditEvent.objects.count()
    negative = client.post(url, {"line": other_line.pk, "date": "2024-04-01", "amount": "-3"})
    assert list(negative.context["form"].errors) == ["amount"]
    late = client.post(url, {"line": other_line.pk, "date": "2025-01-01", "amount": "3"})
    assert late.context["form"].errors == {
        "date": ["This line runs from 2024-01-01 to 2024-12-31."]
    }
    spend.refresh_from_db()
    assert (spend.line, spend.amount) == (line, Decimal("12.00"))
    assert AuditEvent.objects.count() == before
    response = client.post(
        url, {"line": other_line.pk, "date": "2024-04-01", "amount": "15", "description": "fix"}
    )
    assert response.status_code == 302
    spend.refresh_from_db()
    assert (spend.line, spend.date, spend.amount) == (
        other_line,
        datetime.date(2024, 4, 1),
        Decimal("15.00"),
    )
    event = AuditEvent.objects.get(action="expenditure.update")
    assert (event.before["amount"], event.after["amount"]) == ("12.00", "15.00")
    page = client.get(reverse("budgets:project", args=[project.pk])).content.decode()
    assert "15.00 GBP" in page
    assert url in page


# --- import -----------------------------------------------------------------------------------


def _xlsx(rows, header=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        header
        or ["Code", "Name (English)", "Name (Khmer)", "From", "To", "Amount", "Currency", "Partner"]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("budget.xlsx", out.getvalue())


def test_the_template_has_english_and_khmer_headers(client, personas, project):
    client.force_login(personas.me_officer)
    response = client.get(reverse("budgets:template", args=[project.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] == "Code / កូដ *"
    assert headers[5] == "Amount / ចំនួនទឹកប្រាក់ *"
    assert headers[7] == "Partner (short name) / ដៃគូ"
    assert sheet["H2"].value == "PNGO"  # the partner's short name, as the import accepts it


def test_an_import_lands_every_line_with_one_audit_row(client, personas, project, partner):
    client.force_login(personas.me_officer)
    file = _xlsx(
        [
            ["staff", "Staff", "បុគ្គលិក", "2024-01-01", "31/12/2024", "4,200.00", "gbp", ""],
            ["training", "Trainings", "", datetime.date(2024, 1, 1), "2024-06-30", 1500, "GBP",
             "pngo"],
        ]
    )  # fmt: skip
    response = client.post(reverse("budgets:import", args=[project.pk]), {"file": file})
    assert response.status_code == 302
    lines = {line.code: line for line in BudgetLine.objects.all()}
    assert lines["staff"].amount == Decimal("4200.00")
    assert lines["staff"].period_end == END
    assert lines["training"].partner == partner
    assert lines["training"].name_km == ""
    event = AuditEvent.objects.get(action="budget_line.import")
    assert event.after["lines"] == [["staff", "2024-01-01"], ["training", "2024-01-01"]]
    assert not AuditEvent.objects.filter(action="budget_line.add").exists()


def test_an_import_with_a_bad_row_lands_nothing_and_names_each_bad_row(client, personas, project):
    client.force_login(personas.me_officer)
    before = AuditEvent.objects.count()
    file = _xlsx(
        [
            ["staff", "Staff", "", "2024-01-01", "2024-12-31", "4200", "GBP", ""],
            ["rent", "Rent", "", "2024-01-01", "2024-12-31", "lots", "GBP", ""],
            ["travel", "Travel", "", "2024-01-01", "2025-12-31", "100", "GBP", ""],
            ["audit", "Audit", "", "2024-01-01", "2024-12-31", "100", "USD", "nobody"],
            ["staff", "Staff again", "", "2024-01-01", "2024-12-31", "1", "GBP", ""],
        ]
    )
    response = client.post(reverse("budgets:import", args=[project.pk]), {"file": file})
    assert response.status_code == 200
    errors = [(e["row"], e["column"], e["message"]) for e in response.context["errors"]]
    assert errors == [
        (3, "Amount / ចំនួនទឹកប្រាក់", "Expected an amount like 4200.00, not “lots”."),
        (
            4,
            "From / ចាប់ពី",
            "A line's period is inside the project's (2024-01-01 – 2024-12-31).",
        ),
        (
            5,
            "Partner (short name) / ដៃគូ",
            "“nobody” is not the project's organisation nor one of its partners.",
        ),
        (6, "Code / កូដ", "Row 2 has this code starting on the same day."),
    ]
    assert "Nothing was imported" in response.content.decode()
    assert not BudgetLine.objects.exists()
    assert AuditEvent.objects.count() == before


def test_an_import_refuses_a_missing_column_a_wrong_file_and_a_second_currency(
    client, personas, project
):
    _line(project)
    client.force_login(personas.admin)
    url = reverse("budgets:import", args=[project.pk])
    missing = client.post(url, {"file": _xlsx([["x"]], header=["Code"])}).context["errors"]
    assert missing[0]["row"] == 1
    assert "is missing" in missing[0]["message"]
    wrong = client.post(url, {"file": SimpleUploadedFile("budget.pdf", b"%PDF")})
    assert wrong.context["form"].errors["file"] == ["Upload an .xlsx or a .csv file."]
    other = client.post(
        url, {"file": _xlsx([["rent", "Rent", "", "2024-01-01", "2024-12-31", "1", "USD"]])}
    ).context["errors"]
    assert [(e["row"], e["message"]) for e in other] == [(2, "This project budgets in GBP.")]
    assert BudgetLine.objects.count() == 1
