"""What the home page tells her needs doing, by what her role reads (`samaki.accounts.access`).

One query per section, each through the app's own scoped query, so a section shows only what its
page would: overdue feedback (programme roles; restricted reports for focal points only), her
cases' follow-ups (case roles, after the second factor; programme roles never see a case), phone
submissions waiting for review and imports not done (those who write), the last full quarter's
report of each of her projects and whether it is submitted, a facilitator's next and recent
activities, and for a donor viewer her donor's projects and the reports submitted about them.
Each item links to the page where it is done.
"""

import dataclasses
import datetime
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from samaki.accounts import access
from samaki.activities.queries import activity_list
from samaki.cases.models import FollowUp
from samaki.cases.queries import case_list
from samaki.feedback.queries import feedback_list
from samaki.imports.models import JobStatus
from samaki.imports.queries import import_job_list
from samaki.language import name_in
from samaki.openrosa.models import SubmissionStatus
from samaki.openrosa.queries import submission_list
from samaki.projects.queries import project_list
from samaki.reports.models import SubmittedReport
from samaki.reports.queries import submitted_report_list
from samaki.results.engine import Period

LIMIT = 10  # items shown per section; the section's page lists them all
FOLLOW_UP_DAYS = 7  # a case follow-up shows from a week before it is due
IMPORT_DAYS = 30  # an import not done shows for a month


@dataclasses.dataclass(frozen=True)
class Item:
    text: str
    url: str
    note: str = ""
    late: bool = False


@dataclasses.dataclass(frozen=True)
class HomeSection:
    key: str
    title: str
    items: list[Item]
    empty: str  # what the section says when nothing needs doing
    more_url: str = ""  # the page listing them all


def reporting_quarter(today: datetime.date) -> Period:
    """The quarter whose report is due: the last one that has ended."""
    start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = start - datetime.timedelta(days=1)
    return Period.parse(f"{last.year}Q{(last.month - 1) // 3 + 1}")


def home_sections(
    *, user: Any, today: datetime.date, language: str, verified: bool = False
) -> list[HomeSection]:
    """The sections of her home page; `verified`: she passed the second factor (case roles)."""
    sections: list[HomeSection] = []
    if access.can_read_people(user):
        sections.append(_overdue_feedback(user, today))
    if access.is_case_role(user):
        sections.append(_case_follow_ups(user, today, verified))
    if access.can_write(user) and user.organisation_id is not None:
        sections.append(_submissions_to_review(user))
        sections.append(_imports_not_done(user, today))
    if access.can_read_organisation_programme(user) and user.organisation_id is not None:
        sections.append(_reports_due(user, today, language))
    if access.is_facilitator(user):
        sections.append(_activities(user, today, upcoming=True))
        sections.append(_activities(user, today, upcoming=False))
    if access.is_donor_viewer(user):
        sections.append(_donor_projects(user, language))
        sections.append(_donor_reports(user))
    return sections


def _overdue_feedback(user: Any, today: datetime.date) -> HomeSection:
    rows = (
        feedback_list(user=user, today=today)
        .filter(Q(overdue=True))  # the annotation of feedback_list: its one rule of "overdue"
        .order_by("respond_by", "pk")[:LIMIT]
    )
    items = [
        Item(
            text=f"{row.get_kind_display()} #{row.pk}",
            url=reverse("feedback:detail", args=[row.pk]),
            note=_("answer was due by %(date)s") % {"date": row.respond_by.isoformat()},
            late=True,
        )
        for row in rows
    ]
    return HomeSection(
        key="feedback",
        title=_("Feedback and complaints past their deadline"),
        items=items,
        empty=_("No feedback is waiting past its deadline."),
        more_url=reverse("feedback:list"),
    )


def _case_follow_ups(user: Any, today: datetime.date, verified: bool) -> HomeSection:
    title = _("Follow-ups of your cases")
    if not verified:  # nothing of a case before the second factor
        return HomeSection(
            key="follow_ups",
            title=title,
            items=[
                Item(text=_("Confirm your sign-in code to see them"), url=reverse("cases:verify"))
            ],
            empty="",
        )
    rows = (
        FollowUp.objects.filter(
            case__in=case_list(user=user),
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_DAYS),
        )
        .select_related("case")
        .only("id", "due_on", "case__id", "case__code")
        .order_by("due_on", "pk")[:LIMIT]
    )
    items = [
        Item(
            text=row.case.code,
            url=reverse("cases:detail", args=[row.case.pk]),
            note=_("due on %(date)s") % {"date": row.due_on.isoformat()},
            late=row.due_on < today,
        )
        for row in rows
    ]
    return HomeSection(
        key="follow_ups",
        title=title,
        items=items,
        empty=_("No follow-up is due this week."),
        more_url=reverse("cases:list"),
    )


def _submissions_to_review(user: Any) -> HomeSection:
    rows = (
        submission_list(user=user)
        .filter(status=SubmissionStatus.REVIEW)
        .order_by("received_at", "pk")
        .only("id", "received_at", "xform__id", "xform__title", "device__id")[:LIMIT]
    )
    url = reverse("openrosa:review")
    items = [
        Item(text=row.xform.title, url=url, note=row.received_at.date().isoformat()) for row in rows
    ]
    return HomeSection(
        key="submissions",
        title=_("Phone submissions waiting for review"),
        items=items,
        empty=_("No phone submission is waiting for review."),
        more_url=url,
    )


def _imports_not_done(user: Any, today: datetime.date) -> HomeSection:
    since = today - datetime.timedelta(days=IMPORT_DAYS)
    rows = (
        import_job_list(user=user)
        .exclude(status=JobStatus.DONE)
        .filter(created_at__date__gte=since)
        .only("id", "file_name", "status")
        .order_by("-created_at", "-pk")[:LIMIT]
    )
    items = [
        Item(
            text=row.file_name,
            url=reverse("imports:detail", args=[row.pk]),
            note=str(row.get_status_display()),
            late=row.status == JobStatus.FAILED,
        )
        for row in rows
    ]
    return HomeSection(
        key="imports",
        title=_("Imports not finished"),
        items=items,
        empty=_("Every import of the last month is done."),
        more_url=reverse("imports:list"),
    )


def _reports_due(user: Any, today: datetime.date, language: str) -> HomeSection:
    quarter = reporting_quarter(today)
    submitted = SubmittedReport.objects.filter(
        organisation_id=user.organisation_id,
        job__project=OuterRef("pk"),
        period_start=quarter.start,
        period_end=quarter.end,
    ).order_by("-submitted_at")
    projects = (
        project_list(user=user)
        .filter(starts_on__lte=quarter.end, ends_on__gte=quarter.start)
        .annotate(submitted_id=Subquery(submitted.values("pk")[:1]))
        .only("id", "code", "name_en", "name_km")
        .order_by("code")
    )
    period = f"{quarter.start.year}Q{(quarter.start.month - 1) // 3 + 1}"
    items = []
    for project in projects:
        if project.submitted_id:
            url = reverse("reports:submitted", args=[project.submitted_id])
            note = pgettext("report status", "submitted")
        else:
            url = reverse("reports:dashboard_project", args=[project.pk]) + f"?period={period}"
            note = _("not submitted yet")
        items.append(
            Item(
                text=name_in(project, language),
                url=url,
                note=note,
                late=not project.submitted_id,
            )
        )
    return HomeSection(
        key="reports",
        title=_("Reports for %(quarter)s") % {"quarter": period},
        items=items,
        empty=_("None of your projects ran in %(quarter)s.") % {"quarter": period},
        more_url=reverse("reports:jobs"),
    )


def _activities(user: Any, today: datetime.date, *, upcoming: bool) -> HomeSection:
    """Hers (she facilitates them, or nobody is named) inside her working areas."""
    mine = activity_list(user=user).filter(Q(facilitators=user) | Q(facilitators__isnull=True))
    if upcoming:
        rows = mine.filter(date__gte=today).order_by("date", "pk")[:LIMIT]
    else:
        rows = mine.filter(date__lt=today).order_by("-date", "-pk")[:LIMIT]
    items = [
        Item(
            text=str(row.title or row.kind),
            url=reverse(
                "activities:detail" if upcoming else "activities:attendance", args=[row.pk]
            ),
            note=row.date.isoformat(),
        )
        for row in rows
    ]
    if upcoming:
        return HomeSection(
            key="next_activities",
            title=_("Your next activities"),
            items=items,
            empty=_("No activity planned yet."),
            more_url=reverse("activities:create"),
        )
    return HomeSection(
        key="recent_activities",
        title=_("Your recent activities: attendance"),
        items=items,
        empty=_("No activity yet."),
        more_url=reverse("activities:list"),
    )


def _donor_projects(user: Any, language: str) -> HomeSection:
    items = [
        Item(
            text=name_in(project, language),
            url=reverse("reports:dashboard_project", args=[project.pk]),
            note=f"{project.starts_on.isoformat()} – {project.ends_on.isoformat()}",
        )
        for project in project_list(user=user).order_by("code")
    ]
    return HomeSection(
        key="projects",
        title=_("The projects you follow"),
        items=items,
        empty=_("Your donor funds no project here yet."),
    )


def _donor_reports(user: Any) -> HomeSection:
    """Her donor's projects' reports, the latest of each project first."""
    rows = (
        submitted_report_list(user=user)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("job__project_id")],
                order_by=[F("period_end").desc(), F("submitted_at").desc()],
            )
        )
        .filter(rank=1)
        .only("id", "title", "period_start", "period_end", "language", "format")
        .order_by("-period_end", "-submitted_at")[:LIMIT]
    )
    items = [
        Item(
            text=row.title,
            url=reverse("reports:submitted", args=[row.pk]),
            note=f"{row.period_start.isoformat()} – {row.period_end.isoformat()} · "
            f"{row.get_format_display()} · {row.language}",
        )
        for row in rows
    ]
    return HomeSection(
        key="donor_reports",
        title=_("Latest reports"),
        items=items,
        empty=_("No report has been submitted yet."),
    )
