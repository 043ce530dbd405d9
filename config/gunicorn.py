"""gunicorn's settings for the site: `gunicorn -c config/gunicorn.py config.wsgi`."""

import gc


def post_worker_init(worker):
    """Load the URLconf (and with it every view), then move what start-up allocated out
    of the garbage collector's sight. Otherwise a full collection walks all of it every
    few hundred requests: a 60–76 ms pause in the middle of one request, measured here
    (docs/PERFORMANCE.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imported for its side effect)
    gc.collect()
    gc.freeze()
