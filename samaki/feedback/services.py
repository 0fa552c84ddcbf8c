"""Feedback, complaints and whistle-blower reports: filing, routing, answering, closing.

Text that comes from the public is cleaned here, once, for every path in (public page, staff
form, demo): markup is stripped, control characters dropped, lengths bounded. Nothing is stored
as HTML; templates escape what is left.
"""

import dataclasses
import datetime
import hashlib
import re
import secrets
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.accounts.access import PUBLIC, acting_user, is_public
from samaki.accounts.models import User
from samaki.activities.models import Activity
from samaki.audit.services import audit_record, snapshot
from samaki.feedback.models import (
    RESPONSE_DAYS,
    RESTRICTED_KINDS,
    Channel,
    Feedback,
    FeedbackCategory,
    FeedbackKind,
    FocalPoint,
    Status,
)
from samaki.organisations.models import Organisation
from samaki.organisations.queries import vocabulary_get
from samaki.organisations.services import area_get, require_writer
from samaki.people.models import Person
from samaki.text import strip_invisible

MESSAGE_MAX = 2000
RESPONSE_MAX = 4000
SHORT_MAX = 120

# No 0/O, 1/I/L: a code read aloud or copied from paper by hand survives. 31 symbols, 10 of
# them: 31**10 ≈ 8 × 10**14 codes, beyond guessing at the public page's rate limit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def clean_text(value: str, *, max_length: int, field: str) -> str:
    """Plain text: tags stripped, control and bidi-override characters dropped, NFC, bounded."""
    if len(value) > max_length * 4:  # refuse before any work on a huge value
        raise ValidationError({field: _("This is too long.")})
    text = strip_tags(unicodedata.normalize("NFC", value)).replace("\r\n", "\n")
    text = strip_invisible(text).strip()
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("At most %(max)d characters, please (this has %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    return text


def follow_up_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def follow_up_code_normalise(code: str) -> str:
    """What the person typed, as it was issued: upper case, spaces and hyphens gone."""
    return re.sub(r"[\s\-]", "", code or "").upper()[: CODE_LENGTH * 2]


def follow_up_code_hash(code: str) -> str:
    return hashlib.sha256(follow_up_code_normalise(code).encode()).hexdigest()


def follow_up_code_display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def is_focal_point(*, user: Any, organisation_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return FocalPoint.objects.filter(user=user, organisation_id=organisation_id).exists()


@dataclasses.dataclass(frozen=True, kw_only=True)
class FeedbackFields:
    kind: str
    message: str
    channel: str = Channel.PUBLIC_PAGE
    category_code: str = ""
    service_name: str = ""
    area_code: str = ""
    rating: int | None = None
    anonymous: bool = True
    reporter_name: str = ""
    reporter_contact: str = ""
    received_on: datetime.date | None = None
    external_id: str = ""


@dataclasses.dataclass(frozen=True)
class Filed:
    feedback: Feedback
    code: str  # shown once to the reporter, never stored


@transaction.atomic
def feedback_file(
    *,
    organisation: Organisation,
    by: Any,
    fields: FeedbackFields,
    person: Person | None = None,
    activity: Activity | None = None,
    about_user: User | None = None,
) -> Filed:
    """File feedback. `by` is a staff member entering it, or None for the public page and the demo.

    Returns the feedback and its follow-up code.
    """
    errors: dict[str, list[str]] = {}

    def check(label: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {label: error.messages}
            for name, messages in found.items():
                errors.setdefault(name, []).extend(messages)
            return None

    if fields.kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose what kind of message this is.")]
    if fields.channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    message = check("message", clean_text, fields.message, max_length=MESSAGE_MAX, field="message")
    if message == "":
        errors.setdefault("message", []).append(_("Please write your message."))
    service_name = check(
        "service_name", clean_text, fields.service_name, max_length=200, field="service_name"
    )
    name = check(
        "reporter_name",
        clean_text,
        fields.reporter_name,
        max_length=SHORT_MAX,
        field="reporter_name",
    )
    contact = check(
        "reporter_contact",
        clean_text,
        fields.reporter_contact,
        max_length=SHORT_MAX,
        field="reporter_contact",
    )
    if fields.rating is not None and not 1 <= fields.rating <= 5:
        errors["rating"] = [_("A rating is from 1 to 5.")]
    category = None
    if fields.category_code:
        category = check(
            "category",
            vocabulary_get,
            FeedbackCategory,
            organisation=organisation,
            code=fields.category_code,
        )
    area = None
    if fields.area_code:
        area = check("area", area_get, code=fields.area_code)
    if not is_public(by):  # a community member on the public page, or staff entering it
        require_writer(by=by, organisation=organisation, area=area)
    for row, label in [(person, "person"), (activity, "activity"), (about_user, "about_user")]:
        if row is not None and row.organisation_id != organisation.pk:
            errors[label] = [_("This belongs to another organisation.")]
    if about_user is not None and fields.kind not in RESTRICTED_KINDS:
        errors["about_user"] = [
            _("Only a staff-conduct complaint or a whistle-blower report names a staff member.")
        ]
    if errors:
        raise ValidationError(errors)

    received_on = fields.received_on or timezone.localdate()
    code = follow_up_code_new()
    kind = FeedbackKind(fields.kind)
    feedback = Feedback(
        organisation=organisation,
        external_id=fields.external_id,
        kind=kind,
        restricted=kind in RESTRICTED_KINDS,
        category=category,
        service_name=service_name or "",
        channel=fields.channel,
        area=area,
        rating=fields.rating,
        message=message,
        anonymous=fields.anonymous,
        reporter_name="" if fields.anonymous else name or "",
        reporter_contact="" if fields.anonymous else contact or "",
        person=None if fields.anonymous else person,
        activity=activity,
        about_user=about_user,
        code_hash=follow_up_code_hash(code),
        received_on=received_on,
        respond_by=received_on + datetime.timedelta(days=RESPONSE_DAYS[kind]),
        created_by=acting_user(by),
    )
    feedback.full_clean(exclude=["code_hash"])
    feedback.save()
    # The audit trail keeps no words of a restricted report, nor who gave any feedback.
    audit_record(
        by=by,
        action="feedback.file",
        obj=feedback,
        organisation_id=organisation.pk,
        after={"kind": kind.value, "channel": fields.channel, "restricted": feedback.restricted},
    )
    return Filed(feedback=feedback, code=code)


def _require_responder(*, by: Any, feedback: Feedback) -> None:
    if feedback.restricted:
        if by is None or not is_focal_point(user=by, organisation_id=feedback.organisation_id):
            raise PermissionDenied(_("Only the organisation's focal points handle this report."))
        if feedback.about_user_id is not None and feedback.about_user_id == by.pk:
            raise PermissionDenied(_("The other focal points handle a report about you."))
        return
    require_writer(by=by, organisation=feedback.organisation, area=feedback.area)


@transaction.atomic
def feedback_respond(
    *, feedback: Feedback, by: Any, status: str, response: str, on: datetime.date | None = None
) -> Feedback:
    """Move the feedback along: being looked into, answered (the reporter can read the answer), closed."""
    _require_responder(by=by, feedback=feedback)
    if status not in Status.values or status == Status.RECEIVED:
        raise ValidationError({"status": _("Choose where this feedback now stands.")})
    text = clean_text(response, max_length=RESPONSE_MAX, field="response")
    if status in {Status.ANSWERED, Status.CLOSED} and not text:
        raise ValidationError({"response": _("Write the answer the reporter will read.")})
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    before = {"status": locked.status, "answered_on": str(locked.answered_on or "")}
    locked.status = status
    locked.response = text
    if status in {Status.ANSWERED, Status.CLOSED} and locked.answered_on is None:
        locked.answered_on = on or timezone.localdate()
        locked.answered_by = acting_user(by)
    locked.save(update_fields=["status", "response", "answered_on", "answered_by"])
    audit_record(
        by=by,
        action="feedback.respond",
        obj=locked,
        organisation_id=locked.organisation_id,
        before=before,
        after={"status": locked.status, "answered_on": str(locked.answered_on or "")},
    )
    return locked


def feedback_view_record(*, feedback: Feedback, by: Any) -> None:
    """Every opening of a restricted report is written down: who, when, which."""
    audit_record(
        by=by, action="feedback.view", obj=feedback, organisation_id=feedback.organisation_id
    )


def feedback_follow_up_record(*, feedback: Feedback) -> None:
    """The reporter read her answer with her code."""
    audit_record(
        by=PUBLIC,
        action="feedback.follow_up",
        obj=feedback,
        organisation_id=feedback.organisation_id,
    )


def _require_admin(*, by: Any, organisation_id: int) -> None:
    access.require_org_admin(by=by, organisation_id=organisation_id)


@transaction.atomic
def focal_point_designate(
    *, organisation: Organisation, by: Any, user: User, on: datetime.date | None = None
) -> FocalPoint:
    """An administrator designates one of her organisation's staff as a focal point; nobody
    designates herself (she would read the complaints about her own conduct)."""
    _require_admin(by=by, organisation_id=organisation.pk)
    access.require_not_self(by=by, user=user)
    if user.organisation_id != organisation.pk:
        raise ValidationError({"user": _("A focal point works for this organisation.")})
    if FocalPoint.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("She is a focal point already.")})
    focal_point = FocalPoint.objects.create(
        organisation=organisation, user=user, designated_on=on or timezone.localdate()
    )
    audit_record(
        by=by,
        action="focal_point.designate",
        obj=focal_point,
        organisation_id=organisation.pk,
        after=snapshot(focal_point),
    )
    return focal_point


@transaction.atomic
def focal_point_remove(*, focal_point: FocalPoint, by: Any) -> None:
    _require_admin(by=by, organisation_id=focal_point.organisation_id)
    audit_record(
        by=by,
        action="focal_point.remove",
        obj=focal_point,
        organisation_id=focal_point.organisation_id,
        before=snapshot(focal_point),
    )
    focal_point.delete()
