"""The API's two kinds of pages.

- `CursorPagination` for the appeal lists, meant to reach millions of rows: a keyset
  cursor on the list's ordering with the primary key as the last, unique tiebreak; no
  COUNT, no OFFSET, and rows added or removed between two requests neither repeat nor
  skip a row. DRF's own cursor keeps only the first ordering field and an offset among
  equal values, which repeats and skips rows on a date ordering (thousands of appeals
  share a deadline).
- `PagePagination` (page numbers, a count) for the short reference lists: regions,
  municipalities, bodies, deputies, topics, and the bounded rating lists. Past the
  last page is an empty page, not a 404.

Both give `next` and `previous` in the body and as a `Link` header (RFC 8288), and
refuse a bad `page_size`, `page` or `cursor` with 400 rather than guessing.
"""

import base64
import binascii
import json
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_SIZE = 200


def _page_size(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {name: [_("A whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]},
            code="invalid_page_size",
        )
    return size


def _link_header(next_url, previous_url) -> dict:
    """RFC 8288 links to the neighbouring pages, none when there are none."""
    pairs = ((next_url, "next"), (previous_url, "prev"))
    links = [f'<{url}>; rel="{rel}"' for url, rel in pairs if url]
    return {"Link": ", ".join(links)} if links else {}


def _page_size_parameter(default: int) -> dict:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": f"Rows per page, at most {MAX_PAGE_SIZE} (default {default}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


class PagePagination(pagination.PageNumberPagination):
    """Page numbers with the total count, for lists short enough to count."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param) or "1"
        number = int(raw) if raw.isdigit() else 0
        if number < 1:
            raise ValidationError(
                {self.page_query_param: [_("A whole number from 1.")]}, code="invalid_page"
            )
        paginator = self.django_paginator_class(queryset, size)
        # Past the last page: an empty page that still tells the count and leads back.
        self.past_end = number > paginator.num_pages
        self.page = paginator.page(paginator.num_pages if self.past_end else number)
        self.number = number
        return [] if self.past_end else list(self.page)

    def get_next_link(self):
        return None if self.past_end else super().get_next_link()

    def get_previous_link(self):
        if self.past_end:
            if not self.page.paginator.count:
                return None
            url = self.request.build_absolute_uri()
            return replace_query_param(url, self.page_query_param, self.page.number)
        return super().get_previous_link()

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        for name, value in _link_header(response.data["next"], response.data["previous"]).items():
            response[name] = value
        return response

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number from 1; past the last page the page is empty.",
                "schema": {"type": "integer", "minimum": 1},
            },
            _page_size_parameter(self.page_size),
        ]


class CursorPagination(pagination.CursorPagination):
    """Keyset pages over the queryset's own ordering (the selector's, or `ordering=`
    as the ordering filter set it) with the primary key appended as the tiebreak.

    The cursor is opaque to clients: base64 of the ordering it was made for, the
    direction, and the values of the row it continues from. A cursor made for another
    ordering, or not made here at all, is a 400."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-pk"  # only when the queryset has none

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.terms = self._terms(queryset)
        self.fields = [self._field(queryset, name) for name, _desc in self.terms]
        self.key = [("-" if desc else "") + name for name, desc in self.terms]
        self.cursor = self.decode_cursor(request)
        backwards = self.cursor is not None and self.cursor[0]
        order = [("" if desc == backwards else "-") + name for name, desc in self.terms]
        queryset = queryset.order_by(*order)
        if self.cursor is not None:
            queryset = queryset.filter(self._after(self.cursor[1], backwards))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.page = rows
        # Walking forward the rows before the cursor exist (the caller came from them);
        # walking back, so do the rows after it.
        came_from = self.cursor is not None and bool(rows)
        self.has_next, self.has_previous = (came_from, more) if backwards else (more, came_from)
        return rows

    def _terms(self, queryset) -> list[tuple[str, bool]]:
        query = queryset.query
        ordering = list(query.order_by) or (
            list(queryset.model._meta.ordering) if query.default_ordering else []
        )
        ordering = ordering or [self.ordering]
        terms = []
        for term in ordering:
            if not isinstance(term, str) or term == "?":
                raise ImproperlyConfigured(f"cursor pages need field names to order by: {term!r}")
            name = term.lstrip("-")
            terms.append(("pk" if name == queryset.model._meta.pk.name else name, term[0] == "-"))
            if terms[-1][0] == "pk":
                return terms
        return [*terms, ("pk", terms[0][1])]

    @staticmethod
    def _field(queryset, name: str):
        model = queryset.model
        if name == "pk":
            return model._meta.pk
        if name in queryset.query.annotations:
            # An annotation the rows carry, e.g. a search's rank: a cursor on its value.
            return queryset.query.annotations[name].output_field
        *path, last = name.split("__")
        for step in path:
            model = model._meta.get_field(step).related_model
        try:
            return model._meta.get_field(last)
        except FieldDoesNotExist as error:
            raise ImproperlyConfigured(f"cursor pages order by fields: {name}") from error

    def _after(self, values, backwards: bool) -> Q:
        """Rows strictly after `values` in the walking direction: (a, b, pk) > (x, y, z)
        spelt out field by field, each in its own direction."""
        condition = Q(pk__in=[])
        equal = Q()
        for (name, desc), value in zip(self.terms, values, strict=True):
            lookup = "lt" if desc != backwards else "gt"
            condition |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        return condition

    def _values(self, row) -> list:
        values = []
        for name, _desc in self.terms:
            value = row
            for step in name.split("__"):
                value = getattr(value, step)
            values.append(value.isoformat() if isinstance(value, date | datetime) else value)
        return values

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:  # `cursor=` as a form leaves it: the first page
            return None
        try:
            padded = raw + "=" * (-len(raw) % 4)  # written without its padding
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if data["o"] != self.key or len(data["v"]) != len(self.fields):
                raise ValueError("another ordering")
            values = [field.to_python(v) for field, v in zip(self.fields, data["v"], strict=True)]
            if None in values:
                raise ValueError("a value missing")
            return bool(data["r"]), values
        except (
            ValueError, TypeError, KeyError, UnicodeError, binascii.Error, DjangoValidationError
        ) as error:  # fmt: skip
            message = _("Invalid cursor: take it from `next` or `previous`.")
            raise ValidationError(
                {self.cursor_query_param: [message]}, code="invalid_cursor"
            ) from error

    def encode_cursor(self, cursor):
        backwards, row = cursor
        data = {"o": self.key, "r": int(backwards), "v": self._values(row)}
        encoded = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        return replace_query_param(
            self.base_url, self.cursor_query_param, encoded.decode().rstrip("=")
        )

    def get_next_link(self):
        if not self.has_next:
            return None
        return self.encode_cursor((False, self.page[-1]))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        return self.encode_cursor((True, self.page[0]))

    def get_paginated_response(self, data):
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        return Response(
            {"next": next_url, "previous": previous_url, "results": data},
            headers=_link_header(next_url, previous_url),
        )

    def get_paginated_response_schema(self, schema):
        found = super().get_paginated_response_schema(schema)
        found["required"] = ["next", "previous", "results"]
        return found

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from `next` or `previous` (or "
                "the `Link` header); it is opaque and valid only with the same `ordering`. "
                "Left out or empty: the first page.",
                "schema": {"type": "string"},
            },
            _page_size_parameter(self.page_size or api_settings.PAGE_SIZE),
        ]
