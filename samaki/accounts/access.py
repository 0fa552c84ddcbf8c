"""Who may do what: every role set and permission predicate of Samaki, written once.

Services call the `require_*` forms (they raise `PermissionDenied`); queries, views, the admin, the
API, OpenRosa and imports call the `can_*` / `is_*` forms (they answer a bool). Nothing else in
Samaki compares a role: a new rule goes here, with its row in docs/security.md.

The acting user is typed: an authenticated `User`, or `SYSTEM` (`SystemActor`), the platform itself
acting from a command, a migration or the demo builder. `SYSTEM` is audited as such (its name is
written in the audit row) and passes only the checks that say so: no request path can obtain it,
because no view, API operation or phone endpoint builds one.

The three kinds of data, each with its own rule:

- programme data (projects, people, groups, activities, outcomes, reports, learning): programme
  roles of the organisation; a facilitator inside her working areas; a donor viewer only aggregates
  of her donor's projects; case roles none at all;
- case data (samaki.cases): the assigned case worker, the organisation's case supervisors and a
  colleague with a live emergency grant; nobody else, administrators and superusers included;
- restricted feedback (staff conduct, whistle-blowing): the organisation's focal points, and of
  those only the ones a report does not name.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from samaki.accounts.models import Role

if TYPE_CHECKING:
    from samaki.accounts.models import User

# --- role sets ------------------------------------------------------------------------------

# Who may change programme data.
WRITING_ROLES = frozenset({Role.ADMIN, Role.ME_OFFICER, Role.FACILITATOR})
# Who may open a programme participant's record at all.
PEOPLE_READING_ROLES = frozenset({Role.ADMIN, Role.ME_OFFICER, Role.FACILITATOR, Role.VIEWER})
# Who reads programme data in any form (a donor viewer: her donor's projects, aggregates only).
PROGRAMME_ROLES = PEOPLE_READING_ROLES | {Role.DONOR_VIEWER}
# Who works on survivors' cases: two-factor sign-in, short sessions, no programme data.
CASE_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR})
# Who sets up the organisation's programme: indicators, budgets, vocabularies.
MANAGING_ROLES = frozenset({Role.ADMIN, Role.ME_OFFICER})
# Whom an organisation's administrator may appoint or change (never a case role: docs/cases.md).
ADMIN_GRANTABLE_ROLES = PROGRAMME_ROLES


@dataclasses.dataclass(frozen=True)
class SystemActor:
    """An actor who is not a signed-in user, audited by its name.

    `SYSTEM` (trusted) is the platform acting by itself: a command, a migration, the demo builder;
    never a request. `PUBLIC` (untrusted) is a community member on a public page: it passes no
    permission check, and the services that accept it say so.
    """

    name: str = "system"
    trusted: bool = True
    pk: None = None
    organisation_id: None = None
    role: str = ""
    is_superuser: bool = False
    is_authenticated: bool = False
    is_active: bool = True

    def __str__(self) -> str:
        return self.name


SYSTEM = SystemActor()
PUBLIC = SystemActor(name="public", trusted=False)

Actor: TypeAlias = "User | SystemActor"


def is_system(actor: Any) -> bool:
    """The trusted platform itself (not `PUBLIC`)."""
    return isinstance(actor, SystemActor) and actor.trusted


def is_public(actor: Any) -> bool:
    return isinstance(actor, SystemActor) and not actor.trusted


def require_actor(actor: Any) -> None:
    """Refuse a missing actor: `None` is never "the system" (pass `SYSTEM` to mean that)."""
    if actor is None:
        raise PermissionDenied(_("Nobody is acting: this write needs a signed-in user."))


def acting_user(actor: Any) -> User | None:
    """The user to store in a row's "by" column: none for the system or the public."""
    return None if isinstance(actor, SystemActor) or actor is None else actor


# --- who she is -----------------------------------------------------------------------------


def _member(user: Any) -> bool:
    return bool(
        not isinstance(user, SystemActor)
        and user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id is not None
    )


def holds_role_in(user: Any, roles: frozenset[str]) -> bool:
    """An active member of an organisation whose role is one of `roles` (an admin page's
    readers or writers, for instance)."""
    return _member(user) and user.role in roles


def is_platform_operator(user: Any) -> bool:
    """A superuser runs the platform; she reads programme data, never a case."""
    return bool(not isinstance(user, SystemActor) and user is not None and user.is_superuser)


def is_case_role(user: Any) -> bool:
    return _member(user) and user.role in CASE_ROLES


def is_case_role_name(role: str) -> bool:
    """This role is a case role (provisioned by `samaki.cases.staff` only)."""
    return role in CASE_ROLES


def holds_case_role(user: Any) -> bool:
    """Her account carries a case role, active or not: only `samaki.cases.staff` changes it."""
    return bool(not isinstance(user, SystemActor) and user is not None and user.role in CASE_ROLES)


def is_case_worker(user: Any) -> bool:
    return _member(user) and user.role == Role.CASE_WORKER


def is_case_supervisor(user: Any, organisation_id: int | None = None) -> bool:
    return (
        _member(user)
        and user.role == Role.CASE_SUPERVISOR
        and (organisation_id is None or user.organisation_id == organisation_id)
    )


def is_org_admin(user: Any, organisation_id: int | None = None) -> bool:
    return (
        _member(user)
        and user.role == Role.ADMIN
        and (organisation_id is None or user.organisation_id == organisation_id)
    )


def is_facilitator(user: Any) -> bool:
    return _member(user) and user.role == Role.FACILITATOR


def is_donor_viewer(user: Any) -> bool:
    return _member(user) and user.role == Role.DONOR_VIEWER


def followed_donor_id(user: Any) -> int | None:
    """The donor a donor viewer follows (she sees only the projects it funds)."""
    return user.donor_id if is_donor_viewer(user) else None


# --- what she may read ------------------------------------------------------------------------


def can_read_programme(user: Any) -> bool:
    """Programme data in any form: projects, dashboards, reports, learning. Never a case role."""
    return is_platform_operator(user) or (_member(user) and user.role in PROGRAMME_ROLES)


def can_read_organisation_programme(user: Any) -> bool:
    """Her organisation's programme as a whole: its dashboard, consortia, learning, all projects.

    A donor viewer follows her donor's projects only, so she has none of these.
    """
    return is_platform_operator(user) or (_member(user) and user.role in PEOPLE_READING_ROLES)


def can_read_people(user: Any) -> bool:
    """Programme participants' records (names, profiles, lists, exports)."""
    return is_platform_operator(user) or (_member(user) and user.role in PEOPLE_READING_ROLES)


def can_write(user: Any) -> bool:
    """Her role changes programme data (where: `require_writer`)."""
    return is_platform_operator(user) or (_member(user) and user.role in WRITING_ROLES)


def can_manage(user: Any, organisation_id: int | None = None) -> bool:
    """Sets up the organisation's programme: indicators, targets, budgets, vocabularies."""
    if is_platform_operator(user):
        return True
    return (
        _member(user)
        and user.role in MANAGING_ROLES
        and (organisation_id is None or user.organisation_id == organisation_id)
    )


def can_see_voided(user: Any, organisation_id: int | None = None) -> bool:
    """Sees her organisation's voided records (struck through, with who, when and why): its
    administrators and M&E officers. To everyone else a voided record does not exist (404).
    Who may void a record is who may edit it (`require_writer`, inside her areas)."""
    return can_manage(user, organisation_id)


def can_export_iati(user: Any, project: Any) -> bool:
    """The project's IATI file (aggregates only, small counts suppressed): the owner's
    administrators and M&E officers, and a donor viewer of the donor funding it (the figures
    she already reads on the project's pages); not a partner's staff, not a viewer."""
    if can_manage(user, project.organisation_id):
        return True
    return (
        is_donor_viewer(user)
        and user.organisation_id == project.organisation_id
        and project.donor_id is not None
        and project.donor_id == followed_donor_id(user)
    )


def can_manage_vocabularies(user: Any) -> bool:
    """Her own organisation's vocabularies on the "Vocabularies" page: its administrators and
    M&E officers. The platform operator, who has no organisation, changes the shared terms in
    the admin instead (samaki/organisations/vocabularies.py)."""
    return _member(user) and can_manage(user, user.organisation_id)


def sees_own_rows_only(user: Any) -> bool:
    """A facilitator's imports, report jobs and phone submissions are her own only."""
    return is_facilitator(user)


def area_paths(user: Any) -> list[str] | None:
    """The working areas limiting what she reads, or None when her role is not area-bound."""
    if not is_facilitator(user):
        return None
    return list(user.areas.values_list("path", flat=True))


def is_inside_areas(user: Any, path: str | None) -> bool:
    paths = area_paths(user)
    if paths is None:
        return True
    return path is not None and any(path.startswith(prefix) for prefix in paths)


# --- bearer tokens (API scripts, phones) --------------------------------------------------------

# Whom a token may act as, by its kind ("api": scripts read and write through the REST API with
# her rights; "phone": ODK Collect submits records, so she must write). Never a case role.
TOKEN_ROLES = {"api": PROGRAMME_ROLES, "phone": WRITING_ROLES}


def can_hold_token(user: Any, kind: str) -> bool:
    """A token of `kind` may act as her: checked when issued and again on every request, so a
    deactivated user's (or a changed role's) tokens stop working at once."""
    return _member(user) and user.role in TOKEN_ROLES.get(kind, frozenset())


def can_issue_token(by: Any, user: Any) -> bool:
    """An organisation's administrator issues tokens for her staff; anyone else only for herself."""
    if is_system(by) or is_platform_operator(by):
        return True
    if not _member(by):
        return False
    return by.pk == user.pk or is_org_admin(by, user.organisation_id)


def can_revoke_token(by: Any, token: Any) -> bool:
    if is_system(by) or is_platform_operator(by):
        return True
    if not _member(by):
        return False
    return by.pk == token.user_id or is_org_admin(by, token.organisation_id)


def require_token_issuer(*, by: Any, user: Any) -> None:
    require_actor(by)
    if not can_issue_token(by, user):
        raise PermissionDenied(_("Only an administrator issues tokens for someone else."))


def require_token_revoker(*, by: Any, token: Any) -> None:
    require_actor(by)
    if not can_revoke_token(by, token):
        raise PermissionDenied(_("You may not revoke this token."))


def sees_every_token(user: Any, organisation_id: int | None) -> bool:
    """Her organisation's token list shows everyone's tokens (else only her own)."""
    return is_platform_operator(user) or is_org_admin(user, organisation_id)


# --- consortia, focal points --------------------------------------------------------------------


def is_consortium_lead(user: Any, consortium: Any) -> bool:
    """She works for the consortium's lead organisation in a programme role."""
    if is_platform_operator(user):
        return True
    return (
        _member(user)
        and user.role in PEOPLE_READING_ROLES
        and consortium.lead_id == user.organisation_id
    )


def is_focal_point(user: Any, organisation_id: int) -> bool:
    """She is one of the organisation's whistle-blowing focal points."""
    if not _member(user) or user.organisation_id != organisation_id:
        return False
    from samaki.feedback.models import FocalPoint

    return FocalPoint.objects.filter(user=user, organisation_id=organisation_id).exists()


# --- the require_ forms, for services -------------------------------------------------------------


def require_platform_operator(by: Any) -> None:
    if is_system(by):
        return
    if not is_platform_operator(by):
        raise PermissionDenied(_("Only a platform administrator may do this."))


def require_writer(*, by: Any, organisation: Any, area: Any = None) -> None:
    """Refuse unless `by` may change `organisation`'s data (inside her areas, for a facilitator)."""
    require_actor(by)
    if is_system(by) or is_platform_operator(by):
        return
    if not _member(by) or by.organisation_id != organisation.pk or not can_write(by):
        raise PermissionDenied(_("You may not change this organisation's data."))
    if is_facilitator(by) and (area is None or not is_inside_areas(by, area.path)):
        raise PermissionDenied(_("This is outside your working areas."))


def require_organisation_writer(*, by: Any, organisation: Any) -> None:
    """Refuse unless `by` may change some of `organisation`'s data: for work that names its areas
    row by row (an import, a phone's session), each row's service then checks the area."""
    require_actor(by)
    if is_system(by) or is_platform_operator(by):
        return
    if not _member(by) or by.organisation_id != organisation.pk or not can_write(by):
        raise PermissionDenied(_("You may not change this organisation's data."))


def require_manager(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not can_manage(by, organisation_id):
        raise PermissionDenied(_("Only an administrator or M&E officer may do this."))


def can_merge_people(user: Any, organisation_id: int | None = None) -> bool:
    """Merges two records of one woman: her own organisation's administrators and M&E officers
    who read its people (the platform operator, who acts for no organisation, does not)."""
    return (
        _member(user)
        and user.role in MANAGING_ROLES
        and can_read_people(user)
        and (organisation_id is None or user.organisation_id == organisation_id)
    )


def require_people_merger(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not can_merge_people(by, organisation_id):
        raise PermissionDenied(
            _("Only an administrator or M&E officer of her organisation may merge records.")
        )


def can_erase_people(user: Any, organisation_id: int | None = None) -> bool:
    """Erases a person's personal data: her own organisation's administrator who reads its
    people (the platform operator, who acts for no organisation, does not)."""
    return is_org_admin(user, organisation_id) and can_read_people(user)


def require_people_eraser(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not can_erase_people(by, organisation_id):
        raise PermissionDenied(_("Only the organisation's administrator may erase a record."))


def require_iati_exporter(*, by: Any, project: Any) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not can_export_iati(by, project):
        raise PermissionDenied(_("You may not export this project's IATI file."))


def require_org_admin(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if is_system(by) or is_platform_operator(by):
        return
    if not is_org_admin(by, organisation_id):
        raise PermissionDenied(_("Only the organisation's administrator may do this."))


def require_case_role(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not is_case_role(by) or by.organisation_id != organisation_id:
        raise PermissionDenied(_("Only the safe house's case workers and supervisors do this."))


def require_case_supervisor(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if is_system(by):
        return
    if not is_case_supervisor(by, organisation_id):
        raise PermissionDenied(_("Only a case supervisor may do this."))


def require_admin_grantable(*, role: str, user: Any = None) -> None:
    """Refuse to give a case role, or to change the role of one who holds it, outside the
    case staff services (`samaki.cases.staff`): administrators and superusers included."""
    if role not in ADMIN_GRANTABLE_ROLES or (user is not None and holds_case_role(user)):
        raise PermissionDenied(_("Only a case supervisor gives or changes a case role."))


def can_manage_users(user: Any, organisation_id: int | None = None) -> bool:
    """The app's "Users" pages: her own organisation's administrator (the platform operator has
    the `samaki organisation` command and the admin site instead)."""
    return is_org_admin(user, organisation_id)


def can_edit_user(by: Any, user: Any) -> bool:
    """She may change this account on the "Users" pages: an administrator of its organisation,
    and never a case role's account (case supervisors manage those on /cases/staff/)."""
    return (
        user.organisation_id is not None
        and can_manage_users(by, user.organisation_id)
        and not holds_case_role(user)
    )


def require_user_manager(*, by: Any, user: Any) -> None:
    """Refuse unless `by` administers `user`'s organisation and `user` holds no case role."""
    if user.organisation_id is None:  # a platform operator's account: the admin site's
        raise PermissionDenied(_("Only the organisation's administrator may do this."))
    require_org_admin(by=by, organisation_id=user.organisation_id)
    require_admin_grantable(role=user.role, user=user)


def require_not_self(*, by: Any, user: Any) -> None:
    """Nobody grants herself access: an appointment is made by someone else."""
    if not isinstance(by, SystemActor) and by is not None and by.pk == user.pk:
        raise PermissionDenied(_("Someone else must do this for you."))


def require_focal_point(*, by: Any, organisation_id: int) -> None:
    require_actor(by)
    if not is_focal_point(by, organisation_id):
        raise PermissionDenied(_("Only the organisation's focal points handle this report."))


# --- the doors of the programme's pages -------------------------------------------------------

# Which predicate opens each app's pages (by URL namespace), checked before any view runs
# (`samaki.accounts.middleware.ProgrammeDoorMiddleware`): a role that reads none of an app's data
# gets 404 on its every page, not an empty list. Views still scope every row they show.
DOORS: dict[str, Any] = {
    "people": can_read_people,
    "groups": can_read_people,
    "activities": can_read_people,
    "outcomes": can_read_people,
    "advocacy": can_read_people,
    "imports": can_read_people,
    "feedback": can_read_people,
    "openrosa": can_read_people,
    "projects": can_read_programme,
    "results": can_read_programme,
    "reports": can_read_programme,
    "periods": can_read_organisation_programme,
    "budgets": can_read_programme,
    "exchange": can_read_programme,
    "learning": can_read_organisation_programme,
}
# Pages of those apps open to everyone: the public feedback page, whom to report to, the phones'
# own endpoints (they authenticate with a token, not a session), blank templates and the gazetteer.
OPEN_PAGES = frozenset(
    {
        "people:area_children",
        "imports:template",
        "openrosa:shipped-xlsform",
        "feedback:public_file",
        "feedback:public_follow_up",
        "feedback:focal_points",
        "openrosa:root",
        "openrosa:key-root",
        "openrosa:form-list",
        "openrosa:form-download",
        "openrosa:form-manifest",
        "openrosa:submission",
        "openrosa:key-form-list",
        "openrosa:key-form-download",
        "openrosa:key-form-manifest",
        "openrosa:key-submission",
    }
)


def may_enter(user: Any, *, namespace: str, view_name: str) -> bool:
    """Whether a signed-in `user` may open a page of `namespace` at all."""
    door = DOORS.get(namespace)
    if door is None or view_name in OPEN_PAGES:
        return True
    return bool(door(user))
