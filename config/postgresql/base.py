"""Django's PostgreSQL backend with the connection health check run at most once a
second per connection.

With persistent connections Django checks each one at the first query of every
request (`CONN_HEALTH_CHECKS`): a `SELECT 1` round trip, which on a filing cost as much
of the database's CPU as writing its two history rows (docs/PERFORMANCE.md). A busy
worker's connection answered a moment ago, so it is trusted for a second after a
check; a connection idle for longer is checked as before. If PostgreSQL goes away
inside that second, the request fails cleanly (503), Django closes the connection at
its end, and the next request connects afresh.
"""

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    HEALTH_CHECK_INTERVAL = 1.0  # seconds

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # None until a check or a finished connect(): a connect() that failed after
        # opening the connection leaves one with no check time, checked at first use.
        self.health_checked_at = None

    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        now = time.monotonic()
        if self.health_checked_at is not None and now - self.health_checked_at < (
            self.HEALTH_CHECK_INTERVAL
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
        self.health_checked_at = now if self.connection is not None else None

    def connect(self):
        super().connect()
        self.health_checked_at = time.monotonic()  # a new connection has just answered
