"""History reasons: the system's are codes worded in the reader's language (appeals.history);
appeals 0003 turns those stored as Russian text into codes, and what a person wrote stays
as written."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from appeals.history import event_reason
from appeals.models import AppealEvent
from tests.factories import AppealFactory, DeputyFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("appeals.migrations.0003_event_reasons_as_codes")

POPOVA = "Попова Александра Борисовна"
STORED = [
    # (type, the text stored before, params before, the params after)
    ("routed", f"направлено депутату {POPOVA}: выбран гражданином", {}, {"why": "chosen"}),
    ("routed", f"направлено депутату {POPOVA}: округ включает Москва", {}, {"why": "district"}),
    (
        "routed",
        f"направлено депутату {POPOVA}: меньше всего открытых обращений в регионе",
        {},
        {"why": "least_loaded"},
    ),
    (
        "routed",
        f"направлено депутату {POPOVA}: автору ответа на обращение № 77-2026-000001",
        {},
        {"why": "answered_first", "first": "77-2026-000001"},
    ),
    ("routed", f"{POPOVA}: меньше всего открытых обращений", {}, {"why": "least_loaded"}),
    ("queued", "в регионе нет депутатов, принимающих обращения", {}, {"why": "no_deputy"}),
    (
        "registered",
        "повторное обращение: гражданин не согласен с ответом на обращение № 77-2026-000001",
        {},
        {"why": "repeat", "first": "77-2026-000001"},
    ),
    (
        "assigned",
        "назначено из очереди исполкома: 30 дней депутата отсчитываются с момента назначения",
        {"from_queue": True, "deadline": "2026-12-01"},
        {"from_queue": True, "deadline": "2026-12-01"},
    ),
    ("rejected", "Обжалует судебное решение", {"reason": "court_decision"}, None),
    ("closed", "14 дней после ответа без оценки", {}, {"why": "no_feedback"}),
    ("closed", "гражданин оценил ответ", {}, {"why": "rated"}),
]


def test_stored_reasons_become_codes_worded_in_each_language():
    popova = DeputyFactory(region_code="77", full_name=POPOVA)
    appeal = AppealFactory(deputy=popova)
    written = [
        AppealEvent.objects.create(
            appeal=appeal,
            type=type_,
            reason=text,
            params=params,
            deputy=popova,
            created_at=appeal.registered_at,
        )
        for type_, text, params, _after in STORED
    ]
    redirect = AppealEvent.objects.create(
        appeal=appeal, type="redirected", reason="Округ коллеги", params={"from_deputy": 1},
        created_at=appeal.registered_at,
    )  # fmt: skip
    unknown = AppealEvent.objects.create(
        appeal=appeal, type="closed", reason="закрыто вручную", created_at=appeal.registered_at
    )

    migration.reasons_to_codes(apps, None)

    for event, (_type, _text, params, after) in zip(written, STORED, strict=True):
        event.refresh_from_db()
        assert event.reason == ""
        assert event.params == (params if after is None else after)
    redirect.refresh_from_db()
    unknown.refresh_from_db()
    assert (redirect.reason, unknown.reason) == ("Округ коллеги", "закрыто вручную")

    with translation.override("ru"):
        worded = [event_reason(event, appeal) for event in written]
    assert worded[0] == "направлено депутату Поповой Александре Борисовне по выбору гражданина"
    assert worded[8] == "Обжалует судебное решение"
    with translation.override("en"):
        assert event_reason(written[0], appeal) == f"routed to {POPOVA}: chosen by the citizen"
        assert event_reason(written[8], appeal) == "Challenges a court decision"
        assert event_reason(written[9], appeal) == "14 days after the answer without feedback"


def test_the_admin_shows_the_worded_reason(admin_client, citizen):
    from django.urls import reverse

    from tests.appeals.helpers import file_appeal

    popova = DeputyFactory(region_code="77", full_name=POPOVA)
    appeal = file_appeal(citizen, chosen_deputy=popova)

    page = admin_client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk]))

    assert "направлено депутату Поповой Александре Борисовне по выбору гражданина" in (
        page.content.decode()
    )
