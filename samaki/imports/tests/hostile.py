"""Hostile spreadsheets for the import tests, and a probe of one import's peak memory.

    .venv/bin/python -m samaki.imports.tests.hostile FILE

reads FILE (.xlsx or .csv) as `import_run` reads a job's content (read, then parse the rows as
people) in this fresh process and prints `peak_rss_mb=<n> outcome=<...>`;
`... hostile --write DIR` first writes the hostile files into DIR. test_hostile_files.py runs it in a subprocess; the figures are in
docs/benchmarks.md. Memory is measured, not time.
"""

import io
import re
import resource
import sys
import zipfile
from pathlib import Path

LAST_ROW = 1_048_576  # Excel's last row; XFD is its last column (16,384)


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def minimal_xlsx(dimension: str, rows: dict[int, list[tuple[str, str]]]) -> bytes:
    """An XLSX written by hand: one sheet declaring `dimension`, with {row: [(column, text)]}."""
    sheet_data = "".join(
        f'<row r="{n}">' + "".join(_cell(f"{col}{n}", text) for col, text in cells) + "</row>"
        for n, cells in sorted(rows.items())
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


HEADER = [("A", "External ID"), ("B", "Name in Latin script"), ("C", "Sex"), ("D", "Village code")]


def million_rows_xlsx(dimension: str = f"A1:XFD{LAST_ROW}") -> bytes:
    """A ~1.5 KB workbook that declares a million rows and has one cell on Excel's last row."""
    return minimal_xlsx(dimension, {1: HEADER, LAST_ROW: [("A", "x")]})


def wide_xlsx() -> bytes:
    """A workbook whose header row has a cell in Excel's last column, XFD."""
    return minimal_xlsx("A1:XFD1", {1: [*HEADER, ("XFD", "x")]})


def many_rows_csv(rows: int) -> bytes:
    lines = ["External ID,Name in Latin script,Sex,Village code"]
    lines += [f"P{n},Person {n},female,17020101" for n in range(rows)]
    return "\n".join(lines).encode()


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB.

    Linux's VmHWM belongs to the program the process now runs; ru_maxrss would also count the
    parent's memory at fork, which a child started from a big pytest process inherits.
    """
    status = Path("/proc/self/status")
    if status.exists():
        found = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.MULTILINE)
        if found:
            return int(found[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def write_files(folder: Path) -> list[Path]:
    from samaki.imports.services import MAX_ROWS

    files = {
        "million-rows.xlsx": million_rows_xlsx(),
        "million-rows-narrow.xlsx": million_rows_xlsx(f"A1:D{LAST_ROW}"),
        "wide.xlsx": wide_xlsx(),
        "too-many-rows.csv": many_rows_csv(MAX_ROWS + 1),
        "most-rows.csv": many_rows_csv(MAX_ROWS),
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [folder / name for name in files]


def probe(path: Path) -> str:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from samaki.imports.formats import FORMATS, Context
    from samaki.imports.services import parse_rows, read_table
    from samaki.organisations.models import Organisation

    translation.activate("en")
    content = path.read_bytes()
    try:
        table = read_table(content, path.name)
    except ValidationError as error:
        outcome = "refused: " + " ".join(error.messages)
    else:
        ctx = Context(organisation=Organisation(), by=None)
        rows = parse_rows(FORMATS["people"], table, ctx)
        outcome = f"read {len(rows)} rows"
    return f"peak_rss_mb={peak_rss_mb():.0f} outcome={outcome}"


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "--write":
        for path in write_files(Path(sys.argv[2])):
            print(path)
    else:
        print(probe(Path(sys.argv[1])))
