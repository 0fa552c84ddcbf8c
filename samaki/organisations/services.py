"""Organisations, consortia, donors and sites; and the write-permission rule every service uses."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samaki.accounts import access
from samaki.areas.models import Area, AreaLevel
from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import (
    Consortium,
    ConsortiumMember,
    Donor,
    Organisation,
    Site,
    SiteKind,
)

# The rules live in samaki.accounts.access; these names stay for the services that import them.
require_writer = access.require_writer
require_platform_admin = access.require_platform_operator


def area_get(*, code: str, level: str | None = None) -> Area:
    """The area with this gazetteer code, or a clear error naming the code."""
    area = Area.objects.filter(code=(code or "").strip()).first()
    if area is None:
        raise ValidationError(_("Unknown area code “%(code)s”.") % {"code": code})
    if level is not None and area.level != level:
        raise ValidationError(
            _("Area “%(code)s” is a %(level)s, not a %(expected)s.")
            % {
                "code": code,
                # Lower case mid-sentence in English; Khmer has no case.
                "level": str(area.get_level_display()).lower(),
                "expected": str(AreaLevel(level).label).lower(),
            }
        )
    return area


@transaction.atomic
def organisation_create(
    *, by: Any, slug: str, name_en: str, name_km: str = "", acronym: str = ""
) -> Organisation:
    require_platform_admin(by)
    organisation = Organisation(slug=slug, name_en=name_en, name_km=name_km, acronym=acronym)
    organisation.full_clean()
    organisation.save()
    audit_record(
        by=by,
        action="organisation.create",
        obj=organisation,
        organisation_id=organisation.pk,
        after=snapshot(organisation),
    )
    return organisation


@transaction.atomic
def organisation_set_iati_identifier(
    *, by: Any, organisation: Organisation, iati_identifier: str
) -> Organisation:
    """Set (or clear, with "") the identifier the IATI Registry knows the organisation by: its
    administrator, or the platform operator. The IATI export names its files after it."""
    access.require_org_admin(by=by, organisation_id=organisation.pk)
    before = snapshot(organisation)
    organisation.iati_identifier = (iati_identifier or "").strip()
    organisation.full_clean()
    organisation.save(update_fields=["iati_identifier"])
    audit_record(
        by=by,
        action="organisation.update",
        obj=organisation,
        organisation_id=organisation.pk,
        before=before,
        after=snapshot(organisation),
    )
    return organisation


@transaction.atomic
def donor_create(*, by: Any, slug: str, name_en: str, name_km: str = "") -> Donor:
    require_platform_admin(by)
    donor = Donor(slug=slug, name_en=name_en, name_km=name_km)
    donor.full_clean()
    donor.save()
    audit_record(
        by=by, action="donor.create", obj=donor, organisation_id=None, after=snapshot(donor)
    )
    return donor


@transaction.atomic
def consortium_create(
    *,
    by: Any,
    slug: str,
    name_en: str,
    lead: Organisation,
    members: list[Organisation],
    name_km: str = "",
) -> Consortium:
    require_platform_admin(by)
    if len({member.pk for member in members}) != len(members):
        raise ValidationError(_("An organisation is listed twice among the members."))
    consortium = Consortium(slug=slug, name_en=name_en, name_km=name_km, lead=lead)
    consortium.full_clean()
    consortium.save()
    ConsortiumMember.objects.bulk_create(
        [ConsortiumMember(consortium=consortium, organisation=member) for member in members]
    )
    audit_record(
        by=by,
        action="consortium.create",
        obj=consortium,
        organisation_id=lead.pk,
        after={**snapshot(consortium), "members": [member.pk for member in members]},
    )
    return consortium


@transaction.atomic
def site_create(
    *,
    organisation: Organisation,
    by: Any,
    name_en: str,
    kind: str,
    area_code: str,
    name_km: str = "",
    established_on: Any = None,
) -> Site:
    area = area_get(code=area_code)
    require_writer(by=by, organisation=organisation, area=area)
    if kind not in SiteKind.values:
        raise ValidationError({"kind": _("Unknown kind of site.")})
    site = Site(
        organisation=organisation,
        name_en=name_en,
        name_km=name_km,
        kind=kind,
        area=area,
        established_on=established_on,
    )
    site.full_clean()
    site.save()
    audit_record(
        by=by, action="site.create", obj=site, organisation_id=organisation.pk, after=snapshot(site)
    )
    return site
