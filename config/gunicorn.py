"""gunicorn's settings for the site: `gunicorn -c config/gunicorn.py config.wsgi`."""

import gc

# Twice the limits Django enforces (MAX_REQUEST_HEADERS, MAX_REQUEST_HEADER_SIZE in
# settings): gunicorn answers past its own limits with an HTML 431 before Django runs,
# so headers between the two get core.middleware's 431 in the caller's form (problem
# details under /api/). Past these, gunicorn's HTML answer stays: a hard ceiling.
limit_request_fields = 200
limit_request_field_size = 16380


def post_worker_init(worker):
    """Load the URLconf (and with it every view), then move what start-up allocated out
    of the garbage collector's sight. Otherwise a full collection walks all of it every
    few hundred requests: a 60–76 ms pause in the middle of one request, measured here
    (docs/PERFORMANCE.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imported for its side effect)
    gc.collect()
    gc.freeze()
