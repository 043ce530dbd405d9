"""Conditional GETs: an `ETag` on the answer and 304 Not Modified for an
`If-None-Match` that names it (Django's own `get_conditional_response` decides).

Two ways to tag, both without rendering twice:
- `ETagFromBody`, mixed into a view: the tag is a hash of the body as rendered for this
  caller and language, so it changes with anything the caller can see (an appeal's
  new event or message, a status) and differs between callers who see different
  things. The body is rendered once, as it would be anyway; a 304 saves the transfer.
- `tag(...)` of what the answer is made from, when that is known before any work (a
  rating run's rows never change: the run, the region and the address are the
  answer): `not_modified` then answers 304 before reading or rendering anything.

Tagged answers are `Cache-Control: private, no-cache`: kept by the caller only, and
asked again (cheaply, with the tag) each time.
"""

import hashlib

from django.utils.cache import get_conditional_response
from rest_framework.response import Response

CACHE_CONTROL = "private, no-cache"


def tag(*parts) -> str:
    """A strong entity tag of the given parts."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16)
    return f'"{digest.hexdigest()}"'


def _django(request):
    return getattr(request, "_request", request)


def not_modified(request, etag: str):
    """A 304 carrying `etag` when the request's If-None-Match names it, else None."""
    if request.method not in ("GET", "HEAD") or "HTTP_IF_NONE_MATCH" not in request.META:
        return None
    answer = get_conditional_response(_django(request), etag=etag)
    if answer is not None:
        answer["ETag"] = etag
        answer["Cache-Control"] = CACHE_CONTROL
    return answer


def tagged(response, etag: str):
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


class ETagFromBody:
    """Mixed into an APIView before it: a successful GET is tagged by its body."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or not isinstance(response, Response)
        ):
            return response
        response.render()
        etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        tagged(response, etag)
        return get_conditional_response(_django(request), etag=etag, response=response)
