"""Who gets a new appeal (SPEC, Routing).

The order: the deputy the citizen chose; else a deputy whose district covers the
municipality; else the active deputy of the region (at the chosen level, if any)
with the fewest open appeals, ties to the one assigned longest ago; else nobody,
and the appeal waits in the region committee's queue.

Call `route` inside the filing transaction after the appeal's number is taken: the
number sequence's row lock serialises filings within a region, so two appeals filed
at the same moment see each other's counters and spread over the deputies as the
rule says.
"""

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _

from deputies.models import Deputy


@dataclass(frozen=True)
class Route:
    deputy: Deputy | None
    reason: str


def _least_loaded(candidates):
    return candidates.order_by(
        "open_appeals", F("last_assigned_at").asc(nulls_first=True), "pk"
    ).first()


def route(
    *, region_id: int, municipality_id: int | None, chosen: Deputy | None, level: str = ""
) -> Route:
    if chosen is not None:
        return Route(
            chosen, _("routed to %(name)s: chosen by the citizen") % {"name": chosen.full_name}
        )

    active = Deputy.objects.accepting().filter(region_id=region_id)
    if level:
        active = active.filter(body__level=level)
    if municipality_id:
        deputy = _least_loaded(active.filter(district__municipalities=municipality_id))
        if deputy is not None:
            municipality = deputy.district.municipalities.get(pk=municipality_id)
            return Route(
                deputy,
                _("routed to %(name)s: the district covers %(place)s")
                % {"name": deputy.full_name, "place": municipality.name},
            )
    deputy = _least_loaded(active)
    if deputy is not None:
        return Route(
            deputy,
            _("routed to %(name)s: the fewest open appeals in the region")
            % {"name": deputy.full_name},
        )
    return Route(None, _("no deputy of the region accepts appeals: waits for the committee"))
