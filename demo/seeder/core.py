"""The seeder: one object holding the random generator and what each step leaves for the next;
the steps themselves live in places.py, people.py and appeals.py."""

import random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from .appeals import AppealsSeeding
from .common import DEMO_PASSWORD, Counts
from .people import PeopleSeeding
from .places import PlacesSeeding


class DemoSeeder(PlacesSeeding, PeopleSeeding, AppealsSeeding):
    def __init__(self, *, deputies, appeals, citizens, seed, now, progress=None):
        self.n_deputies = deputies
        self.n_appeals = appeals
        self.n_citizens = citizens
        # Seeded on purpose: the same seed gives the same demo; nothing secret is drawn.
        self.rng = random.Random(seed)  # nosec B311
        self.now = now
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.progress = progress or (lambda n: None)
        self.counts = Counts()
        self.password = make_password(DEMO_PASSWORD)
        self.sequences = {}

    def run(self):
        with transaction.atomic():
            self._places()
            self._deputies()
            self._staff()
            self._authenticators()
            self._citizens()
        self._appeals()
        with transaction.atomic():
            self._finish()
        self._analyze()
        return self.counts

    @staticmethod
    def _analyze():
        # Fresh statistics after millions of inserts, or the planner guesses badly
        # (a hash join over all users for one appeal's history) until autovacuum runs;
        # and the visibility map and hint bits a database in service has, or the first
        # requests that read each row write it back.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM cannot run in a transaction (a test's, say); ANALYZE then.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
