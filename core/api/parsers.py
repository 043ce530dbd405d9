"""JSON as the API accepts it: numbers that fit a number, text that is text.

Python's json reads `1e999` as infinity, `NaN` as not-a-number and `"\\ud800"` as a lone
surrogate; each then fails deep in a view or the database driver (a 500). They are
refused here, once, as a malformed body (400)."""

import codecs
import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:20]}")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _surrogate_free(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_surrogate_free(k) and _surrogate_free(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_surrogate_free(item) for item in value)
    return True


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_float=_finite,
                parse_constant=_no_constant,
            )
        except ValueError as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
        if not _surrogate_free(data):
            raise ParseError(_("The body is not valid JSON: a lone surrogate is not a character."))
        return data
