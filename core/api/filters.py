"""The API's filtering and ordering: a value that cannot be used is a 400 that says what
is allowed, never silently ignored (django-filter drops `accepts_appeals=maybe`, DRF
drops `ordering=password`)."""

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ErrorDetail, ValidationError

# Ids outside this range are refused as bad input (400) instead of reaching the database,
# where a 70-digit number overflows the integer column.
MAX_ID = 2**53

BOOLEANS = ("true", "false")


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class _IdFilter(django_filters.NumberFilter):
    # A whole number: a NumberFilter reads `1.5` as a decimal, which the lookup truncates.
    field_class = forms.IntegerField


def IdFilter(field_name):
    return _IdFilter(field_name=field_name, min_value=1, max_value=MAX_ID)


def _allowed(field) -> str:
    """What a filter accepts, in words, for its error message."""
    if isinstance(field, forms.NullBooleanField):
        return _("Allowed: %(values)s.") % {"values": ", ".join(BOOLEANS)}
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        return _("Allowed: %(values)s.") % {"values": ", ".join(values)}
    if isinstance(field, forms.IntegerField):
        low, high = field.min_value or 1, field.max_value or MAX_ID
        return _("Allowed: a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if isinstance(field, forms.DateField):
        return _("Allowed: a date as YYYY-MM-DD.")
    return ""


def _refused(field, message: str, code: str) -> ErrorDetail:
    allowed = _allowed(field)
    return ErrorDetail(f"{message} {allowed}".strip(), code)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, stricter: a boolean is `true` or `false`, and any value
    given but not usable is refused with what is allowed, an empty one too unless the
    filter takes text."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        valid = filterset.is_valid()
        errors = {}
        form = filterset.form
        for name, field in form.fields.items():
            raw = request.query_params.get(name)
            if raw is None:
                continue
            if raw == "":
                # Empty text matches as if absent; an empty date, number, choice or
                # yes-or-no is no such value (the schema's type says so): refused.
                if type(field) is not forms.CharField:
                    errors[name] = [_refused(field, _("This value cannot be used."), "blank")]
                continue
            if name in form.errors:
                errors[name] = [
                    _refused(field, message, error.code or "invalid")
                    for error in form.errors.as_data()[name]
                    for message in error  # with its parameters filled in
                ]
            elif isinstance(field, forms.NullBooleanField) and raw.lower() not in BOOLEANS:
                errors[name] = [_refused(field, _("Not a yes-or-no value."), "invalid")]
            elif valid and form.cleaned_data.get(name) is None:
                errors[name] = [_refused(field, _("This value cannot be used."), "invalid")]
        if errors:
            raise ValidationError(errors)
        if not valid:  # an error of the form itself, not of one filter
            raise ValidationError(filterset.errors)
        return filterset.qs


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering; an ordering the view does not offer is refused (400) with the list
    of those it does, instead of being dropped."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = [item[0] for item in self.get_valid_fields(queryset, view, {"request": request})]
        unknown = [term for term in fields if term.removeprefix("-") not in valid]
        if unknown:
            allowed = ", ".join(f"{name}, -{name}" for name in valid) or "—"
            message = _("Cannot order by %(terms)s. Allowed: %(allowed)s.") % {
                "terms": ", ".join(unknown),
                "allowed": allowed,
            }
            raise ValidationError({self.ordering_param: [ErrorDetail(message, "invalid")]})
        return fields
