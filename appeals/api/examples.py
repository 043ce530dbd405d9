"""The example values the schema shows for the appeals API (drf-spectacular's
OpenApiExample): one filed, taken into work and answered appeal throughout."""

from drf_spectacular.utils import OpenApiExample

DEPUTY = {"id": 3, "full_name": "Антонова Мария Викторовна"}
NUMBER = "17-2026-000004"

APPEAL = {
    "number": NUMBER,
    "status": "answered",
    "region": "17",
    "municipality": 17,
    "place": {
        "id": 17,
        "name": "Кызыл",
        "name_en": "Kyzyl",
        "kind": "city",
        "oktmo": "",
        "parent": None,
    },
    "topic": "roads-repair",
    "topic_parent": "roads",
    "subject": "Яма на проезжей части",
    "deputy": DEPUTY,
    "registered_at": "2026-05-06T08:39:52+03:00",
    "deadline": "2026-06-05",
    "extended_days": 0,
    "answered_at": "2026-05-09T22:22:16+03:00",
    "closed_at": None,
}
MESSAGE = {
    "id": 18,
    "kind": "answer",
    "text": "Ремонт участка включён в план на май; контроль оставляю за собой.",
    "created_at": "2026-05-09T22:22:16+03:00",
    "attachments": [],
}
EVENTS = [
    {
        "type": "registered",
        "created_at": "2026-05-06T08:39:52+03:00",
        "from_status": "",
        "to_status": "submitted",
        "deputy": None,
        "reason": "",
    },
    {
        "type": "routed",
        "created_at": "2026-05-06T08:39:52+03:00",
        "from_status": "submitted",
        "to_status": "assigned",
        "deputy": 3,
        "reason": "направлено депутату Антоновой Марии Викторовне",
    },
    {
        "type": "answered",
        "created_at": "2026-05-09T22:22:16+03:00",
        "from_status": "in_progress",
        "to_status": "answered",
        "deputy": None,
        "reason": "",
    },
]
APPEAL_DETAIL = {
    **APPEAL,
    "text": "Третий месяц на улице Лесной яма на проезжей части у дома 41.",
    "address": "ул. Лесная, д. 41",
    "citizen": None,
    "extension_reason": "",
    "rejection_reason": "",
    "rejection_details": "",
    "messages": [MESSAGE],
    "events": EVENTS,
    "repeat_of": None,
    "first_appeal": None,
    "similar_count": None,
    "collective": None,
}


def response(name, value, summary=""):
    return OpenApiExample(name, value=value, summary=summary, response_only=True)


def request(name, value, summary=""):
    return OpenApiExample(name, value=value, summary=summary, request_only=True)
