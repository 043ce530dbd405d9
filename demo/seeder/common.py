"""What the seeder's parts share: the demo accounts' domain and secrets, the tally, the clock."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from appeals.models import Appeal

DEMO_DOMAIN = "demo.test"
# The documented password of the demo accounts; never used outside demo data.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
# The documented TOTP key (base32) of every demo staff account's authenticator: its code
# is `oathtool --totp -b IZBIRATELDEMOIZBIRATELDEMO234567`, or any app given this key.
DEMO_TOTP_SECRET = "IZBIRATELDEMOIZBIRATELDEMO234567"  # noqa: S105  # nosec B105
OPEN = Appeal.OPEN_STATUSES


@dataclass
class Counts:
    deputies: int = 0
    citizens: int = 0
    appeals: int = 0
    events: int = 0
    messages: int = 0
    feedback: int = 0
    by_status: dict = field(default_factory=dict)


def demo_email(kind, number=None):
    return f"{kind}@{DEMO_DOMAIN}" if number is None else f"{kind}-{number}@{DEMO_DOMAIN}"


def demo_now():
    """Today at noon, Moscow time: reruns on the same day give the same data."""
    tz = ZoneInfo(settings.TIME_ZONE)
    today = datetime.now(tz).date()
    return datetime(today.year, today.month, today.day, 12, 0, tzinfo=tz)
