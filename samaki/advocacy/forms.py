from django import forms
from django.utils.translation import gettext_lazy as _

from samaki.advocacy.models import AuthorityLevel, RequestStatus


class RequestForm(forms.Form):
    topic_code = forms.ChoiceField(label=_("Topic"))
    summary = forms.CharField(
        label=_("What was asked"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    raised_on = forms.DateField(
        label=_("Raised on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    level = forms.ChoiceField(label=_("Addressed to level"), choices=AuthorityLevel.choices)
    authority = forms.CharField(label=_("Authority"), max_length=200, required=False)
    area_code = forms.CharField(label=_("Area code"), max_length=16, required=False)
    people_asking = forms.IntegerField(label=_("People asking"), min_value=1, required=False)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic_code"].choices = [  # type: ignore[attr-defined]
            (t.code, f"{t.name_km} · {t.name_en}") for t in topics if t.retired_on is None
        ]


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status now"), choices=RequestStatus.choices)
    response = forms.CharField(
        label=_("The authority's response"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
