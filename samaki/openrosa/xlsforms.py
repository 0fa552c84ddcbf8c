"""The XLSForms Samaki ships, and turning any XLSForm into an XForm with row-level errors.

The shipped forms are written here as rows (survey, choices, settings) so that the XLSX an
administrator downloads and the XForm a phone downloads come from one definition. Labels are in
English and Khmer; the Washington Group questions keep their official wording.
"""

import dataclasses
import io
import re
from typing import Any

import openpyxl
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from samaki.openrosa.models import FormPurpose

EN = "label::English (en)"
KM = "label::Khmer (km)"

WG_INTRO = (
    "The next questions ask about difficulties you may have doing certain activities because of "
    "a HEALTH PROBLEM.",
    "សំណួរបន្ទាប់សួរអំពីការលំបាកដែលអ្នកអាចមាន ក្នុងការធ្វើសកម្មភាពមួយចំនួន ដោយសារបញ្ហាសុខភាព។",
)
# (Samaki field, English as the Washington Group words it, Khmer).
WG_ROWS = [
    (
        "wg_seeing",
        "Do you have difficulty seeing, even if wearing glasses?",
        "តើអ្នកមានការលំបាកក្នុងការមើលឃើញ ទោះបីពាក់វ៉ែនតាក៏ដោយឬទេ?",
    ),
    (
        "wg_hearing",
        "Do you have difficulty hearing, even if using a hearing aid?",
        "តើអ្នកមានការលំបាកក្នុងការស្តាប់ឮ ទោះបីប្រើឧបករណ៍ជំនួយការស្តាប់ក៏ដោយឬទេ?",
    ),
    (
        "wg_walking",
        "Do you have difficulty walking or climbing steps?",
        "តើអ្នកមានការលំបាកក្នុងការដើរ ឬឡើងជណ្តើរឬទេ?",
    ),
    (
        "wg_cognition",
        "Do you have difficulty remembering or concentrating?",
        "តើអ្នកមានការលំបាកក្នុងការចងចាំ ឬផ្តោតអារម្មណ៍ឬទេ?",
    ),
    (
        "wg_selfcare",
        "Do you have difficulty (with self-care such as) washing all over or dressing?",
        "តើអ្នកមានការលំបាក (ក្នុងការថែទាំខ្លួនឯង ដូចជា) ការងូតទឹក ឬការស្លៀកពាក់ឬទេ?",
    ),
    (
        "wg_communication",
        "Using your usual (customary) language, do you have difficulty communicating, for "
        "example understanding or being understood?",
        "ដោយប្រើភាសាធម្មតារបស់អ្នក តើអ្នកមានការលំបាកក្នុងការប្រាស្រ័យទាក់ទង ឧទាហរណ៍ ការយល់ ឬការធ្វើឱ្យគេយល់ឬទេ?",
    ),
]
WG_CHOICES = [
    ("1", "No, no difficulty", "ទេ គ្មានការលំបាក"),
    ("2", "Yes, some difficulty", "បាទ/ចាស មានការលំបាកខ្លះ"),
    ("3", "Yes, a lot of difficulty", "បាទ/ចាស មានការលំបាកច្រើន"),
    ("4", "Cannot do at all", "មិនអាចធ្វើបានទាល់តែសោះ"),
]
VILLAGE_CONSTRAINT = "regex(., '^[0-9]{8}$')"
VILLAGE_MESSAGE = {
    "constraint_message::English (en)": "Eight digits, the village's NCDD code (e.g. 17020101).",
    "constraint_message::Khmer (km)": "លេខ ៨ ខ្ទង់ លេខកូដភូមិ NCDD (ឧ. 17020101)។",
}


@dataclasses.dataclass(frozen=True)
class ShippedForm:
    form_id: str
    title: str
    purpose: str
    survey: list[dict[str, str]]
    choices: list[dict[str, str]]

    def sheets(self) -> dict[str, list[dict[str, str]]]:
        settings = [{"form_title": self.title, "form_id": self.form_id, "version": VERSION}]
        settings[0]["default_language"] = "English (en)"
        return {"survey": self.survey, "choices": self.choices, "settings": settings}


VERSION = "2026112101"


def q(type_: str, name: str, en: str, km: str, **extra: str) -> dict[str, str]:
    return {"type": type_, "name": name, EN: en, KM: km, **extra}


def choice(list_name: str, name: str, en: str, km: str) -> dict[str, str]:
    return {"list_name": list_name, "name": name, EN: en, KM: km}


META = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
]

PERSON_REGISTRATION = ShippedForm(
    form_id="samaki_person_registration",
    title="Samaki: register a person",
    purpose=FormPurpose.PERSON_REGISTRATION,
    survey=[
        *META,
        q(
            "select_one yes_no",
            "consent",
            "Does she agree that the organisation keeps her record to run the programme?",
            "តើគាត់យល់ព្រមឱ្យអង្គការរក្សាទុកព័ត៌មានរបស់គាត់ ដើម្បីដំណើរការកម្មវិធីឬទេ?",
            required="yes",
        ),
        q(
            "text",
            "name_km",
            "Name in Khmer script",
            "ឈ្មោះជាអក្សរខ្មែរ",
            relevant="${consent} = 'yes'",
        ),
        q(
            "text",
            "name_latin",
            "Name in Latin script",
            "ឈ្មោះជាអក្សរឡាតាំង",
            relevant="${consent} = 'yes'",
        ),
        q("select_one sex", "sex", "Sex", "ភេទ", required="yes", relevant="${consent} = 'yes'"),
        q(
            "date",
            "birth_date",
            "Date of birth (if known)",
            "ថ្ងៃខែឆ្នាំកំណើត (បើដឹង)",
            relevant="${consent} = 'yes'",
        ),
        q(
            "integer",
            "birth_year",
            "Year of birth (if the date is not known)",
            "ឆ្នាំកំណើត (បើមិនដឹងថ្ងៃខែ)",
            relevant="${consent} = 'yes' and ${birth_date} = ''",
            constraint=". >= 1900 and . <= 2100",
        ),
        q(
            "text",
            "village_code",
            "Village code",
            "លេខកូដភូមិ",
            required="yes",
            relevant="${consent} = 'yes'",
            constraint=VILLAGE_CONSTRAINT,
            **VILLAGE_MESSAGE,
        ),
        q("text", "phone", "Phone", "លេខទូរស័ព្ទ", relevant="${consent} = 'yes'"),
        q(
            "select_one id_poor",
            "id_poor",
            "ID Poor status",
            "ស្ថានភាពប័ណ្ណក្រីក្រ",
            relevant="${consent} = 'yes'",
        ),
        {
            "type": "begin group",
            "name": "wg",
            EN: WG_INTRO[0],
            KM: WG_INTRO[1],
            "relevant": "${consent} = 'yes'",
        },
        *[q("select_one wg", name, en, km) for name, en, km in WG_ROWS],
        {"type": "end group", "name": ""},
    ],
    choices=[
        choice("yes_no", "yes", "Yes", "បាទ/ចាស"),
        choice("yes_no", "no", "No", "ទេ"),
        choice("sex", "female", "Female", "ស្រី"),
        choice("sex", "male", "Male", "ប្រុស"),
        choice("sex", "other", "Other", "ផ្សេងទៀត"),
        choice("id_poor", "poor_1", "ID Poor level 1", "ក្រីក្រកម្រិត ១"),
        choice("id_poor", "poor_2", "ID Poor level 2", "ក្រីក្រកម្រិត ២"),
        choice("id_poor", "not_poor", "Not identified as poor", "មិនមែនក្រីក្រ"),
        choice("id_poor", "unknown", "Unknown", "មិនដឹង"),
        *[choice("wg", name, en, km) for name, en, km in WG_CHOICES],
    ],
)

ATTENDANCE = ShippedForm(
    form_id="samaki_session_attendance",
    title="Samaki: session attendance",
    purpose=FormPurpose.ATTENDANCE,
    survey=[
        *META,
        q("select_one activity_kind", "kind_code", "Kind of session", "ប្រភេទវគ្គ", required="yes"),
        q("date", "date", "Date of the session", "កាលបរិច្ឆេទនៃវគ្គ", required="yes"),
        q(
            "text",
            "area_code",
            "Village code",
            "លេខកូដភូមិ",
            required="yes",
            constraint=VILLAGE_CONSTRAINT,
            **VILLAGE_MESSAGE,
        ),
        q("text", "title", "Title", "ចំណងជើង"),
        q(
            "text",
            "attendees",
            "Samaki numbers of the people who came, separated by spaces",
            "លេខ Samaki របស់អ្នកដែលបានចូលរួម ដោយដកឃ្លា",
            required="yes",
            constraint="regex(., '^[0-9០-៩ ]+$')",
        ),
    ],
    choices=[
        choice("activity_kind", code, en, km)
        for code, en, km in [
            ("training", "Training", "វគ្គបណ្តុះបណ្តាល"),
            ("workshop", "Workshop", "សិក្ខាសាលា"),
            ("group_meeting", "Group meeting", "កិច្ចប្រជុំក្រុម"),
            ("home_visit", "Home visit", "ការចុះសួរសុខទុក្ខតាមផ្ទះ"),
            ("coaching", "Coaching and mentoring", "ការបង្វឹក និងការណែនាំ"),
            ("public_forum", "Public forum", "វេទិកាសាធារណៈ"),
        ]
    ],
)

FEEDBACK = ShippedForm(
    form_id="samaki_community_feedback",
    title="Samaki: community feedback",
    purpose=FormPurpose.FEEDBACK,
    survey=[
        *META,
        q("select_one topic", "about", "What is it about?", "តើវាទាក់ទងនឹងអ្វី?", required="yes"),
        q(
            "text",
            "feedback",
            "Her feedback, in her words",
            "មតិរបស់គាត់ ជាពាក្យរបស់គាត់",
            required="yes",
        ),
        q(
            "select_one yes_no",
            "anonymous",
            "Does she want to stay anonymous?",
            "តើគាត់ចង់នៅអនាមិកឬទេ?",
            required="yes",
        ),
        q("text", "area_code", "Village code", "លេខកូដភូមិ", constraint=VILLAGE_CONSTRAINT),
    ],
    choices=[
        choice("topic", "public_services", "Public services", "សេវាសាធារណៈ"),
        choice("topic", "programme", "This programme", "កម្មវិធីនេះ"),
        choice("topic", "complaint", "A complaint", "បណ្តឹង"),
        choice("topic", "other", "Something else", "ផ្សេងទៀត"),
        choice("yes_no", "yes", "Yes", "បាទ/ចាស"),
        choice("yes_no", "no", "No", "ទេ"),
    ],
)

SHIPPED = {form.form_id: form for form in (PERSON_REGISTRATION, ATTENDANCE, FEEDBACK)}


def xlsx_bytes(form: ShippedForm) -> bytes:
    """The form as an XLSX an administrator can open, change and upload again."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_name, rows in form.sheets().items():
        sheet = book.create_sheet(sheet_name)
        columns: list[str] = []
        for row in rows:
            columns += [key for key in row if key not in columns]
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclasses.dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet row, when pyxform names one
    message: str


@dataclasses.dataclass
class Converted:
    xml: str
    form_id: str
    version: str
    title: str
    warnings: list[RowError]


class XLSFormError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


ROW_RE = re.compile(r"^\[row : (\d+)\]\s*(.*)$")


def _row_errors(text: str) -> list[RowError]:
    errors = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = ROW_RE.match(line.strip())
        if match:
            errors.append(RowError(int(match.group(1)), match.group(2)))
        else:
            errors.append(RowError(None, line.strip()))
    return errors


def xlsform_convert(source: bytes | dict[str, Any], *, file_name: str = "") -> Converted:
    """XLSForm (bytes of .xlsx/.xls, or sheets as dicts) -> XForm, or XLSFormError by row.

    pyxform raises many exception types on malformed files (its own, ValueError, KeyError from
    xlrd/openpyxl on corrupt input…); every one becomes a readable error, never a crash.
    """
    file_type = None
    if isinstance(source, bytes) and file_name.lower().endswith((".xls", ".xlsx")):
        file_type = "." + file_name.lower().rsplit(".", 1)[1]
    try:
        result = convert(source, validate=False, file_type=file_type)
    except PyXFormError as error:
        raise XLSFormError(_row_errors(str(error))) from None
    except Exception as error:
        raise XLSFormError([RowError(None, f"{type(error).__name__}: {error}")]) from None
    data = result._pyxform or {}
    return Converted(
        xml=result.xform,
        form_id=str(data.get("id_string") or ""),
        version=str(data.get("version") or ""),
        title=str(data.get("title") or data.get("id_string") or ""),
        warnings=[error for text in result.warnings for error in _row_errors(text)],
    )
