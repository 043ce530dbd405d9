import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

# Ids outside this range are refused as bad input (400) instead of reaching the database,
# where a 70-digit number overflows the integer column.
MAX_ID = 2**53


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An id: a whole number (`1.5` is refused, not read as 1), documented as an integer."""

    field_class = forms.IntegerField

    def __init__(self, field_name, **kwargs):
        super().__init__(field_name=field_name, min_value=1, max_value=MAX_ID, **kwargs)
