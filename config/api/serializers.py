"""The API's base serializer."""

import copy

from rest_framework import serializers


class ModelSerializer(serializers.ModelSerializer):
    """DRF builds a model serializer's fields from the model for every instance: about
    half of the cost of answering with an appeal. They depend only on the class, so
    they are built once per class; each instance binds its own copy."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            cls._built_fields = built
        return copy.deepcopy(built)
