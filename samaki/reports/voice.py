"""The "Voice and accountability" figures of a report and a dashboard: aggregates only.

Feedback and complaints received in the period (by kind and status, with the number still open
past their deadline), requests to authorities by status, a project's budget against actual spend
with the cost per distinct person reached, and, for a consortium, its members' reflections.

Never a message, an answer, a name or a place: the feedback tables count rows. Staff-conduct
complaints and whistle-blower reports appear only as one count, suppressed as "<5" below five
(`cases.reporting.suppress_table`), and are left out of every other figure so that no difference
reveals them. The report is built for a scope, not for a reader, so these queries read the
scope's organisations directly, like the indicator engine does.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from samaki.advocacy.models import CommunityRequest, RequestStatus
from samaki.budgets.models import BudgetLine, Expenditure
from samaki.feedback.models import OPEN_STATUSES, Feedback, FeedbackKind, Status
from samaki.learning.models import ReflectionAnswer, ReflectionRound
from samaki.numbers import format_money
from samaki.organisations.models import Organisation
from samaki.reports.data import Section, Table
from samaki.results.engine import Dimension, Measure
from samaki.results.suppression import TOTAL, suppress_table

if TYPE_CHECKING:
    from samaki.reports.queries import _Context

CENT = Decimal("0.01")
UNRESTRICTED_KINDS: tuple[str, ...] = (FeedbackKind.SERVICE.value, FeedbackKind.COMPLAINT.value)
RESTRICTED = "restricted"


@dataclasses.dataclass(frozen=True)
class Money:
    currency: str
    budget: Decimal
    spent: Decimal
    people: int  # distinct people reached in the period (the indicator engine's count)
    women: int  # of whom women and girls

    @property
    def per_person(self) -> Decimal | None:
        return (self.spent / self.people).quantize(CENT, ROUND_HALF_UP) if self.people else None

    @property
    def per_woman(self) -> Decimal | None:
        return (self.spent / self.women).quantize(CENT, ROUND_HALF_UP) if self.women else None


@dataclasses.dataclass(frozen=True)
class VoiceFigures:
    # (kind, status) → count, service feedback and complaints only.
    feedback: dict[tuple[str, str], int]
    feedback_total: int
    overdue: int  # open and past its deadline on `today`
    restricted: str  # staff conduct and whistle-blowing together: "0", "<5" or the count
    requests: dict[str, int]  # every status, zeros included
    money: Money | None  # a project's only


def _in_scope(queryset: QuerySet, context: "_Context", date_field: str) -> QuerySet:
    """Rows of the scope's organisations dated in the period; for a project, those tied to its
    activities and those tied to no activity that its own organisation received."""
    period = context.period
    queryset = queryset.filter(
        organisation_id__in=context.scope.organisations,
        **{f"{date_field}__range": (period.start, period.end)},
    )
    project = context.scope.project
    if project is not None:
        queryset = queryset.filter(
            Q(activity__project=project)
            | Q(activity__isnull=True, organisation_id=project.organisation_id)
        )
    return queryset


def voice_figures(context: "_Context", *, today: datetime.date | None = None) -> VoiceFigures:
    """Four queries (five with a project's money), whatever the number of records."""
    today = today or context.today or timezone.localdate()
    feedback = _in_scope(Feedback.objects.all(), context, "received_on").order_by()
    aggregates = {
        f"{kind}.{status}": Count("pk", filter=Q(kind=kind, status=status))
        for kind in UNRESTRICTED_KINDS
        for status in Status.values
    }
    aggregates["overdue"] = Count(
        "pk", filter=Q(restricted=False, status__in=OPEN_STATUSES, respond_by__lt=today)
    )
    aggregates[RESTRICTED] = Count("pk", filter=Q(restricted=True))
    counts = feedback.aggregate(**aggregates)
    by_kind_status = {
        (kind, status): counts[f"{kind}.{status}"]
        for kind in UNRESTRICTED_KINDS
        for status in Status.values
    }
    restricted = suppress_table(
        {(RESTRICTED, RESTRICTED): counts[RESTRICTED]}, rows=[RESTRICTED], columns=[RESTRICTED]
    ).cell(RESTRICTED, RESTRICTED)
    requests = dict.fromkeys(RequestStatus.values, 0)
    rows = (
        _in_scope(CommunityRequest.objects.all(), context, "raised_on")
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    requests.update({row["status"]: row["n"] for row in rows})
    return VoiceFigures(
        feedback=by_kind_status,
        feedback_total=sum(by_kind_status.values()),
        overdue=counts["overdue"],
        restricted=restricted,
        requests=requests,
        money=_money(context),
    )


def _money(context: "_Context") -> Money | None:
    project = context.scope.project
    if project is None:
        return None
    period = context.period
    lines = BudgetLine.objects.filter(
        project=project, period_start__lte=period.end, period_end__gte=period.start
    ).order_by()
    budget = lines.aggregate(budget=Coalesce(Sum("amount"), Decimal(0)), currency=Min("currency"))
    if budget["currency"] is None:
        return None
    spent = Expenditure.objects.filter(
        line__project=project, date__range=(period.start, period.end)
    ).aggregate(spent=Coalesce(Sum("amount"), Decimal(0)))["spent"]
    reach = context.compute(Measure.DISTINCT_PEOPLE, (Dimension.SEX,))
    women = reach.by(Dimension.SEX).get("female", 0) if reach.cells else 0
    return Money(
        currency=budget["currency"],
        budget=budget["budget"],
        spent=spent,
        people=reach.total,
        women=women,
    )


@dataclasses.dataclass(frozen=True)
class MoneyShown:
    """The people a project's money is divided by, as its audience may read them: a cost per
    person would give a suppressed count back (spent ÷ cost), so it is hidden with it."""

    people: int | str  # "<5" when suppressed
    women: int | str
    per_person: Decimal | None
    per_woman: Decimal | None


def money_shown(context: "_Context", money: Money) -> MoneyShown:
    line = context.line({"female": money.women, "rest": money.people - money.women})
    people, women = line[TOTAL], line["female"]
    return MoneyShown(
        people=people,
        women=women,
        per_person=money.per_person if isinstance(people, int) else None,
        per_woman=money.per_woman if isinstance(women, int) else None,
    )


def money_text(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency)


def _row(label: str, value: str | int) -> list[str | int]:
    return [label, value]


def voice_section(context: "_Context") -> Section:
    figures = voice_figures(context)
    kind_labels = {kind: str(FeedbackKind(kind).label) for kind in UNRESTRICTED_KINDS}
    feedback_rows: list[list[str | int]] = [
        [
            kind_labels[kind],
            *(figures.feedback[(kind, status)] for status in Status.values),
            sum(figures.feedback[(kind, status)] for status in Status.values),
        ]
        for kind in UNRESTRICTED_KINDS
    ]
    feedback_rows.append(
        [
            _("Total"),
            *(sum(figures.feedback[(k, status)] for k in UNRESTRICTED_KINDS) for status in Status.values),
            figures.feedback_total,
        ]
    )  # fmt: skip
    paragraphs = [
        _(
            "%(total)s feedback entries and complaints were received in the period; "
            "%(overdue)s are still open past their deadline."
        )
        % {"total": f"{figures.feedback_total:,}", "overdue": f"{figures.overdue:,}"},
        _(
            "Complaints about staff conduct and whistle-blower reports received: %(count)s. "
            "They are read only by the organisation's focal points; below five, the number "
            "is shown as <5."
        )
        % {"count": figures.restricted},
    ]
    tables = [
        Table(
            title=_("Feedback and complaints by status"),
            columns=[_("Kind"), *(str(label) for label in Status.labels), _("Total")],
            rows=feedback_rows,
            note=_("Counts only: no message, answer or name leaves the feedback pages."),
        ),
        Table(
            title=_("Requests to authorities by status"),
            columns=[_("Status"), _("Requests")],
            rows=[
                *(_row(str(RequestStatus(s).label), n) for s, n in figures.requests.items()),
                _row(_("Total"), sum(figures.requests.values())),
            ],
        ),
    ]
    money = figures.money
    if money is not None:
        shown = money_shown(context, money)
        tables.append(
            Table(
                title=_("Budget and cost per person reached"),
                columns=[_("Figure"), _("Amount")],
                rows=[
                    [_("Budget"), money_text(money.budget, money.currency)],
                    [_("Spent in the period"), money_text(money.spent, money.currency)],
                    [pgettext("budget remaining", "Left"), money_text(money.budget - money.spent, money.currency)],
                    [_("People reached (each counted once)"), shown.people],
                    [_("Cost per person reached"), money_text(shown.per_person, money.currency)],
                    [_("of whom women and girls"), shown.women],
                    [_("Cost per woman or girl reached"), money_text(shown.per_woman, money.currency)],
                ],
                note=_(
                    "Spend dated in the period over the distinct registered people who took "
                    "part in the project's activities in it; headcounts at events are not "
                    "people reached and stay out."
                ),
            )
        )  # fmt: skip
    reflections = _reflections(context)
    if reflections is not None:
        tables.append(reflections)
    return Section(title=_("Voice and accountability"), paragraphs=paragraphs, tables=tables)


def _reflections(context: "_Context") -> Table | None:
    """A consortium's latest reflection round overlapping the period: each member's answers."""
    consortium = context.scope.consortium
    if consortium is None:
        return None
    period = context.period
    round = (
        ReflectionRound.objects.filter(
            consortium=consortium, period_start__lte=period.end, period_end__gte=period.start
        )
        .order_by("-period_end", "-pk")
        .first()
    )
    if round is None:
        return None
    km = context.language == "km"
    prompts = list(round.prompts.order_by("order"))
    members = list(Organisation.objects.filter(consortia=consortium).order_by("name_en"))
    texts = {
        (answer["organisation_id"], answer["prompt_id"]): answer["text"]
        for answer in ReflectionAnswer.objects.filter(
            prompt__round=round, organisation__in=members
        ).values("organisation_id", "prompt_id", "text")
    }
    return Table(
        title=_("Reflections: %(round)s") % {"round": round.title},
        columns=[
            _("Member"),
            *((p.text_km if km and p.text_km else p.text_en) for p in prompts),
        ],
        rows=[
            [
                (member.name_km if km and member.name_km else member.name_en),
                *(texts.get((member.pk, prompt.pk), "") for prompt in prompts),
            ]
            for member in members
        ],
        note=_("%(start)s – %(end)s; organisations' answers, as each member wrote them.")
        % {"start": round.period_start.isoformat(), "end": round.period_end.isoformat()},
    )
