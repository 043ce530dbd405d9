"""The region page's filters over its deputies. The API's DeputyFilter (deputies.api)
takes a body id and a name as given; a page offers the region's bodies to choose from
and finds a name in any letter case, Cyrillic included, on SQLite too."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body, Deputy
from .selectors import name_matches


class RegionDeputyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="by_name",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    body = django_filters.ChoiceFilter(
        label=_("Representative body"), field_name="body_id", empty_label=_("All bodies")
    )

    class Meta:
        model = Deputy
        fields = ["q", "body"]

    def __init__(self, data=None, queryset=None, *, bodies: list[Body], **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Choices from the bodies read once: checking a choice asks the database nothing.
        choices = [(str(body.pk), body.display_name) for body in bodies]
        self.filters["body"].extra["choices"] = choices

    def by_name(self, queryset, _name, value):
        value = value.strip()
        return queryset.filter(name_matches(value)) if value else queryset
