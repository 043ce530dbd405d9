from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback

SCALE = [(n, str(n)) for n in range(1, 6)]


class FeedbackForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with the answer? (1 — not at all, 5 — fully)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    solved = forms.ChoiceField(
        label=_("Was the problem solved?"),
        choices=Feedback.Solved.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    speed = forms.TypedChoiceField(
        label=_("How fast did it feel? (1 — very slow, 5 — very fast)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    personal = forms.TypedChoiceField(
        label=_("How personal and attentive was the answer? (1 — a formality, 5 — very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
