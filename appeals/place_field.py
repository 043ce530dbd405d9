"""The filing form's municipality choice, drawn as the places' tree (issue 21): option
groups by city, okrug or district, each with the whole of it first. Like the form's
ReferenceChoiceField, it reads the per-process reference tables: no query."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from deputies.selectors import municipality_groups

SELECTED = flatatt({"selected": True})


class GroupedSelect(forms.Select):
    """A select with <optgroup>s, drawn in one pass instead of a template per option
    (a region's places run to hundreds once the classifier is loaded)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {**self.build_attrs(self.attrs, attrs), "name": name}
        current = {str(v) for v in self.format_value(value)}

        def options(pairs):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((key, SELECTED if str(key) in current else "", label) for key, label in pairs),
            )

        parts = []
        for key, label in self.choices:
            if not isinstance(label, list | tuple):
                parts.append(options([(key, label)]))
            elif key:
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', key, options(label)))
            else:
                parts.append(options(label))
        joined = format_html_join("", "{}", ((part,) for part in parts))
        return format_html("<select{}>{}</select>", flatatt(final), joined)


class PlaceChoiceField(forms.ChoiceField):
    """A region's places in groups; cleans to the place, or None."""

    widget = GroupedSelect

    def __init__(self, *args, empty_label=None, **kwargs):
        self.empty_label = empty_label
        self.rows = {}
        super().__init__(*args, **kwargs)

    def set_rows(self, rows: dict) -> None:
        self.rows = {str(key): row for key, row in rows.items()}
        groups = municipality_groups(rows)
        self.choices = [("", self.empty_label), *groups] if self.empty_label else groups

    def clean(self, value):
        return self.rows.get(super().clean(value))
