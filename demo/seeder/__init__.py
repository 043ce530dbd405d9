"""Fills a database with a consistent demo: regions' municipalities and districts,
deputies with accounts, committee staff, citizens, and appeals in every state with
their messages, events and feedback.

Appeals are generated oldest first, in chunks written with bulk inserts, so memory
stays flat and a million appeals take minutes. The same seed and the same `now`
give the same data.
"""

from .checks import consistency_problems
from .common import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, Counts, demo_email, demo_now
from .core import DemoSeeder
from .flush import flush_demo

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "Counts",
    "DemoSeeder",
    "consistency_problems",
    "demo_email",
    "demo_now",
    "flush_demo",
]
