"""The reason of a history entry as the reader reads it, in their language.

The system's reasons are stored as codes (appeals.events.Why, and the assignment's
and rejection's own params) and worded here; a reason a person wrote is shown as they
wrote it. Entries written before the codes, that the data migration could not read,
keep their stored text."""

from django.utils.translation import gettext as _

from core import reference
from deputies.names import dative
from deputies.selectors import municipalities_of

from .events import Why
from .models import Appeal, AppealEvent, Topic

Type = AppealEvent.Type


def _deputy(event, appeal) -> str:
    if not event.deputy_id:
        return "—"
    # Mostly the appeal's own deputy, whom the pages and the API have read already.
    deputy = appeal.deputy if event.deputy_id == appeal.deputy_id else event.deputy
    return dative(deputy.full_name)


def _place(appeal) -> str:
    return appeal.municipality.display_name if appeal.municipality_id else "—"


def _district(event, appeal) -> str:
    """Routed by district: the appeal's own place, or the district or city it is part
    of whose district took it (from the reference tables, no query)."""
    place_id = (event.params or {}).get("place")
    covering = municipalities_of(region_id=appeal.region_id).get(place_id) if place_id else None
    if covering is None:
        return _("routed to %(name)s: the district covers %(place)s") % {
            "name": _deputy(event, appeal),
            "place": _place(appeal),
        }
    return _("routed to %(name)s: %(part)s is part of %(place)s, which the district covers") % {
        "name": _deputy(event, appeal),
        "part": _place(appeal),
        "place": covering.display_name,
    }


_WORDED = {
    Why.CHOSEN: lambda e, a: (
        _("routed to %(name)s: chosen by the citizen") % {"name": _deputy(e, a)}
    ),
    Why.DISTRICT: _district,
    Why.LEAST_LOADED: lambda e, a: (
        _("routed to %(name)s: the fewest open appeals in the region") % {"name": _deputy(e, a)}
    ),
    Why.ANSWERED_FIRST: lambda e, a: (
        _("routed to %(name)s: answered the appeal No. %(number)s")
        % {"name": _deputy(e, a), "number": e.params.get("first", "")}
    ),
    Why.NO_DEPUTY: lambda e, a: _(
        "no deputy of the region accepts appeals: waits for the committee"
    ),
    Why.REPEAT: lambda e, a: (
        _("repeat appeal: the citizen disagrees with the answer to No. %(number)s")
        % {"number": e.params.get("first", "")}
    ),
    Why.NO_FEEDBACK: lambda e, a: _("14 days after the answer without feedback"),
    Why.RATED: lambda e, a: _("the citizen rated the answer"),
}


def event_reason(event: AppealEvent, appeal: Appeal) -> str:
    """What `event` of `appeal` says after its type; "" when it says nothing more.
    `event.deputy` and `appeal.municipality` are read: select them with the events."""
    params = event.params or {}
    worded = _WORDED.get(params.get("why"))
    if worded is not None:
        return worded(event, appeal)
    if event.type == Type.ASSIGNED and not event.reason:
        if params.get("from_queue"):
            return _(
                "assigned from the committee's queue: the deputy's 30 days start at the assignment"
            )
        if params.get("from_deputy"):
            return _(
                "taken from the deputy after the deadline was missed: the new deputy answers "
                "within 7 days"
            )
    if event.type == Type.TOPIC_CHANGED:
        return _("from «%(from)s» to «%(to)s»") % {
            "from": _topic_name(params.get("from_id"), params.get("from")),
            "to": _topic_name(params.get("to_id"), params.get("to")),
        }
    if event.type == Type.REJECTED and params.get("reason") in Appeal.RejectionReason.values:
        return str(Appeal.RejectionReason(params["reason"]).label)
    return event.reason


def _topic_name(pk, slug) -> str:
    rows = reference.table("topics by id", Topic.objects.all(), "pk")
    topic = rows.get(pk)
    if topic is None:
        return slug or ""
    parent = rows.get(topic.parent_id)
    return f"{parent.display_name} → {topic.display_name}" if parent else topic.display_name
