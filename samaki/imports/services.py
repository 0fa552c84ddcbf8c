"""Running an import: read the file, check every row, then write all of it or nothing."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.audit.services import audit_record
from samaki.imports import values
from samaki.imports.formats import FORMATS, Context, ImportFormat, Row
from samaki.imports.models import ImportJob, JobStatus
from samaki.organisations.models import Organisation

MAX_ROWS = 200_000  # under the header
MAX_COLUMNS = 200
PROGRESS_EVERY = 2_000


class Rollback(Exception):
    """Raised inside the write transaction when any row failed: nothing lands."""


def import_size_check(*, size: int) -> None:
    """Refuse a file larger than SAMAKI_IMPORT_MAX_BYTES (the form checks before reading it)."""
    if size > settings.SAMAKI_IMPORT_MAX_BYTES:
        megabytes = settings.SAMAKI_IMPORT_MAX_BYTES / (1024 * 1024)
        raise ValidationError(
            _("The file is larger than %(size)s MB: split it.") % {"size": f"{megabytes:g}"}
        )


def rows_bounded(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The rows as lists, read one at a time and refused as soon as they pass the limits.

    A sheet can declare a million rows and 16,384 columns in 1.5 KB (openpyxl then pads every
    row to that size), so nothing here trusts the declared size: empty cells at the end of a
    row are dropped, data rows are cut to the header's width (cells past it are never read),
    and reading stops at row MAX_ROWS + 2, blank rows included.
    """
    table: list[list[Any]] = []
    width = MAX_COLUMNS
    for cells in rows:
        if len(table) > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(n)s rows: split it.") % {"n": MAX_ROWS}
            )
        end = min(len(cells), width if table else len(cells))
        while end and (cells[end - 1] is None or cells[end - 1] == ""):
            end -= 1
        if not table:
            if end > MAX_COLUMNS:
                raise ValidationError(
                    _("The file has more than %(n)s columns: delete the ones Samaki does not need.")
                    % {"n": MAX_COLUMNS}
                )
            width = end
        table.append(list(cells[:end]))
    return table


def read_table(content: bytes, file_name: str) -> list[list[Any]]:
    """Rows of cells from an XLSX (first sheet) or a CSV (UTF-8, comma or semicolon).

    Refuses, with a message for the person who uploaded it, a file larger than
    SAMAKI_IMPORT_MAX_BYTES, with more than MAX_ROWS rows under the header or with more than
    MAX_COLUMNS columns, before holding more than that in memory.
    """
    import_size_check(size=len(content))
    if file_name.lower().endswith(".xlsx") or content[:2] == b"PK":
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ValidationError(
                _("This is not an Excel file Samaki can read (%(error)s).") % {"error": error}
            ) from None
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # the declared size can lie: read only the cells there are
            return rows_bounded(sheet.iter_rows(values_only=True))
        except (KeyError, ValueError, ParseError) as error:
            raise ValidationError(
                _("This is not an Excel file Samaki can read (%(error)s).") % {"error": error}
            ) from None
        finally:
            book.close()
    # Decoded as it is read, a line at a time: the file is never held twice.
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        first_line = stream.readline()
        stream.seek(0)
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return rows_bounded(csv.reader(stream, delimiter=delimiter))
    except UnicodeDecodeError:
        raise ValidationError(_("Save the CSV file as UTF-8 (Excel: “CSV UTF-8”).")) from None
    except csv.Error as error:
        raise ValidationError(
            _("This is not a CSV file Samaki can read (%(error)s).") % {"error": error}
        ) from None


def _header_keys(fmt: ImportFormat, header: list[Any]) -> tuple[list[str | None], list[str]]:
    """Map each header cell to a column key; accept English, Khmer, both, or the key itself."""
    names: dict[str, str] = {}
    for column in fmt.columns:
        for name in (column.key, str(column.en), column.km, column.header):
            names[" ".join(name.split()).lower()] = column.key
    keys: list[str | None] = []
    for cell in header:
        label = values.text(cell).strip().rstrip("*").strip().lower()
        keys.append(names.get(label) if label else None)
    missing = [
        str(column.header) for column in fmt.columns if column.required and column.key not in keys
    ]
    return keys, missing


def parse_rows(
    fmt: ImportFormat,
    table: list[list[Any]],
    ctx: Context,
    on_progress: Callable[[int], None] | None = None,
) -> list[Row]:
    """Read every cell with its column's reader; note every bad cell and missing value."""
    if not table:
        ctx.fail(1, "", _("The file is empty."))
        return []
    keys, missing = _header_keys(fmt, table[0])
    for header in missing:
        ctx.fail(1, "", _("The column “%(column)s” is missing.") % {"column": header})
    if missing:
        return []
    columns = {column.key: column for column in fmt.columns}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if on_progress is not None and number % PROGRESS_EVERY == 0:
            on_progress(number - 1)
        if all(values.text(cell) == "" for cell in cells):
            continue
        row = Row(number=number, values={})
        unreadable = set()
        for key, cell in zip(keys, cells, strict=False):
            if key is None:
                continue
            try:
                row.values[key] = columns[key].read(cell)
            except values.BadValue as error:
                ctx.fail(row, key, str(error))
                unreadable.add(key)
        for column in fmt.columns:
            if column.key in unreadable:
                continue
            if column.required and row.values.get(column.key, "") == "":
                ctx.fail(row, column.key, _("This column needs a value."))
        rows.append(row)
    return rows


@transaction.atomic
def import_job_create(
    *, organisation: Organisation, by: Any, kind: str, file_name: str, content: bytes
) -> ImportJob:
    # Each row's service checks her areas; here only that she writes for this organisation.
    access.require_organisation_writer(by=by, organisation=organisation)
    if kind not in FORMATS:
        raise ValidationError({"kind": _("Unknown kind of import.")})
    import_size_check(size=len(content))
    job = ImportJob.objects.create(
        organisation=organisation, by=by, kind=kind, file_name=file_name, content=content
    )
    audit_record(
        by=by,
        action="import.create",
        obj=job,
        organisation_id=organisation.pk,
        after={"kind": kind, "file_name": file_name, "size": len(content)},
    )
    return job


def _progress(job: ImportJob, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def import_run(*, job_id: int) -> ImportJob:
    """Check the whole file, then write it in one transaction; any bad row lands nothing.

    Progress is written while checking (outside the transaction, so the page sees it); the
    write itself is one transaction, shown as "Writing".
    """
    job = ImportJob.objects.select_related("organisation", "by").get(pk=job_id)
    fmt = FORMATS[job.kind]
    ctx = Context(organisation=job.organisation, by=job.by)
    _progress(job, status=JobStatus.CHECKING, done=0, total=0)
    try:
        table = read_table(bytes(job.content), job.file_name)
    except ValidationError as error:
        return _finish(job, ctx, [{"row": None, "column": "", "message": " ".join(error.messages)}])
    _progress(job, total=max(len(table) - 1, 0))
    rows = parse_rows(fmt, table, ctx, on_progress=lambda done: _progress(job, done=done))
    fmt.check(rows, ctx)
    if ctx.errors:
        return _finish(job, ctx, ctx.errors)
    _progress(job, status=JobStatus.WRITING)
    try:
        with transaction.atomic():
            fmt.write(rows, ctx)
            if ctx.errors:
                raise Rollback
            audit_record(
                by=job.by,
                action="import.land",
                obj=job,
                organisation_id=job.organisation_id,
                after=ctx.counts,
            )
    except Rollback:
        return _finish(job, ctx, ctx.errors)
    except PermissionDenied as error:
        return _finish(job, ctx, [{"row": None, "column": "", "message": str(error)}])
    return _finish(job, ctx, [])


def _finish(job: ImportJob, ctx: Context, errors: list[dict[str, Any]]) -> ImportJob:
    fmt = FORMATS[job.kind]
    if errors:
        errors = sorted(errors, key=lambda e: (e["row"] or 0, e["column"]))
        result: dict[str, Any] = {
            "errors": [{**e, "header": fmt.header(e["column"])} for e in errors],
        }
        status = JobStatus.FAILED
    else:
        result = dict(ctx.counts)
        if ctx.duplicates:
            result["duplicates"] = ctx.duplicates
        status = JobStatus.DONE
    _progress(job, status=status, result=result, finished_at=timezone.now())
    return job


def template_xlsx(kind: str) -> bytes:
    """An empty workbook with the format's headers (English / Khmer) and one example row."""
    fmt = FORMATS[kind]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(fmt.title)[:31]
    sheet.append([column.header + (" *" if column.required else "") for column in fmt.columns])
    sheet.append([column.example for column in fmt.columns])
    for index, column in enumerate(fmt.columns, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            14, len(column.header) + 2
        )
        sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
