"""The learning app's forms: the capacity tool builder, an assessment, a reflection round and a
member's answers.

The builder and the round form grow without JavaScript: a button ("Add a question", "Add a
domain", "Add a prompt") posts the form back and the page comes back with one more empty row
(`grown`), nothing saved. `layout` (a hidden field) says how many rows each block has.
"""

import datetime
from typing import Any

from django import forms
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samaki.forms import DateField
from samaki.learning.models import CapacityDomain, CapacityTool, ReflectionPrompt
from samaki.learning.services import (
    ACTION_MAX,
    ANSWER_MAX,
    PROMPT_MAX,
    SCALE_MAX,
    SCALE_MIN,
    ActionSpec,
    DomainSpec,
)

MAX_DOMAINS = 12
MAX_QUESTIONS = 40
MAX_PROMPTS = 12
NEW_TOOL_LAYOUT = [4, 4, 4]  # question rows of each domain block on a new tool's page
NEW_ROUND_PROMPTS = 3
ACTION_ROWS = 3  # action points entered with an assessment
ADD = "_add"  # the name of the buttons that add a row


def _rows(value: Any, *, default: int, most: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(most, number))


def _localised(en: str, km: str) -> str:
    return (km or en) if translation.get_language() == "km" else en


def tool_layout(data: Any) -> list[int]:
    """The builder's rows as posted ("4,4,2"), within bounds."""
    parts = str(data.get("layout", "")).split(",") if data is not None else []
    layout = [_rows(part, default=1, most=MAX_QUESTIONS) for part in parts if part.strip()]
    return layout[:MAX_DOMAINS] or list(NEW_TOOL_LAYOUT)


def grown(data: Any, layout: list[int]) -> list[int] | None:
    """The layout after an "add" button, or None when the post is a save."""
    button = data.get(ADD, "")
    if button == "domain" and len(layout) < MAX_DOMAINS:
        return [*layout, NEW_TOOL_LAYOUT[0]]
    if button.startswith("d") and button[1:].isdigit():
        index = int(button[1:]) - 1
        if 0 <= index < len(layout):
            return [
                min(MAX_QUESTIONS, rows + 1) if n == index else rows
                for n, rows in enumerate(layout)
            ]
    return layout if button else None


def _code(name: str, *, taken: set[str], fallback: str) -> str:
    """A code unique in the tool, made from the English name (capacity_assess keys scores by it)."""
    base = slugify(name)[:30].strip("-") or fallback
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    taken.add(code)
    return code


class CapacityToolForm(forms.Form):
    """A tool, its domains and their scored questions, in English and Khmer."""

    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_km = forms.CharField(label=_("Name (Khmer)"), max_length=200, required=False)
    scale_max = forms.IntegerField(
        label=_("Highest score"),
        min_value=SCALE_MIN,
        max_value=SCALE_MAX,
        initial=4,
        help_text=_("Scores run from 1 to this."),
    )

    def __init__(self, *args: Any, layout: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        # The page's hidden "layout": the rows as they are now, whatever was posted.
        self.layout_value = ",".join(str(rows) for rows in layout)
        self.domains: list[DomainSpec] = []
        for i, rows in enumerate(layout, start=1):
            self.fields[f"d{i}_name_en"] = forms.CharField(
                label=_("Domain name (English)"), max_length=120, required=False
            )
            self.fields[f"d{i}_name_km"] = forms.CharField(
                label=_("Domain name (Khmer)"), max_length=120, required=False
            )
            for j in range(1, rows + 1):
                self.fields[f"d{i}_q{j}_en"] = forms.CharField(
                    label=_("Question %(n)d (English)") % {"n": j},
                    max_length=300,
                    required=False,
                )
                self.fields[f"d{i}_q{j}_km"] = forms.CharField(
                    label=_("Question %(n)d (Khmer)") % {"n": j},
                    max_length=300,
                    required=False,
                )

    @classmethod
    def initial_for(cls, tool: CapacityTool, domains: list[CapacityDomain]) -> dict[str, Any]:
        """A tool's values, to edit it or to start a copy; and the layout they need."""
        initial: dict[str, Any] = {
            "name_en": tool.name_en,
            "name_km": tool.name_km,
            "scale_max": tool.scale_max,
        }
        for i, domain in enumerate(domains, start=1):
            initial[f"d{i}_name_en"], initial[f"d{i}_name_km"] = domain.name_en, domain.name_km
            for j, question in enumerate(domain.questions.all(), start=1):
                initial[f"d{i}_q{j}_en"] = question.text_en
                initial[f"d{i}_q{j}_km"] = question.text_km
        return initial

    @staticmethod
    def layout_for(domains: list[CapacityDomain]) -> list[int]:
        """Each domain's questions and one empty row, and one empty domain."""
        layout = [min(MAX_QUESTIONS, len(domain.questions.all()) + 1) for domain in domains]
        return [*layout, NEW_TOOL_LAYOUT[0]][:MAX_DOMAINS]

    def blocks(self) -> list[dict[str, Any]]:
        """The domain blocks, for the template."""
        return [
            {
                "number": i,
                "add": f"d{i}",
                "name_en": self[f"d{i}_name_en"],
                "name_km": self[f"d{i}_name_km"],
                "questions": [
                    (j, self[f"d{i}_q{j}_en"], self[f"d{i}_q{j}_km"]) for j in range(1, rows + 1)
                ],
            }
            for i, rows in enumerate(self.layout, start=1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken: set[str] = set()
        self.domains = []
        for i, rows in enumerate(self.layout, start=1):
            name_en = data.get(f"d{i}_name_en", "")
            name_km = data.get(f"d{i}_name_km", "")
            filled = [
                (j, data.get(f"d{i}_q{j}_en", ""), data.get(f"d{i}_q{j}_km", ""))
                for j in range(1, rows + 1)
            ]
            filled = [
                (j, en, km)
                for j, en, km in filled
                if en or km or self.has_error(f"d{i}_q{j}_en") or self.has_error(f"d{i}_q{j}_km")
            ]
            if not (name_en or name_km or filled or self.has_error(f"d{i}_name_en")):
                continue  # an empty block
            if not name_en and not self.has_error(f"d{i}_name_en"):
                self.add_error(f"d{i}_name_en", _("A domain needs its English name."))
            if not filled:
                self.add_error(f"d{i}_q1_en", _("A domain needs at least one question."))
            for j, en, _km in filled:
                if not en and not self.has_error(f"d{i}_q{j}_en"):
                    self.add_error(f"d{i}_q{j}_en", _("A question needs its English text."))
            code = _code(name_en, taken=taken, fallback=f"domain-{i}")
            self.domains.append(
                DomainSpec(
                    code=code,
                    name_en=name_en,
                    name_km=name_km,
                    questions=[
                        (f"{code}-{n}", en, km) for n, (_j, en, km) in enumerate(filled, start=1)
                    ],
                )
            )
        if not self.domains and "d1_name_en" in self.fields:
            self.add_error("d1_name_en", _("A tool needs at least one domain."))
        return data


def tool_slug(*, organisation_slug: str, name_en: str) -> str:
    """A new tool's short name (unique across Samaki: the service says when it is taken)."""
    return f"{organisation_slug}-{slugify(name_en) or 'tool'}"[:60].strip("-")


# The service's error keys → the builder's fields.
TOOL_ERROR_FIELDS = {"slug": "name_en"}


class CapacityAssessmentForm(forms.Form):
    """One organisation scored on every question of a tool, with action points."""

    organisation = forms.TypedChoiceField(label=_("Organisation assessed"), coerce=int)
    assessed_on = DateField(label=_("Assessed on"))
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self,
        *args: Any,
        tool: CapacityTool,
        domains: list[CapacityDomain],
        organisations: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tool, self.domain_list = tool, domains
        self.fields["organisation"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (organisation.pk, organisation.name_en) for organisation in organisations
        ]
        self.question_codes: dict[str, str] = {}
        for domain in domains:
            for question in domain.questions.all():
                name = f"q_{question.pk}"
                self.question_codes[name] = question.code
                self.fields[name] = forms.IntegerField(
                    label=_localised(question.text_en, question.text_km),
                    min_value=1,
                    max_value=tool.scale_max,
                    widget=forms.NumberInput(attrs={"min": 1, "max": tool.scale_max}),
                )
        domain_choices = [("", "—")] + [
            (domain.code, _localised(domain.name_en, domain.name_km)) for domain in domains
        ]
        for k in range(1, ACTION_ROWS + 1):
            self.fields[f"a{k}_domain"] = forms.ChoiceField(
                label=pgettext_lazy("capacity assessment", "Domain"),
                choices=domain_choices,
                required=False,
            )
            self.fields[f"a{k}_text"] = forms.CharField(
                label=pgettext_lazy("capacity assessment", "Action point"),
                max_length=ACTION_MAX,
                required=False,
            )
            self.fields[f"a{k}_due_on"] = DateField(label=_("Due on"), required=False)

    def sections(self) -> list[tuple[CapacityDomain, list[forms.BoundField]]]:
        """Each domain with its questions' fields, for the template."""
        return [
            (domain, [self[f"q_{question.pk}"] for question in domain.questions.all()])
            for domain in self.domain_list
        ]

    def action_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"a{k}_domain"], self[f"a{k}_text"], self[f"a{k}_due_on"]]
            for k in range(1, ACTION_ROWS + 1)
        ]

    def scores(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[name]
            for name, code in self.question_codes.items()
            if self.cleaned_data.get(name) is not None
        }

    def actions(self) -> list[ActionSpec]:
        return self._actions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._actions: list[ActionSpec] = []
        for k in range(1, ACTION_ROWS + 1):
            domain, text = data.get(f"a{k}_domain", ""), data.get(f"a{k}_text", "")
            due_on: datetime.date | None = data.get(f"a{k}_due_on")
            if not (domain or text or due_on):
                continue
            if not text:
                self.add_error(f"a{k}_text", _("Say what will be done."))
            if not domain:
                self.add_error(f"a{k}_domain", _("Choose the domain this action point is about."))
            if domain and text:
                self._actions.append(ActionSpec(domain_code=domain, text=text, due_on=due_on))
        return data


class ReflectionRoundForm(forms.Form):
    """A round the consortium's lead opens: its title, period and prompts."""

    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))

    def __init__(self, *args: Any, rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows  # the page's hidden "prompt_rows"
        for n in range(1, rows + 1):
            self.fields[f"prompt_{n}_en"] = forms.CharField(
                label=_("Prompt %(n)d (English)") % {"n": n}, max_length=PROMPT_MAX, required=False
            )
            self.fields[f"prompt_{n}_km"] = forms.CharField(
                label=_("Prompt %(n)d (Khmer)") % {"n": n}, max_length=PROMPT_MAX, required=False
            )

    @staticmethod
    def rows_from(data: Any) -> int:
        rows = _rows(data.get("prompt_rows"), default=NEW_ROUND_PROMPTS, most=MAX_PROMPTS)
        if data.get(ADD) == "prompt":
            rows = min(MAX_PROMPTS, rows + 1)
        return rows

    def prompt_rows_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (n, self[f"prompt_{n}_en"], self[f"prompt_{n}_km"]) for n in range(1, self.rows + 1)
        ]

    def prompts(self) -> list[tuple[str, str]]:
        return self._prompts

    def slug(self) -> str:
        data = self.cleaned_data
        return slugify(f"{data['period_start']:%Y-%m} {data['title']}")[:60].strip("-")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._prompts: list[tuple[str, str]] = []
        for n in range(1, self.rows + 1):
            en, km = data.get(f"prompt_{n}_en", ""), data.get(f"prompt_{n}_km", "")
            if km and not en:
                self.add_error(f"prompt_{n}_en", _("A prompt needs its English text."))
            elif en:
                self._prompts.append((en, km))
        if not self._prompts and not self.has_error("prompt_1_en"):
            self.add_error("prompt_1_en", _("A round needs at least one prompt."))
        return data


# The service's error keys → the round form's fields.
ROUND_ERROR_FIELDS = {"slug": "title", "prompts": "prompt_1_en"}


class ReflectionAnswerForm(forms.Form):
    """A member organisation's answers to a round's prompts (an emptied answer is removed)."""

    def __init__(self, *args: Any, prompts: list[ReflectionPrompt], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = prompts
        for prompt in prompts:
            self.fields[f"prompt_{prompt.pk}"] = forms.CharField(
                label=_localised(prompt.text_en, prompt.text_km),
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=ANSWER_MAX,
                required=False,
                strip=False,
            )

    def answers(self) -> dict[int, str]:
        return {prompt.pk: self.cleaned_data[f"prompt_{prompt.pk}"] for prompt in self.prompts}
