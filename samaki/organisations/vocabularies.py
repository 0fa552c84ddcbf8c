"""An organisation's vocabularies: add a term, rename it, retire it, restore it. Never delete.

Six lists are vocabularies (`samaki.organisations.models.Vocabulary`): activity kinds, topics,
outcome kinds, group kinds, feedback categories and request topics. Each holds the shared terms
Samaki ships (no organisation: read-only for organisations, changed by the platform operator in
the admin) and the organisation's own, which its administrators and M&E officers manage
(`access.can_manage`).

- A term's `code` is given (or derived from the English name) when it is added and never changes:
  imports, phones and indicator definitions name terms by code.
- A term is never deleted, in use or not: it is retired. A retired term is no longer offered by
  the forms that pick terms (`samaki.forms.term_choices`) and a new record naming it is refused
  (`vocabulary_get`); the records that have it keep it, show it and count it. Restoring it
  offers it again.
"""

import dataclasses
import functools
import re
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samaki.accounts import access
from samaki.audit.services import audit_record
from samaki.organisations.models import Organisation, Vocabulary

V = TypeVar("V", bound=Vocabulary)

CODE_MAX = 40
NAME_MAX = 120
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclasses.dataclass(frozen=True)
class VocabularySpec:
    """One vocabulary: its model and the records that name its terms (for the counts in use)."""

    slug: str  # in URLs: /settings/vocabularies/<slug>/
    model: type[Vocabulary]
    title: Promise  # the page's heading, plural
    add_label: Promise  # the add link
    used_by: type[models.Model]  # the records naming a term; each has an `organisation`
    lookup: str  # from those records to the term


@functools.cache
def vocabularies() -> tuple[VocabularySpec, ...]:
    """Every vocabulary, in the order the page shows them (imported late: the apps' models
    import `samaki.organisations.models`)."""
    from samaki.activities.models import Activity, ActivityKind, Topic
    from samaki.advocacy.models import CommunityRequest, RequestTopic
    from samaki.feedback.models import Feedback, FeedbackCategory
    from samaki.groups.models import Group, GroupKind
    from samaki.outcomes.models import Outcome, OutcomeKind

    return (
        VocabularySpec(
            "activity-kinds",
            ActivityKind,
            gettext_lazy("Activity kinds"),
            gettext_lazy("Add an activity kind"),
            Activity,
            "kind",
        ),
        VocabularySpec(
            "topics", Topic, gettext_lazy("Topics"), gettext_lazy("Add a topic"), Activity, "topics"
        ),
        VocabularySpec(
            "outcome-kinds",
            OutcomeKind,
            gettext_lazy("Outcome kinds"),
            gettext_lazy("Add an outcome kind"),
            Outcome,
            "kind",
        ),
        VocabularySpec(
            "group-kinds",
            GroupKind,
            gettext_lazy("Group kinds"),
            gettext_lazy("Add a group kind"),
            Group,
            "kind",
        ),
        VocabularySpec(
            "feedback-categories",
            FeedbackCategory,
            gettext_lazy("Feedback categories"),
            gettext_lazy("Add a feedback category"),
            Feedback,
            "category",
        ),
        VocabularySpec(
            "request-topics",
            RequestTopic,
            gettext_lazy("Request topics"),
            gettext_lazy("Add a request topic"),
            CommunityRequest,
            "topic",
        ),
    )


def vocabulary_spec(slug: str) -> VocabularySpec | None:
    return next((spec for spec in vocabularies() if spec.slug == slug), None)


def derive_code(name_en: str) -> str:
    """A code from the English name: "Savings group" → "savings_group"."""
    return slugify(name_en).replace("-", "_")[:CODE_MAX].strip("_")


def snapshot(term: Vocabulary) -> dict[str, Any]:
    return {
        "code": term.code,
        "name_en": term.name_en,
        "name_km": term.name_km,
        "retired_on": term.retired_on.isoformat() if term.retired_on else None,
    }


def _require_term_writer(*, by: Any, organisation_id: int | None) -> None:
    """An organisation's own terms: its administrators and M&E officers (and the platform
    operator); the shared terms: the platform operator only."""
    access.require_actor(by)
    if organisation_id is None:
        access.require_platform_operator(by)
        return
    access.require_manager(by=by, organisation_id=organisation_id)


def _visible(model: type[V], organisation: Organisation | None) -> models.QuerySet[V]:
    """The terms an organisation's forms choose from (shared and own); all, for a shared term."""
    if organisation is None:
        return model._default_manager.all()
    return model._default_manager.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    )


def _names(
    model: type[V],
    *,
    organisation: Organisation | None,
    name_en: str,
    name_km: str,
    term: V | None,
    errors: dict[str, list[str]],
) -> tuple[str, str]:
    """Both names, stripped and checked: given, not too long, the English one not taken."""
    name_en, name_km = name_en.strip(), name_km.strip()
    missing = {"name_en": _("Give the name in English."), "name_km": _("Give the name in Khmer.")}
    for field, value in [("name_en", name_en), ("name_km", name_km)]:
        if not value:
            errors.setdefault(field, []).append(missing[field])
        elif len(value) > NAME_MAX:
            errors.setdefault(field, []).append(
                _("A name has at most %(max)d characters.") % {"max": NAME_MAX}
            )
    if name_en:
        others = _visible(model, organisation).filter(name_en__iexact=name_en)
        if term is not None:
            others = others.exclude(pk=term.pk)
        if others.exists():
            errors.setdefault("name_en", []).append(
                _("Another %(what)s already has this English name.")
                % {"what": model._meta.verbose_name}
            )
    return name_en, name_km


@transaction.atomic
def term_add(
    *,
    by: Any,
    model: type[V],
    organisation: Organisation | None,
    name_en: str,
    name_km: str,
    code: str = "",
) -> V:
    """Add a term to `organisation`'s list (None: to the shared list, by the platform operator).
    `code` is derived from the English name when blank; it never changes afterwards."""
    _require_term_writer(by=by, organisation_id=organisation.pk if organisation else None)
    errors: dict[str, list[str]] = {}
    name_en, name_km = _names(
        model, organisation=organisation, name_en=name_en, name_km=name_km, term=None, errors=errors
    )
    code = code.strip().lower() or derive_code(name_en)
    if not code:
        if name_en:
            errors.setdefault("code", []).append(
                _("Give a code: the English name has no letter or digit to make one from.")
            )
    elif len(code) > CODE_MAX:
        errors.setdefault("code", []).append(
            _("A code has at most %(max)d characters.") % {"max": CODE_MAX}
        )
    elif not CODE_PATTERN.match(code):
        errors.setdefault("code", []).append(
            _(
                "A code has only small letters, digits, “_” and “-”, and starts with a letter or digit."
            )
        )
    else:
        # An organisation's code must not hide a shared term's; a shared code, nobody's.
        clash = model._default_manager.filter(code=code)
        if organisation is not None:
            clash = clash.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        if clash.exists():
            errors.setdefault("code", []).append(
                _("The code “%(code)s” is taken: give another one.") % {"code": code}
            )
    if errors:
        raise ValidationError(errors)
    term = model._default_manager.create(
        organisation=organisation, code=code, name_en=name_en, name_km=name_km
    )
    audit_record(
        by=by,
        action="vocabulary_term.add",
        obj=term,
        organisation_id=organisation.pk if organisation else None,
        after=snapshot(term),
    )
    return term


@transaction.atomic
def term_rename(*, term: Vocabulary, by: Any, name_en: str, name_km: str) -> bool:
    """Give a term new names in English and Khmer (its code stays). Whether anything changed."""
    _require_term_writer(by=by, organisation_id=term.organisation_id)
    errors: dict[str, list[str]] = {}
    name_en, name_km = _names(
        type(term),
        organisation=term.organisation,
        name_en=name_en,
        name_km=name_km,
        term=term,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    if (term.name_en, term.name_km) == (name_en, name_km):
        return False
    before = snapshot(term)
    term.name_en, term.name_km = name_en, name_km
    term.save(update_fields=["name_en", "name_km"])
    audit_record(
        by=by,
        action="vocabulary_term.rename",
        obj=term,
        organisation_id=term.organisation_id,
        before=before,
        after=snapshot(term),
    )
    return True


@transaction.atomic
def term_retire(*, term: Vocabulary, by: Any) -> bool:
    """Stop offering a term from today; records that have it keep it. Whether it changed."""
    _require_term_writer(by=by, organisation_id=term.organisation_id)
    before = snapshot(term)
    # A conditional UPDATE: two clicks at once retire it once, with one audit row.
    updated = (
        type(term)
        ._default_manager.filter(pk=term.pk, retired_on__isnull=True)
        .update(retired_on=timezone.localdate())
    )
    if not updated:
        return False
    term.refresh_from_db(fields=["retired_on"])
    audit_record(
        by=by,
        action="vocabulary_term.retire",
        obj=term,
        organisation_id=term.organisation_id,
        before=before,
        after=snapshot(term),
    )
    return True


@transaction.atomic
def term_restore(*, term: Vocabulary, by: Any) -> bool:
    """Offer a retired term again. Whether it changed."""
    _require_term_writer(by=by, organisation_id=term.organisation_id)
    before = snapshot(term)
    updated = (
        type(term)
        ._default_manager.filter(pk=term.pk, retired_on__isnull=False)
        .update(retired_on=None)
    )
    if not updated:
        return False
    term.retired_on = None
    audit_record(
        by=by,
        action="vocabulary_term.restore",
        obj=term,
        organisation_id=term.organisation_id,
        before=before,
        after=snapshot(term),
    )
    return True
