"""A reflection round as a Word document or a spreadsheet: plain data in, bytes out."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from samaki.learning.queries import ReflectionTable
from samaki.spreadsheets import safe_row

KHMER_FONT = "Noto Sans Khmer"


def reflection_xlsx(table: ReflectionTable) -> bytes:
    book = Workbook()
    sheet = book.create_sheet("Reflections", 0)
    book.remove(book.worksheets[1])
    sheet.title = "Reflections"
    sheet.append(safe_row([table.title]))
    sheet.append(safe_row([f"{table.consortium} · {table.period_start} – {table.period_end}"]))
    sheet.append([])
    sheet.append(safe_row(["Organisation", *[prompt.text_en for prompt in table.prompts]]))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(safe_row([str(row.organisation), *row.answers]))
    sheet.column_dimensions["A"].width = 18
    for n in range(len(table.prompts)):
        sheet.column_dimensions[chr(ord("B") + n)].width = 60
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reflection_docx(table: ReflectionTable) -> bytes:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    # Khmer runs use the complex-script font and language, or Word overflows the table rows.
    properties = normal.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:cs"), KHMER_FONT)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = properties.makeelement(qn("w:lang"), {})
        properties.append(language)
    language.set(qn("w:bidi"), "km-KH")
    document.add_heading(table.title, level=1)
    document.add_paragraph(f"{table.consortium} · {table.period_start} – {table.period_end}")
    for row in table.rows:
        document.add_heading(str(row.organisation.name_en), level=2)
        for prompt, answer in zip(table.prompts, row.answers, strict=True):
            paragraph = document.add_paragraph()
            paragraph.add_run(prompt.text_en + " ").bold = True
            paragraph.add_run(answer or "—")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
