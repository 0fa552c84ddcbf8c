"""Publishing forms, receiving and recording submissions (phones' tokens: `samaki.api.services`).

A submission is first kept exactly as it arrived (nothing a phone sends is ever lost), then
turned into Samaki records through the same services as the web forms; when that fails it waits
in the review queue with the reason.
"""

import dataclasses
import datetime
import hashlib
import re
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.activities.models import Activity
from samaki.activities.services import ActivityFields, activity_create, attendance_set
from samaki.api.models import Token
from samaki.audit.services import audit_record
from samaki.openrosa.models import (
    Attachment,
    FormPurpose,
    Submission,
    SubmissionStatus,
    XForm,
)
from samaki.openrosa.xlsforms import SHIPPED, xlsform_convert, xlsx_bytes
from samaki.organisations.models import Organisation
from samaki.organisations.services import require_writer
from samaki.people.models import WG_FIELDS, Person, RegistrationChannel
from samaki.people.queries import person_list
from samaki.people.services import (
    KHMER_DIGITS,
    PersonFields,
    person_register_reviewed,
    person_update,
)
from samaki.periods.rules import PeriodLocked

# What each purpose can fill, and the XForm field it reads by default (the shipped forms' names).
TARGET_FIELDS = {
    FormPurpose.PERSON_REGISTRATION: [
        "consent",
        "name_km",
        "name_latin",
        "sex",
        "birth_date",
        "birth_year",
        "village_code",
        "phone",
        "id_poor",
        *WG_FIELDS,
    ],
    FormPurpose.ATTENDANCE: ["kind_code", "date", "area_code", "title", "attendees"],
    FormPurpose.FEEDBACK: [],
    FormPurpose.KEEP: [],
}
ENCRYPTED_NS = "http://www.opendatakit.org/xforms/encrypted"


# --- Forms ------------------------------------------------------------------------------------


@transaction.atomic
def form_publish(
    *,
    organisation: Organisation,
    by: Any,
    xlsform: bytes,
    file_name: str,
    purpose: str,
    mapping: dict[str, str] | None = None,
) -> XForm:
    """Convert an XLSForm and serve it to the organisation's phones (replacing the same form ID).

    Raises XLSFormError (row by row) when pyxform refuses the file, ValidationError when the
    mapping names fields the form does not have.
    """
    access.require_actor(by)
    if not (
        access.is_system(by)
        or access.is_platform_operator(by)
        or access.is_org_admin(by, organisation.pk)
    ):
        raise PermissionDenied(_("Only an administrator may publish phone forms."))
    if purpose not in FormPurpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    converted = xlsform_convert(xlsform, file_name=file_name)
    mapping = {key: value for key, value in (mapping or {}).items() if value}
    names = _field_names(converted.xml)
    errors = []
    for target, source in mapping.items():
        if target not in TARGET_FIELDS[FormPurpose(purpose)]:
            errors.append(
                _("Samaki has no field “%(field)s” for this purpose.") % {"field": target}
            )
        elif source not in names:
            errors.append(_("The form has no field named “%(field)s”.") % {"field": source})
    if errors:
        raise ValidationError({"mapping": errors})
    xform, created = XForm.objects.update_or_create(
        organisation=organisation,
        form_id=converted.form_id,
        defaults={
            "version": converted.version,
            "title": converted.title,
            "purpose": purpose,
            "xml": converted.xml,
            # OpenRosa's formList names the form file's MD5; a checksum, not security.
            "md5": hashlib.md5(converted.xml.encode(), usedforsecurity=False).hexdigest(),
            "xlsform": xlsform,
            "xlsform_name": file_name,
            "mapping": mapping,
            "active": True,
        },
    )
    audit_record(
        by=by,
        action="xform.publish" if created else "xform.replace",
        obj=xform,
        organisation_id=organisation.pk,
        after={"form_id": xform.form_id, "version": xform.version, "purpose": purpose},
    )
    return xform


def shipped_form_publish(*, organisation: Organisation, by: Any, form_id: str) -> XForm:
    form = SHIPPED[form_id]
    return form_publish(
        organisation=organisation,
        by=by,
        xlsform=xlsx_bytes(form),
        file_name=f"{form_id}.xlsx",
        purpose=form.purpose,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _field_names(xml: str) -> set[str]:
    """Names of the elements of the form's main instance (its fields and groups)."""
    root = ElementTree.fromstring(xml.encode())
    for element in root.iter():
        if _local(element.tag) == "instance" and len(element):
            return {_local(node.tag) for node in element[0].iter()}
    return set()


# --- Submissions ------------------------------------------------------------------------------


@dataclasses.dataclass
class Received:
    """What the OpenRosa view answers: an HTTP status and the message for the phone."""

    status: int
    message: str
    submission: Submission | None = None


@dataclasses.dataclass
class ParsedInstance:
    root: Element
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    encrypted: bool


def parse_instance(xml: bytes) -> ParsedInstance:
    """Read form ID, version, instanceID and deprecatedID; ValueError for anything unreadable."""
    try:
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise ValueError(
            _("The submission is not well-formed XML: %(error)s") % {"error": error}
        ) from None
    form_id = root.get("id") or ""
    if not form_id and root.tag.startswith("{") and not root.tag.startswith("{" + ENCRYPTED_NS):
        form_id = root.tag[1:].split("}")[0]
    if not form_id:
        raise ValueError(_("The submission does not name its form (no id attribute)."))
    meta = {_local(node.tag): (node.text or "").strip() for node in root.iter()}
    instance_id = meta.get("instanceID", "")
    if not instance_id:
        # Collect before 2012 sent no instanceID: the content itself identifies the instance.
        instance_id = "sha256:" + hashlib.sha256(xml).hexdigest()
    return ParsedInstance(
        root=root,
        form_id=form_id,
        version=root.get("version") or "",
        instance_id=instance_id,
        deprecated_id=meta.get("deprecatedID", ""),
        encrypted=root.get("encrypted") == "yes",
    )


def _store_attachments(submission: Submission, files: dict[str, Any]) -> int:
    """Keep the media parts not yet kept; return how many were new."""
    have = set(submission.attachments.values_list("name", flat=True))
    new = 0
    for name, upload in files.items():
        safe = name.replace("\\", "/").rsplit("/", 1)[-1]
        if not safe or safe in {".", ".."} or safe in have:
            continue
        content = upload.read()
        attachment = Attachment(
            organisation_id=submission.organisation_id,
            submission=submission,
            name=safe,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        attachment.file.save(safe, ContentFile(content), save=False)
        attachment.save()
        have.add(safe)
        new += 1
    return new


@transaction.atomic
def submission_receive(*, device: Token, xml: bytes, files: dict[str, Any]) -> Received:
    """Take one OpenRosa POST: keep it, merge split posts, refuse conflicts, then record it."""
    try:
        parsed = parse_instance(xml)
    except ValueError as error:
        return Received(400, str(error))
    xform = XForm.objects.filter(
        organisation_id=device.organisation_id, form_id=parsed.form_id, active=True
    ).first()
    if xform is None:
        return Received(
            404, _("The form “%(id)s” is not served to this device.") % {"id": parsed.form_id}
        )
    digest = hashlib.sha256(xml).hexdigest()
    existing = (
        Submission.objects.select_for_update()
        .filter(xform=xform, instance_id=parsed.instance_id)
        .first()
    )
    if existing is not None:
        if existing.xml_sha256 != digest:
            return Received(
                409,
                _(
                    "Another submission with the instanceID %(id)s and different content "
                    "arrived before. Resubmissions that add media must repeat the same XML."
                )
                % {"id": parsed.instance_id},
            )
        if _store_attachments(existing, files):
            return Received(201, _("Attachments added to the submission."), existing)
        return Received(202, _("Duplicate submission: it was already received."), existing)
    submission = Submission.objects.create(
        organisation_id=device.organisation_id,
        xform=xform,
        instance_id=parsed.instance_id,
        deprecated_id=parsed.deprecated_id,
        xml=xml.decode("utf-8", errors="replace"),
        xml_sha256=digest,
        device=device,
        status=SubmissionStatus.REVIEW,
        encrypted=parsed.encrypted,
    )
    _store_attachments(submission, files)
    try:
        submission_record(submission=submission, by=device.user, parsed=parsed)
    except PeriodLocked as locked:
        # Into a submitted period: refused outright (409, as for a conflict), nothing kept, so
        # the phone may send it again once the period is reopened.
        transaction.set_rollback(True)
        return Received(409, " ".join(locked.messages))
    # One row for the phone's one act, written last so that it says what became of it.
    audit_record(
        by=device.user,
        action="submission.receive",
        obj=submission,
        organisation_id=device.organisation_id,
        after={
            "form_id": xform.form_id,
            "instance_id": parsed.instance_id,
            "device": device.pk,
            "status": submission.status,
            "record": f"{submission.record_type}#{submission.record_id}"
            if submission.record_id
            else "",
        },
    )
    return Received(201, _("Full submission upload was successful!"), submission)


def _values(root: Element) -> dict[str, str]:
    """Leaf name -> text, for the fields of a flat form (groups are only containers here)."""
    return {
        _local(node.tag): (node.text or "").strip()
        for node in root.iter()
        if len(node) == 0 and _local(node.tag) not in {"instanceID", "deprecatedID"}
    }


def _int(text: str) -> int | None:
    text = text.translate(KHMER_DIGITS).strip()
    return int(text) if text.isdigit() else None


def _date(text: str) -> datetime.date | None:
    text = text.translate(KHMER_DIGITS).strip()
    return datetime.date.fromisoformat(text[:10]) if text else None


def _reason(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def submission_record(
    *, submission: Submission, by: Any, parsed: ParsedInstance | None = None
) -> Submission:
    """Turn a kept submission into Samaki records, or leave it for review with the reason."""
    parsed = parsed or parse_instance(submission.xml.encode())
    xform = submission.xform
    status, reason = SubmissionStatus.REVIEW, ""
    record: Any = None
    previous = None
    if parsed.deprecated_id:
        previous = Submission.objects.filter(xform=xform, instance_id=parsed.deprecated_id).first()
    try:
        with transaction.atomic():
            if parsed.encrypted:
                reason = _("Encrypted submission: Samaki keeps it but cannot read it.")
            elif xform.purpose in {FormPurpose.KEEP, FormPurpose.FEEDBACK}:
                status = SubmissionStatus.KEPT
                reason = (
                    _("Samaki has no feedback records yet: the submission is kept as it is.")
                    if xform.purpose == FormPurpose.FEEDBACK
                    else _("This form is not mapped to Samaki records: the submission is kept.")
                )
            else:
                values = _values(parsed.root)
                mapping = {field: field for field in TARGET_FIELDS[FormPurpose(xform.purpose)]}
                mapping.update(xform.mapping)
                mapped = {field: values.get(source, "") for field, source in mapping.items()}
                if xform.purpose == FormPurpose.PERSON_REGISTRATION:
                    record, reason = _record_person(submission, by, mapped, previous)
                else:
                    record, reason = _record_attendance(submission, by, mapped, previous)
                if record is not None:
                    status = SubmissionStatus.RECORDED
    except PeriodLocked:
        raise  # not for review: submission_receive refuses it, submission_retry shows it
    except (ValidationError, PermissionDenied) as error:
        status, reason, record = SubmissionStatus.REVIEW, _reason(error), None
    except (ValueError, TypeError) as error:
        status, reason, record = SubmissionStatus.REVIEW, str(error), None
    submission.status = status
    submission.reason = reason
    if record is not None:
        submission.record_type = record._meta.label_lower
        submission.record_id = str(record.pk)
    submission.save(update_fields=["status", "reason", "record_type", "record_id"])
    if previous is not None and status != SubmissionStatus.REVIEW:
        previous.status = SubmissionStatus.SUPERSEDED
        previous.reason = _("Replaced by the edit %(id)s.") % {"id": submission.instance_id}
        previous.save(update_fields=["status", "reason"])
    return submission


def _record_person(
    submission: Submission, by: Any, mapped: dict[str, str], previous: Submission | None
) -> tuple[Person | None, str]:
    if mapped.get("consent", "yes") not in {"yes", "1", "true"}:
        return None, _("She did not agree that her record is kept: nothing was recorded.")
    fields = PersonFields(
        name_km=mapped["name_km"],
        name_latin=mapped["name_latin"],
        sex=mapped["sex"],
        birth_date=_date(mapped["birth_date"]),
        birth_year=_int(mapped["birth_year"]),
        village_code=mapped["village_code"].translate(KHMER_DIGITS),
        phone=mapped["phone"],
        id_poor=mapped["id_poor"] or "unknown",
        **{name: _int(mapped[name]) for name in WG_FIELDS},
        external_id=f"odk:{submission.instance_id}"[:80],
    )
    if previous is not None and previous.record_id:
        person = Person.objects.get(
            organisation_id=submission.organisation_id, pk=previous.record_id
        )
        if person.merged_into_id is not None:  # merged since: the edit is the kept record's
            person = Person.objects.get(pk=person.merged_into_id)
        # The record keeps its first external ID: other imports may refer to it.
        fields = dataclasses.replace(fields, external_id=person.external_id)
        return person_update(person=person, by=by, fields=fields), ""
    person, _reviews = person_register_reviewed(
        organisation=submission.xform.organisation,
        by=by,
        channel=RegistrationChannel.OPENROSA,
        fields=fields,
    )
    return person, ""


def _record_attendance(
    submission: Submission, by: Any, mapped: dict[str, str], previous: Submission | None
) -> tuple[Activity | None, str]:
    numbers = [int(n) for n in re.findall(r"\d+", mapped["attendees"].translate(KHMER_DIGITS))]
    organisation = submission.xform.organisation
    # The people she may see, as on her pages: someone outside her areas is "no person of
    # yours" exactly like a number that does not exist (the reason must not tell them apart).
    people = list(person_list(user=by).filter(organisation=organisation, pk__in=numbers))
    unknown = sorted(set(numbers) - {person.pk for person in people})
    if unknown:
        raise ValidationError(
            {
                "attendees": _("No person of yours has the number(s) %(numbers)s.")
                % {"numbers": ", ".join(map(str, unknown))}
            }
        )
    if previous is not None and previous.record_id:
        # Voided since, it is still found: attendance_set refuses it with a reason to review.
        activity = Activity.all_objects.get(organisation=organisation, pk=previous.record_id)
    else:
        date = _date(mapped["date"])
        if date is None:
            raise ValidationError({"date": _("The session has no date.")})
        activity = activity_create(
            organisation=organisation,
            by=by,
            fields=ActivityFields(
                kind_code=mapped["kind_code"],
                date=date,
                area_code=mapped["area_code"].translate(KHMER_DIGITS),
                title=mapped["title"],
                external_id=f"odk:{submission.instance_id}"[:80],
            ),
        )
    attendance_set(activity=activity, by=by, people=people)
    return activity, ""


@transaction.atomic
def submission_retry(*, submission: Submission, by: Any) -> Submission:
    """A reviewer fixed the cause (a missing village, a person) and records it again."""
    require_writer(by=by, organisation=submission.xform.organisation)
    if submission.status != SubmissionStatus.REVIEW:
        raise ValidationError(_("Only a submission waiting for review can be recorded again."))
    submission_record(submission=submission, by=by)
    audit_record(
        by=by,
        action="submission.record",
        obj=submission,
        organisation_id=submission.organisation_id,
        after={"status": submission.status, "reason": submission.reason},
    )
    return submission


@transaction.atomic
def submission_reject(*, submission: Submission, by: Any, reason: str) -> Submission:
    require_writer(by=by, organisation=submission.xform.organisation)
    if submission.status != SubmissionStatus.REVIEW:
        raise ValidationError(_("Only a submission waiting for review can be rejected."))
    submission.status = SubmissionStatus.REJECTED
    submission.reason = reason.strip() or _("Rejected by a reviewer.")
    submission.save(update_fields=["status", "reason"])
    audit_record(
        by=by,
        action="submission.reject",
        obj=submission,
        organisation_id=submission.organisation_id,
        after={"reason": submission.reason},
    )
    return submission
