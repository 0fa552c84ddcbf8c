from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from samaki.imports.exports import EXPORTS, to_csv, to_xlsx
from samaki.imports.formats import FORMATS
from samaki.imports.models import JobStatus
from samaki.imports.queries import get_import_job_for_user, import_job_list
from samaki.imports.services import import_job_create, import_size_check, template_xlsx
from samaki.imports.tasks import run_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=[(k, f.title) for k, f in FORMATS.items()]
    )
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        import_size_check(size=file.size)  # before anything reads it
        return file


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    # An upload above 2.5 MB is on disk by now (FILE_UPLOAD_MAX_MEMORY_SIZE); the form refuses
    # one above SAMAKI_IMPORT_MAX_BYTES from its size, before reading it.
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            job = import_job_create(
                organisation=request.user.organisation,  # type: ignore[union-attr,arg-type]
                by=request.user,
                kind=form.cleaned_data["kind"],
                file_name=file.name,
                content=file.read(),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", [str(error)]))
        else:
            run_import.enqueue(job.pk)
            return redirect("imports:detail", pk=job.pk)
    context = {
        "form": form,
        "jobs": import_job_list(user=request.user)[:20],
        "formats": FORMATS.values(),
        "exports": EXPORTS.values(),
    }
    return render(request, "imports/list.html", context)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(user=request.user, pk=pk)
    running = job.status not in {JobStatus.DONE, JobStatus.FAILED}
    errors = job.result.get("errors", [])
    return render(
        request,
        "imports/detail.html",
        {"job": job, "running": running, "errors": errors[:1000], "error_count": len(errors)},
    )


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORMATS:
        raise Http404
    response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="samaki-{kind}-template.xlsx"'
    return response


@login_required
def export_download(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    export = EXPORTS.get(name)
    if export is None or extension not in {"csv", "xlsx"}:
        raise Http404
    headers = [str(column.header) for column in export.columns]
    hxl = [column.hxl for column in export.columns] if request.GET.get("hxl") else None
    rows = export.rows(request.user)
    if extension == "csv":
        response = HttpResponse(to_csv(headers, hxl, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(str(export.title), headers, hxl, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="samaki-{name}.{extension}"'
    return response
