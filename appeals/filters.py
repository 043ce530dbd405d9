"""FilterSets of the appeal lists, shared by the pages and the API (appeals.api.filters
builds on them): a filter that means the same thing is declared once."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Appeal


class AppealStatusFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Appeal.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Appeal
        fields = ["status"]


class MyAppealsForm(forms.Form):
    field_order = ["search", "status"]


class MyAppealsFilter(AppealStatusFilter):
    """The citizen's list: by number or by words of the subject and text, and status."""

    search = django_filters.CharFilter(
        label=_("Number or words"), method="filter_search", max_length=200
    )

    class Meta:
        model = Appeal
        fields = ["search", "status"]
        form = MyAppealsForm

    def filter_search(self, queryset, name, value):
        return selectors.appeals_matching(queryset, value)
