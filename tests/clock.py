"""A clock the real services read: `timezone.now()` (and with it `localdate()`) answers
the moment set here, so a test walks an appeal through its days by the services alone.
A test module makes its fixture: `clock = Clock.fixture()`."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

START = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


class Clock:
    def __init__(self, monkeypatch, start: datetime = START):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def today(self):
        return timezone.localdate(self.now)

    @staticmethod
    def fixture(start: datetime = START):
        @pytest.fixture
        def clock(monkeypatch):
            return Clock(monkeypatch, start)

        return clock
