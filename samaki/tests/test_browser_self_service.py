"""Issue 11's acceptance, in Khmer, in real Chromium, from an empty Samaki (only the gazetteer
and the shared vocabularies): the platform operator creates an organisation; its administrator
follows her one-time link, invites an M&E officer and a district facilitator and adds two
activity kinds; the M&E officer sets up a project, its three-tier framework with six indicators,
quarterly targets and budget lines; the facilitator registers women and takes attendance; the
M&E officer imports more attendance, writes a Khmer narrative and downloads the quarter's DOCX
and PDF, whose figures are checked against what was typed. Nothing is set up in the database.
Screenshots: var/screenshots/test_an_organisation_sets_itself_up_in_khmer-chromium/."""

import csv
import difflib
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from samaki.accounts.models import User
from samaki.activities.models import Activity, Attendance
from samaki.audit.models import AuditEvent
from samaki.budgets.models import BudgetLine
from samaki.conftest import PHONE, VILLAGE_IN_ANGKOR_THUM
from samaki.people.models import IdPoor, Person
from samaki.reports.models import ReportNarrative
from samaki.results.models import Indicator, ResultsFramework, Target

PASSWORD = "Kampot pepper 2026 river"
PROJECT_KM = "ស្ត្រីដឹកនាំសហគមន៍"
PROJECT_EN = "Women lead their communities"
NARRATIVE = (
    "ក្នុងត្រីមាសនេះ ស្ត្រីនៅស្រុកអង្គរធំបានចូលរួមក្នុងក្រុមសន្សំប្រាក់ និងថ្ងៃផ្សារ។ ពួកគាត់បានរៀនកត់ត្រាចំណូលចំណាយរបស់គ្រួសារ។"
)
ZERO_WIDTH_SPACE = "\u200b"

# What the test enters (and so what the report must say), 2026Q3:
# - the facilitator registers four women; three of them (A, B, C) come to her savings circle;
# - the M&E officer imports two people (E, a man; F, a woman) and two market days: E and F
#   come to the first, F alone to the second.
REGISTERED = [  # (Latin name, Khmer name, birth year, ID Poor, attends the savings circle)
    ("Chea Sreymom", "ជា ស្រីមុំ", "1988", IdPoor.LEVEL_1, True),
    ("Lim Bopha", "លឹម បុប្ផា", "1993", IdPoor.LEVEL_2, True),
    ("Nhem Sokunthea", "ញឹម សុគន្ធា", "2002", IdPoor.UNKNOWN, True),
    ("Ouk Chanthy", "អ៊ុក ចន្ធី", "1979", IdPoor.LEVEL_2, False),
]
IMPORTED = [  # (external ID, Latin name, sex, birth year, ID Poor)
    ("SS-0001", "Pich Vuthy", "male", "1985", IdPoor.NOT_POOR),
    ("SS-0002", "Ros Kanha", "female", "1997", IdPoor.LEVEL_1),
]
MARKET_DAYS = [("MD-2026-01", "2026-09-10", ["SS-0001", "SS-0002"]), ("MD-2026-02", "2026-09-17", ["SS-0002"])]  # fmt: skip


def km(text: str) -> str:
    with translation.override("km"):
        return translation.gettext(text)


def to_khmer(page) -> None:
    page.locator("header form.lang button").click()
    expect(page.locator("html")).to_have_attribute("lang", "km")


def set_password(page, link: str) -> None:
    page.goto(link)
    to_khmer(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("main button.primary").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("header p.who")).to_be_visible()


def pick(page, prefix: str, final: str, code: str) -> None:
    """The area picker: province › district › commune › village, as deep as `code` goes."""
    levels = [f"#id_{prefix}_province", f"#id_{prefix}_district", f"#id_{prefix}_commune"]
    levels.append(f"#id_{final}")
    for depth, selector in zip((2, 4, 6, 8), levels, strict=True):
        if len(code) < depth:
            break
        page.locator(selector).select_option(code[:depth])


def save(page) -> None:
    page.locator("main button.primary").click()


def invite(page, *, username: str, role: str, area: str = "") -> str:
    page.goto("/accounts/users/invite/")
    page.locator("#id_username").fill(username)
    page.locator("#id_role").select_option(role)
    if area:
        pick(page, "area", "area_code", area)
    save(page)
    link = page.locator("code.sign-in-link")
    expect(link).to_be_visible()
    return link.inner_text().strip()


def add_indicator(page, result: str, *, code: str, name_en: str, name_km: str, measure: str,
                  kind: str = "number", dimensions=(), activity_kinds=(), sex: str = "",
                  denominator: str = "") -> None:  # fmt: skip
    page.locator(f"li.result.{result} a[href$='/indicators/add/']").click()
    page.locator("#id_code").fill(code)
    page.locator("#id_name_en").fill(name_en)
    page.locator("#id_name_km").fill(name_km)
    page.locator(f"#id_kind input[value={kind}]").check()
    page.locator("#id_measure").select_option(measure)
    for term in activity_kinds:
        page.locator(f"#id_activity_kinds input[value={term}]").check()
    if sex:
        page.locator("#id_sex").select_option(sex)
    for dimension in dimensions:
        page.locator(f"#id_dimensions input[value={dimension}]").check()
    if denominator:
        page.locator("#id_denominator_measure").select_option(denominator)
        page.locator("#id_unit").fill("%")
    save(page)
    expect(page.locator("h1")).to_contain_text(f"{code} {name_km}")
    page.goto(page.url.split("/indicators/")[0] + "/framework/")


def csv_file(name: str, header: list[str], rows: list[list[str]]) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return {"name": name, "mimeType": "text/csv", "buffer": out.getvalue().encode()}


def upload(page, kind: str, file: dict) -> None:
    page.goto("/imports/")
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_file").set_input_files(file)
    page.locator("main form[enctype] button").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("main p[role=status]")).to_be_visible()  # done (the page reloads until)


def download(page, project_pk: int, fmt: str, folder: Path) -> Path:
    page.goto(f"/results/projects/{project_pk}/?period=2026Q3")
    jobs = page.locator("main form[action$='/reports/jobs/']")
    jobs.locator("select[name=format]").select_option(fmt)
    jobs.locator("button").click()
    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+/$"))
    link = page.locator("main a[href$='/download/']")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    path = folder / f"report.{fmt}"
    info.value.save_as(path)
    return path


def resemblance(text: str, wanted: str) -> float:
    """How closely the likeliest line of `text` reads `wanted` (1: the same), spaces aside."""
    flat = re.sub(r"\s+", "", wanted)
    return max(
        difflib.SequenceMatcher(None, flat, re.sub(r"\s+", "", line), autojunk=False).ratio()
        for line in text.splitlines()
    )


def docx_text(path: Path) -> tuple[str, list[list[str]]]:
    document = docx.Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return text, rows


def test_an_organisation_sets_itself_up_in_khmer(
    live_server, new_context, screenshot, settings, tmp_path
):
    # 1. The platform operator, in the shell: the organisation and its administrator's link.
    settings.SITE_URL = live_server.url
    out = io.StringIO()
    call_command(
        "organisation", "create", "--slug", "kwa", "--name", "Khmer Women in Action",
        "--name-km", "ស្ត្រីខ្មែរក្នុងសកម្មភាព", "--admin", "sophal", stdout=out,
    )  # fmt: skip
    found = re.search(r"https?://\S+/accounts/welcome/\S+/", out.getvalue())
    assert found and found.group().startswith(live_server.url), out.getvalue()

    # 2. The administrator, in her own browser.
    admin = new_context().new_page()
    set_password(admin, found.group())
    screenshot(admin, "admin signed in")
    response = admin.goto(found.group())  # the link worked once
    assert response is not None and response.status == 404
    me_link = invite(admin, username="dara", role="me_officer")
    screenshot(admin, "me officer link")
    facilitator_link = invite(admin, username="srey", role="facilitator", area="1702")
    screenshot(admin, "facilitator link")
    assert me_link != facilitator_link
    kinds = [("savings_circle", "Savings circle", "ក្រុមសន្សំប្រាក់"), ("market_day", "Market day", "ថ្ងៃផ្សារ")]  # fmt: skip
    for code, name_en, name_km in kinds:
        admin.goto("/settings/vocabularies/activity-kinds/new/")
        admin.locator("#id_name_en").fill(name_en)
        admin.locator("#id_name_km").fill(name_km)
        admin.locator("#id_code").fill(code)
        save(admin)
        expect(admin).to_have_url(f"{live_server.url}/settings/vocabularies/")
        expect(admin.locator("main")).to_contain_text(name_km)
    screenshot(admin, "activity kinds")
    admin.goto("/accounts/users/")
    expect(admin.locator("main")).to_contain_text("srey")
    screenshot(admin, "users")

    # 3. The M&E officer: project, framework, indicators, targets, budget.
    me = new_context().new_page()
    set_password(me, me_link)
    me.goto("/projects/new/")
    me.locator("#id_code").fill("women-lead")
    me.locator("#id_name_km").fill(PROJECT_KM)
    me.locator("#id_name_en").fill(PROJECT_EN)
    me.locator("#id_starts_on").fill("2026-01-01")
    me.locator("#id_ends_on").fill("2027-12-31")
    screenshot(me, "new project")
    save(me)
    expect(me).to_have_url(re.compile(r"/projects/\d+/$"))
    project_pk = int(re.search(r"/projects/(\d+)/$", me.url).group(1))  # type: ignore[union-attr]

    me.goto(f"/results/projects/{project_pk}/")
    me.locator(f"form[action$='/results/projects/{project_pk}/framework/create/'] button").click()
    expect(me).to_have_url(f"{live_server.url}/results/projects/{project_pk}/framework/")
    me.locator("main a[href$='/framework/edit/']").click()
    tiers = {
        "goal": ("Impact", "ផលប៉ះពាល់"),
        "outcome": ("Outcome", "លទ្ធផល"),
        "output": ("Output", "សមិទ្ធផល"),
    }
    for tier, (english, khmer) in tiers.items():
        me.locator(f"#id_{tier}_label_en").fill(english)
        me.locator(f"#id_{tier}_label_km").fill(khmer)
    me.locator("#id_age_bands").fill("0-17, 18-24, 25-49, 50+")
    screenshot(me, "tier names")
    save(me)
    me.goto(f"/results/projects/{project_pk}/framework/")
    results = [  # (where its "add" link is, code, statement in Khmer)
        (f"main a[href$='/results/projects/{project_pk}/results/add/']", "G", "ស្ត្រីដឹកនាំការសម្រេចចិត្តក្នុងឃុំ"),
        ("li.result.depth-0 a[href*='/results/add/?parent=']", "1", "ស្ត្រីមានជំនាញគ្រប់គ្រងប្រាក់"),
        ("li.result.depth-1 a[href*='/results/add/?parent=']", "1.1", "ស្ត្រីចូលរួមក្រុមសន្សំ និងថ្ងៃផ្សារ"),
    ]  # fmt: skip
    for link, code, statement in results:
        me.locator(link).click()
        me.locator("#id_code").fill(code)
        me.locator("#id_statement_en").fill(f"Result {code}")
        me.locator("#id_statement_km").fill(statement)
        save(me)
        me.goto(f"/results/projects/{project_pk}/framework/")
        expect(me.locator("main ol.framework")).to_contain_text(statement)
    add_indicator(me, "depth-0", code="G.1", name_en="People reached", name_km="មនុស្សដែលបានចូលរួម", measure="distinct_people", dimensions=["sex", "age_band"])  # fmt: skip
    add_indicator(me, "depth-1", code="1.1", name_en="Women among the people reached", name_km="ភាគរយស្ត្រី", kind="percentage", measure="distinct_people", sex="female", denominator="distinct_people")  # fmt: skip
    add_indicator(me, "depth-1", code="1.2", name_en="People reached by ID Poor status", name_km="មនុស្សតាមប័ណ្ណក្រីក្រ", measure="distinct_people", dimensions=["id_poor"])  # fmt: skip
    add_indicator(me, "depth-2", code="1.1.1", name_en="Attendances", name_km="ការចូលរួម", measure="attendances")  # fmt: skip
    add_indicator(me, "depth-2", code="1.1.2", name_en="Sessions held", name_km="វគ្គដែលបានធ្វើ", measure="sessions")  # fmt: skip
    add_indicator(me, "depth-2", code="1.1.3", name_en="People at market days", name_km="មនុស្សនៅថ្ងៃផ្សារ", measure="distinct_people", activity_kinds=["market_day"])  # fmt: skip
    expect(me.locator("main ol.framework li.result")).to_have_count(3)
    expect(me.locator("main ol.framework ul.indicators > li")).to_have_count(6)
    screenshot(me, "framework")

    me.locator("ul.indicators li", has_text="G.1 ").locator("a[href$='/targets/']").click()
    expect(me.locator("#id_t_2026-07-01")).to_be_visible()  # per quarter, the default
    for quarter, value in [("2026-07-01", "10"), ("2026-10-01", "15"), ("2027-01-01", "20")]:
        me.locator(f"#id_t_{quarter}").fill(value)
    screenshot(me, "quarterly targets")
    save(me)
    expect(me.locator("h1")).to_contain_text("G.1")

    for code, name_en, name_km, amount in [
        ("staff", "Staff", "បុគ្គលិក", "12000"),
        ("training", "Training", "វគ្គបណ្តុះបណ្តាល", "4500.50"),
    ]:
        me.goto(f"/budgets/projects/{project_pk}/lines/new/")
        me.locator("#id_code").fill(code)
        me.locator("#id_name_km").fill(name_km)
        me.locator("#id_name_en").fill(name_en)
        me.locator("#id_period_start").fill("2026-01-01")
        me.locator("#id_period_end").fill("2027-12-31")
        me.locator("#id_amount").fill(amount)
        me.locator("#id_currency").fill("USD")
        save(me)
        expect(me).to_have_url(f"{live_server.url}/budgets/projects/{project_pk}/")
        expect(me.locator("main")).to_contain_text(name_km)
    screenshot(me, "budget")

    # 4. The facilitator, on her phone: four women, a savings circle, its attendance.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    set_password(phone, facilitator_link)
    for latin, khmer, year, id_poor, _attends in REGISTERED:
        phone.goto("/people/new/")
        phone.locator("#id_name_km").fill(khmer)
        phone.locator("#id_name_latin").fill(latin)
        phone.locator("input[name=sex][value=female]").check()
        phone.locator("#id_birth_year").fill(year)
        phone.locator("#id_id_poor").select_option(id_poor)
        pick(phone, "area", "village_code", VILLAGE_IN_ANGKOR_THUM)
        phone.locator("#id_consent").check()
        save(phone)
        expect(phone).to_have_url(re.compile(r"/people/\d+/$"))
        expect(phone.locator("h1")).to_contain_text(khmer)
    screenshot(phone, "registered")
    phone.goto("/activities/new/")
    phone.locator("#id_kind_code").select_option("savings_circle")
    phone.locator("#id_title").fill("ក្រុមសន្សំ ខែសីហា")
    phone.locator("#id_date").fill("2026-08-05")
    phone.locator("#id_project").select_option(label=PROJECT_KM)
    pick(phone, "place", "area_code", VILLAGE_IN_ANGKOR_THUM)
    screenshot(phone, "new session")
    save(phone)
    expect(phone).to_have_url(re.compile(r"/activities/\d+/attendance/$"))
    for latin, _khmer, _year, _id_poor, attends in REGISTERED:
        if attends:
            phone.locator("#id_q").fill(latin.split()[1])
            phone.locator("button[name=action][value=search]").click()
            phone.locator("li.found input[type=checkbox]").check()
    screenshot(phone, "attendance")
    phone.locator("button[name=action][value=save]").click()
    expect(phone).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(phone.locator("main")).to_contain_text("ជា ស្រីមុំ")
    screenshot(phone, "session")

    # 5. The M&E officer imports two people and two market days of the project, writes the
    # narrative and downloads the quarter's report.
    people_rows = [
        [external_id, name, sex, year, VILLAGE_IN_ANGKOR_THUM, id_poor]
        for external_id, name, sex, year, id_poor in IMPORTED
    ]
    upload(me, "people", csv_file("people.csv", ["external_id", "name_latin", "sex", "birth_year", "village_code", "id_poor"], people_rows))  # fmt: skip
    screenshot(me, "people imported")
    activity_rows = [
        [
            activity_id,
            "market_day",
            date,
            VILLAGE_IN_ANGKOR_THUM,
            f"Market day {date}",
            "women-lead",
            person,
        ]
        for activity_id, date, people in MARKET_DAYS
        for person in people
    ]
    header = ["activity_external_id", "kind_code", "date", "area_code", "title", "project_code", "person_external_id"]  # fmt: skip
    upload(me, "activities", csv_file("market-days.csv", header, activity_rows))
    expect(me.locator("main p[role=status]")).to_contain_text("3")  # attendances added
    screenshot(me, "attendance imported")
    # The rows named the project: the market days are its sessions.
    for _activity_id, date, _people in MARKET_DAYS:
        me.goto("/activities/")
        me.locator("main a", has_text=f"Market day {date}").click()
        expect(me.locator("main")).to_contain_text(PROJECT_KM)
    screenshot(me, "market day under the project")

    me.goto(f"/reports/projects/{project_pk}/narrative/?period=2026Q3")
    me.locator("#id_summary_km").fill(NARRATIVE)
    screenshot(me, "narrative")
    save(me)
    expect(me.locator("#id_summary_km")).to_have_value(NARRATIVE)
    me.goto(f"/results/projects/{project_pk}/?period=2026Q3")
    expect(me.locator("header .org")).to_have_text("ស្ត្រីខ្មែរក្នុងសកម្មភាព")
    goal = me.locator("table.results tbody tr", has_text="G.1").locator("td")
    expect(goal.nth(2)).to_have_text("៥")  # Khmer digits on a Khmer page, the target's too
    expect(goal.nth(3)).to_have_text("១០")
    share_link = me.locator("a", has_text=re.compile(r"^1\.1 "))
    share_row = me.locator("table.results tbody tr").filter(has=share_link).locator("td")
    expect(share_row.nth(2)).to_have_text("៨០.០%")
    screenshot(me, "indicators against targets")
    docx_path = download(me, project_pk, "docx", tmp_path)
    screenshot(me, "docx ready")
    pdf_path = download(me, project_pk, "pdf", tmp_path)

    # 6. The figures, computed from what was entered above.
    attendees = [latin for latin, *_rest, attends in REGISTERED if attends]
    attendees += [name for _id, name, *_rest in IMPORTED]
    women = len([latin for latin, *_rest, attends in REGISTERED if attends]) + len(
        [name for _id, name, sex, *_rest in IMPORTED if sex == "female"]
    )
    people = len(attendees)  # each person once: 5
    attendances = sum(attends for *_rest, attends in REGISTERED) + sum(
        len(listed) for _id, _date, listed in MARKET_DAYS
    )  # 6
    sessions = 1 + len(MARKET_DAYS)  # 3
    share = f"{100 * women / people:.1f}%"  # 80.0%
    poor_1 = sum(
        1 for *_r, id_poor, attends in REGISTERED if attends and id_poor == IdPoor.LEVEL_1
    ) + sum(1 for *_r, id_poor in IMPORTED if id_poor == IdPoor.LEVEL_1)  # 2
    market_day_people = len({person for _id, _date, listed in MARKET_DAYS for person in listed})
    assert (people, women, attendances, sessions, share, poor_1, market_day_people) == (
        5, 4, 6, 3, "80.0%", 2, 2,
    )  # fmt: skip

    text, rows = docx_text(docx_path)
    assert PROJECT_KM in text
    assert NARRATIVE in text
    for label, value in [
        ("People reached (registered, each counted once)", people),
        ("of whom women and girls", women),
        ("Attendances", attendances),
        ("Activities (sessions)", sessions),
    ]:
        assert [km(label), str(value)] in rows, (label, value)
    by_code = {row[0]: row for row in rows if row and row[0] in {"G.1", "1.1", "1.2", "1.1.1", "1.1.2", "1.1.3"}}  # fmt: skip
    assert by_code["G.1"][2] == str(people)
    assert by_code["G.1"][3] == "10"  # the quarter's target
    assert by_code["1.1"][2] == share
    assert by_code["1.2"][2] == str(people)
    assert by_code["1.1.1"][2] == str(attendances)
    assert by_code["1.1.2"][2] == str(sessions)
    assert by_code["1.1.3"][2] == str(market_day_people)
    assert [km(IdPoor.LEVEL_1.label), str(poor_1)] in rows

    # The database, read only now: who and what exist, and an audit row for every write.
    assert sorted(User.objects.values_list("username", "role")) == [
        ("dara", "me_officer"), ("sophal", "admin"), ("srey", "facilitator"),
    ]  # fmt: skip
    assert list(User.objects.get(username="srey").areas.values_list("code", flat=True)) == ["1702"]
    assert Person.objects.count() == len(REGISTERED) + len(IMPORTED)
    assert Attendance.objects.count() == attendances
    assert Activity.objects.filter(project_id=project_pk).count() == sessions
    assert Indicator.objects.filter(result__framework__project_id=project_pk).count() == 6
    assert Target.objects.filter(indicator__code="G.1", period_kind="quarter").count() == 3
    framework = ResultsFramework.objects.get(project_id=project_pk)
    assert (framework.goal_label_km, framework.outcome_label_km, framework.output_label_km) == (
        "ផលប៉ះពាល់", "លទ្ធផល", "សមិទ្ធផល",
    )  # fmt: skip
    assert BudgetLine.objects.filter(project_id=project_pk).count() == 2
    assert (
        ReportNarrative.objects.get(project_id=project_pk, section="summary").text_km == NARRATIVE
    )

    def audited(action: str, objects) -> None:
        ids = {str(pk) for pk in objects.values_list("pk", flat=True)}
        rows = set(AuditEvent.objects.filter(action=action).values_list("object_id", flat=True))
        assert ids and ids <= rows, (action, ids - rows)

    audited("person.register", Person.objects.all())
    audited("activity.create", Activity.objects.all())
    audited("attendance.set", Activity.objects.all())
    audited("user.invite", User.objects.exclude(username="sophal"))
    audited("user.password_set", User.objects.all())
    audited("indicator.add", Indicator.objects.all())
    assert AuditEvent.objects.filter(action="organisation.create").count() == 1
    assert AuditEvent.objects.filter(action="vocabulary_term.add").count() == 2
    assert AuditEvent.objects.filter(action="project.create").count() == 1
    assert AuditEvent.objects.filter(action="results_framework.create").count() == 1
    assert AuditEvent.objects.filter(action="result.add").count() == 3
    assert AuditEvent.objects.filter(action="budget_line.add").count() == 2
    assert AuditEvent.objects.filter(action="report_narrative.set").exists()
    assert AuditEvent.objects.filter(action="import.land").count() == 2
    assert AuditEvent.objects.filter(action="report.requested").count() == 2

    # The PDF's text, read by poppler's pdftotext (pypdf is not installed).
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    pdf = subprocess.run(  # noqa: S603 - our own file
        [pdftotext, "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(ZERO_WIDTH_SPACE, "")
    # The PDF's text layer maps each Khmer glyph to the characters of the first cluster it was
    # drawn in (WeasyPrint's ToUnicode map), so Khmer read back from it is scrambled: a line
    # must resemble the text (0.88 for the narrative here, under 0.31 for every other line).
    assert resemblance(pdf, NARRATIVE) > 0.75
    assert resemblance(pdf, PROJECT_KM) > 0.75
    assert share in pdf
    for code, value in [("G.1", people), ("1.1.1", attendances), ("1.1.2", sessions)]:
        assert re.search(rf"^\s*{re.escape(code)}\s.*\s{value}\s", pdf, re.MULTILINE), code
