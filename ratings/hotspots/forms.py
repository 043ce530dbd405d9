from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import HotSpotAlert

Status = HotSpotAlert.Status


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Status.CONFIRMED, _("Confirm")), (Status.DISMISSED, _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
