"""Input fields that take the JSON type the schema names and nothing else.

DRF reads `"address": 0` as the text "0", `"final": "no"` or `0` as false and `"days": "5"`
as 5: a client that sends the wrong type is never told. These refuse it (400, DRF's own
messages), so what the schema says is what the server accepts."""

from rest_framework import serializers


class CharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class IntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id: a JSON integer, not `"3"` or `3.0`."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
