"""Who gets a new appeal (SPEC, Routing).

The order: the deputy the citizen chose; else a deputy whose district covers the
municipality, or the nearest place it is part of (a St Petersburg unit, then its
district, then the city: the closest district wins); else the active deputy of the
region (at the chosen level, if any) with the fewest open appeals, ties to the one
assigned longest ago; else nobody, and the appeal waits in the region committee's
queue.

Routing also counts the appeal on the deputy it names: the automatic choice picks and
counts in one statement, since it runs on every filing. Call `route` inside the filing
transaction after the appeal's number is taken: the number sequence's row lock
serialises filings within a region, so two appeals filed at the same moment see each
other's counters and spread over the deputies as the rule says.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from accounts.models import User
from deputies import selectors as deputy_selectors
from deputies.models import Body, Deputy, Municipality

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
    place: Municipality | None = None  # whose district covers it, for Why.DISTRICT

    @property
    def params(self) -> dict:
        """The history entry's params: the code, and the covering place if not the
        appeal's own (history.py names it)."""
        if self.place is None:
            return {"why": self.why}
        return {"why": self.why, "place": self.place.pk}


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
        # One claim per level, the closest first: each is the same single UPDATE.
        for place in deputy_selectors.place_and_parents(municipality):
            deputy = _claim_least_loaded(now, region_id, level=level, municipality_id=place.pk)
            if deputy is not None:
                return Route(deputy, Why.DISTRICT, place if place != municipality else None)
    deputy = _claim_least_loaded(now, region_id, level=level)
    if deputy is not None:
        return Route(deputy, Why.LEAST_LOADED)
    return Route(None, Why.NO_DEPUTY)


# --- the same rule in words, before the citizen sends -------------------------------


@dataclass(frozen=True)
class Preview:
    """What `route` would do with an appeal sent now, told to the citizen on the form,
    the finder and the check step. It claims nobody: counters move between now and the
    filing, so among several deputies it names the rule, not the one who will win."""

    rule: str  # chosen, same, district, region, committee
    text: str
    deputies: tuple = ()


def preview(
    *,
    region_id: int,
    municipality: Municipality | None = None,
    chosen: Deputy | None = None,
    level: str = "",
    same_deputy: Deputy | None = None,
) -> Preview:
    """`route`'s order, read without claiming: the chosen deputy (or, for a repeat
    appeal, the one who answered); the deputies whose district covers the
    municipality or the nearest place it is part of; the least busy deputy of the
    region (at the level); the committee. Costs a query per level of places and one
    more, none for a chosen deputy."""
    if chosen is not None:
        return Preview(
            "chosen",
            _("Your appeal will go to %(name)s, the deputy you chose.")
            % {"name": chosen.full_name},
            (chosen,),
        )
    if same_deputy is not None:
        return Preview(
            "same",
            _("Your repeat appeal will go to %(name)s, who answered the first one.")
            % {"name": same_deputy.full_name},
            (same_deputy,),
        )
    place = municipality.display_name if municipality is not None else ""
    covering = []
    if municipality is not None:
        for covered in deputy_selectors.place_and_parents(municipality):
            covering = deputy_selectors.deputies_covering(
                region_id=region_id, municipality_id=covered.pk, level=level
            )
            if covering:
                if covered != municipality:
                    place = f"{place} ({covered.display_name})"
                break
        if len(covering) == 1:
            text = _(
                "Your appeal will go to the deputy of the district that covers %(place)s: %(name)s."
            ) % {"place": place, "name": covering[0].full_name}
            return Preview("district", text, tuple(covering))
        if covering:
            text = _(
                "Your appeal will go to the deputy of the district that covers %(place)s; "
                "of the deputies below, to the one with the fewest open appeals."
            ) % {"place": place}
            return Preview("district", text, tuple(covering))
    if deputy_selectors.region_takes_appeals(region_id=region_id, level=level):
        if level:
            text = _(
                "Your appeal will go to the least busy deputy of the region among the "
                "deputies of this level (%(level)s): the one with the fewest open appeals."
            ) % {"level": Body.Level(level).label}
        else:
            text = _(
                "Your appeal will go to the least busy deputy of the region: "
                "the one with the fewest open appeals."
            )
        if municipality is not None:
            nobody = _("No deputy who accepts appeals has a district covering %(place)s.")
            text = nobody % {"place": place} + " " + text
        return Preview("region", text)
    return Preview(
        "committee",
        _(
            "No deputy of the region accepts appeals now. Your appeal will be registered "
            "all the same, and the regional executive committee will give it to a deputy; "
            "the deputy's 30 days start then."
        ),
    )
