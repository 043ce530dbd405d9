"""The API's base serializers.

Their fields are built once per class and copied shallowly per instance instead of
DRF's deep copy per instance: about 3 M instructions of a filing (docs/PERFORMANCE.md).
Measured with DRF 3.18.3 and Django 5.2.19; tests/test_perf_guards.py compares the
API's answers and errors with DRF's own field building. Remove when DRF stops
rebuilding fields per instance, or if that test fails after an upgrade."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import relations, serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from core import reference


def _unbound(field):
    """A copy of a declared field, ready for `bind`. DRF deep-copies each field for each
    serializer instance by calling its constructor again (about a tenth of a filing's
    CPU). A shallow copy is enough: binding sets only the copy's own attributes, and the
    shared parts (validators, choices, error messages, querysets cloned on use) are
    never changed after construction. A nested serializer's lazily built fields are
    dropped, and a list's child is copied and given its own list as parent. The copy is
    what `copy.copy` makes of such an object, without its generic protocol (0.8 M of a
    filing's 8.8 M instructions)."""
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    clone.__dict__.pop("fields", None)
    if isinstance(field, serializers.ListSerializer):
        clone.child = _unbound(field.child)
        clone.child.parent = clone  # the rest of the child's binding is the template's
    elif isinstance(field, relations.ManyRelatedField):
        clone.child_relation = _unbound(field.child_relation)
        clone.child_relation.parent = clone
    return clone


def _copies(fields):
    return {name: _unbound(field) for name, field in fields.items()}


class RefusesUnknownFields:
    """A body naming a field the input does not have is refused (400, one error per
    unknown field, with the fields allowed), not silently dropped: `"status": "closed"`
    on a filing would otherwise be accepted and ignored. A read-only field is unknown
    to input too."""

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            writable = [name for name, field in self.fields.items() if not field.read_only]
            message = _("Unknown field. Allowed: %(fields)s.") % {"fields": ", ".join(writable)}
            unknown = {
                key: [ErrorDetail(message, "unknown_field")] for key in data if key not in writable
            }
        try:
            value = super().to_internal_value(data)
        except ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                error.detail.update(unknown)
            raise
        if unknown:
            raise ValidationError(unknown)
        return value


class Serializer(RefusesUnknownFields, serializers.Serializer):
    """Input and plain output serializers: fields copied cheaply per instance."""

    def get_fields(self):
        return _copies(self._declared_fields)


class ModelSerializer(RefusesUnknownFields, serializers.ModelSerializer):
    """DRF builds a model serializer's fields from the model for every instance: about
    half of the cost of answering with an appeal. They depend only on the class, so
    they are built once per class; each instance binds its own copy."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        return _copies(built)


class ReferenceSlugField(serializers.SlugRelatedField):
    """A slug of reference data (`core.reference`): found in memory, not the database.
    A slug not found there is looked up as usual, so a row added a moment ago elsewhere
    is found, and a wrong slug gets DRF's own error."""

    def __init__(self, *, table: str, **kwargs):
        self.table = table
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            row = reference.table(self.table, self.queryset, self.slug_field).get(data)
            if row is not None:
                return row
        return super().to_internal_value(data)
