"""Who gets a new appeal (SPEC, Routing).

The order: the deputy the citizen chose; else a deputy whose district covers the
municipality; else the active deputy of the region (at the chosen level, if any)
with the fewest open appeals, ties to the one assigned longest ago; else nobody,
and the appeal waits in the region committee's queue.

Routing also counts the appeal on the deputy it names: the automatic choice picks and
counts in one statement, since it runs on every filing. Call `route` inside the filing
transaction after the appeal's number is taken: the number sequence's row lock
serialises filings within a region, so two appeals filed at the same moment see each
other's counters and spread over the deputies as the rule says.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from accounts.models import User
from deputies.models import Deputy, Municipality

from .events import Why

Role = User.Role

# The rule's order in SQL, written out rather than built by the ORM: compiling the
# queryset cost about as much as running it, on the busiest request there is. The
# WHERE is DeputyQuerySet.accepting() (accepts appeals, and an active deputy account
# reads them: access.DEPUTY_CAN_ACT) and the SET is count_open(+1, assigned_now=…):
# change them together.
_CLAIM_LEAST_LOADED = """
UPDATE deputies_deputy SET open_appeals = open_appeals + 1, last_assigned_at = %s
WHERE id = (
    SELECT d.id FROM deputies_deputy d
    JOIN accounts_user u ON u.id = d.user_id AND u.is_active AND u.role = %s{joins}
    WHERE d.accepts_appeals AND d.region_id = %s{conditions}
    ORDER BY d.open_appeals, d.last_assigned_at NULLS FIRST, d.id
    LIMIT 1
)
RETURNING id, full_name, region_id, user_id, open_appeals
"""
_BY_LEVEL = (" JOIN deputies_body b ON b.id = d.body_id", " AND b.level = %s")
_BY_MUNICIPALITY = (
    " JOIN deputies_district_municipalities dm ON dm.district_id = d.district_id",
    " AND dm.municipality_id = %s",
)


# The columns RETURNING gives, then the time set.
_RETURNED = ["id", "full_name", "region_id", "user_id", "open_appeals", "last_assigned_at"]


@dataclass(frozen=True)
class Route:
    deputy: Deputy | None
    why: str  # an events.Why code, worded when the history is shown


def _claim_least_loaded(now, region_id, *, level="", municipality_id=None) -> Deputy | None:
    parts, params = [], [now, Role.DEPUTY.value, region_id]
    if level:
        parts.append(_BY_LEVEL)
        params.append(level)
    if municipality_id:
        parts.append(_BY_MUNICIPALITY)
        params.append(municipality_id)
    sql = _CLAIM_LEAST_LOADED.format(
        joins="".join(join for join, _condition in parts),
        conditions="".join(condition for _join, condition in parts),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    # The columns read, the rest deferred: a complete Deputy if anything asks for more.
    # Model.from_db takes a subset of fields in the model's order, whatever ours is.
    returned = dict(zip(_RETURNED, [*row, now], strict=True))
    names = [f.attname for f in Deputy._meta.concrete_fields if f.attname in returned]
    return Deputy.from_db(connection.alias, names, [returned[name] for name in names])


def route(
    *,
    now: datetime,
    region_id: int,
    municipality: Municipality | None,
    chosen: Deputy | None,
    level: str = "",
) -> Route:
    # The citizen's choice counts only if that deputy can still act on it (the account
    # may have been deactivated since the form was shown); the check is the UPDATE's own.
    if chosen is not None and (
        Deputy.objects.filter(pk=chosen.pk).able_to_act().count_open(+1, assigned_now=now)
    ):
        return Route(chosen, Why.CHOSEN)

    if municipality is not None:
        deputy = _claim_least_loaded(now, region_id, level=level, municipality_id=municipality.pk)
        if deputy is not None:
            return Route(deputy, Why.DISTRICT)
    deputy = _claim_least_loaded(now, region_id, level=level)
    if deputy is not None:
        return Route(deputy, Why.LEAST_LOADED)
    return Route(None, Why.NO_DEPUTY)
