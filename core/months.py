"""Calendar months as the first day of each, for figures counted per month."""

from datetime import date, datetime, time

from django.utils import timezone


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_of(moment: date | datetime | None) -> date | None:
    """The month of a day, or of a moment in the site's time zone (as TruncMonth gives
    it: a datetime on PostgreSQL and SQLite)."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from the one of `first` to the one of `last`, both included: a month
    without a single appeal is still a month of the chart."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def last_months(today: date, count: int) -> list[date]:
    """The `count` months ending with the month of `today`."""
    month = month_of(today)
    months = [month]
    for _ in range(count - 1):
        month = month_of(date.fromordinal(month.toordinal() - 1))
        months.append(month)
    return months[::-1]


def month_start(month: date) -> datetime:
    """Midnight of the month's first day in the site's time zone."""
    return timezone.make_aware(datetime.combine(month, time.min))
