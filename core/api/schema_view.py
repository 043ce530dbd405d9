"""The schema's view, apart from core.api.schema: DRF imports that module as the schema
class, and drf-spectacular's views import the schema class in turn."""

from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The schema in English (enum labels, descriptions) unless `?lang=ru` asks for
    Russian: integrators read it, and a client generator names things from it."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.GET.get("lang"):
            return super().get(request, *args, **kwargs)
        with translation.override("en"):
            return super().get(request, *args, **kwargs)
