from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """Pages by number. A page or page size that is not a whole number in range is a 400
    naming the parameter, not silently the default (DRF's way), so a client learns of
    its mistake; the range is in the schema."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return self._whole_number(self.page_size_query_param, raw, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            self._whole_number(self.page_query_param, raw, None)
        return super().paginate_queryset(queryset, request, view)

    def _whole_number(self, name, raw, maximum):
        try:
            value = int(raw) if raw.isascii() and raw.isdigit() else 0
        except ValueError:
            value = 0
        if value < 1 or (maximum is not None and value > maximum):
            if maximum is None:
                message = _("A whole number from 1.")
            else:
                message = _("A whole number from 1 to %(maximum)d.") % {"maximum": maximum}
            raise ValidationError({name: [message]})
        return value

    def get_schema_operation_parameters(self, view):
        page, size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1}
        page["description"] = "A page number, from 1. A page past the last one is a 404."
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        size["description"] = (
            f"Rows per page, 1 to {self.max_page_size}; {self.page_size} when not given."
        )
        return [page, size]
