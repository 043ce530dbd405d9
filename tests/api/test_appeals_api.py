from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from appeals.models import Appeal
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory
from tests.helpers import (
    API_FILING,
    assert_same_count,
    captured_queries,
    error_fields,
    queries,
    token_for,
)

pytestmark = pytest.mark.django_db


def test_filing_returns_the_appeal_with_its_number_and_deadline(api, deputy):
    response = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert response.status_code == 201
    data = response.json()
    appeal = Appeal.objects.get()
    assert data["number"] == appeal.number
    assert data["deadline"] == appeal.deadline.isoformat()
    assert data["deputy"]["id"] == deputy.pk
    assert [e["type"] for e in data["events"]] == ["registered", "routed"]


@pytest.mark.perf_guard  # regions and topics come from the per-process reference tables
def test_filing_reads_regions_and_topics_from_memory_and_sees_a_topic_closed_at_once(api, deputy):
    from appeals.models import Topic

    api.post(reverse("api:appeal-list"), API_FILING, format="json")
    with captured_queries() as sql:
        assert api.post(reverse("api:appeal-list"), API_FILING, format="json").status_code == 201
    assert 'FROM "deputies_region"' not in sql
    assert 'FROM "appeals_topic"' not in sql

    roads = Topic.objects.get(slug="roads")
    roads.is_active = False
    roads.save()  # in the admin
    closed = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert closed.status_code == 400
    assert "topic" in error_fields(closed)
    assert Appeal.objects.count() == 2


def test_the_same_idempotency_key_and_body_return_the_same_appeal(api, deputy):
    first = api.post(
        reverse("api:appeal-list"), API_FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = api.post(
        reverse("api:appeal-list"), API_FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["number"] == again.json()["number"]
    assert Appeal.objects.count() == 1

    other = {**API_FILING, "subject": "Другое"}
    reused = api.post(reverse("api:appeal-list"), other, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 409
    assert Appeal.objects.count() == 1

    api.post(reverse("api:appeal-list"), API_FILING, format="json")
    api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert Appeal.objects.count() == 3


def test_bad_input_gets_400_with_field_errors_and_saves_nothing(api, deputy):
    response = api.post(
        reverse("api:appeal-list"),
        {**API_FILING, "region": "00", "subject": "", "consent": False},
        format="json",
    )
    assert response.status_code == 400
    assert {"region", "subject"} <= error_fields(response)
    response = api.post(reverse("api:appeal-list"), {**API_FILING, "consent": False}, format="json")
    assert response.status_code == 400
    assert "consent" in error_fields(response)
    assert not Appeal.objects.exists()


def test_an_illegal_transition_is_409(deputy, citizen):
    client = APIClient()
    client.force_authenticate(deputy.user)
    appeal = AppealFactory(
        deputy=deputy, citizen=citizen, status="closed", answered_at=timezone.now()
    )
    response = client.post(
        reverse("api:appeal-answer", kwargs={"number": appeal.number}),
        {"text": "Ещё", "final": True},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["detail"]


def test_an_answer_without_final_is_refused_not_taken_as_final(deputy, citizen):
    client = APIClient()
    client.force_authenticate(deputy.user)
    appeal = AppealFactory(deputy=deputy, citizen=citizen, status="in_progress")
    response = client.post(
        reverse("api:appeal-answer", kwargs={"number": appeal.number}),
        {"text": "Ответ по существу"},
        format="json",
    )
    assert response.status_code == 400
    assert error_fields(response) == {"final"}
    appeal.refresh_from_db()
    assert appeal.status == "in_progress"
    assert not appeal.messages.exists()


@pytest.mark.perf_guard  # an action re-reads the appeal alone, not with the page's joins
def test_an_action_reads_the_appeal_without_the_pages_joins(deputy, citizen):
    """The service re-reads the appeal under a lock: the access check joins nothing, so
    PostgreSQL does not plan the page's eight-table read on every action."""
    client = APIClient()
    client.force_authenticate(deputy.user)
    appeal = AppealFactory(deputy=deputy, citizen=citizen)
    with captured_queries() as sql:
        response = client.post(
            reverse("api:appeal-answer", kwargs={"number": appeal.number}),
            {"text": "Ответ по существу", "final": True},
            format="json",
        )
    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    assert '"deputies_body"' not in sql
    assert '"feedback_feedback"' not in sql


def test_filters_pagination_and_ordering(deputy):
    client = APIClient()
    client.force_authenticate(deputy.user)
    today = timezone.localdate()
    overdue = AppealFactory(deputy=deputy, status="in_progress", deadline=today - timedelta(days=1))
    AppealFactory.create_batch(4, deputy=deputy)
    AppealFactory(deputy=deputy, status="answered", answered_at=timezone.now())
    url = reverse("api:appeal-list")

    def numbers(**params):
        return [row["number"] for row in client.get(url, params).json()["results"]]

    assert numbers(overdue="true") == [overdue.number]
    assert len(numbers(status="answered")) == 1
    assert len(numbers(topic="housing")) == 6
    assert numbers(topic="roads") == []
    assert numbers(registered_after=str(today + timedelta(days=1))) == []
    page = client.get(url, {"page_size": 2}).json()
    assert "count" not in page  # a cursor page counts nothing
    assert len(page["results"]) == 2
    assert page["next"]
    ordered = client.get(url, {"ordering": "deadline"}).json()["results"]
    assert ordered[0]["number"] == overdue.number
    assert client.get(url, {"status": "lost"}).status_code == 400


def test_token_authentication(citizen, deputy):
    client = APIClient()
    assert client.get(reverse("api:appeal-list")).status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(citizen)}")
    assert client.get(reverse("api:appeal-list")).status_code == 200


def test_filing_is_throttled_with_retry_after(api, deputy, monkeypatch):
    from appeals.throttling import FilingThrottle

    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "2/min"})
    statuses = [
        api.post(reverse("api:appeal-list"), API_FILING, format="json").status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    throttled = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert int(throttled["Retry-After"]) > 0
    assert api.get(reverse("api:appeal-list")).status_code == 200  # reading is not the filing scope


def test_filings_spend_the_filing_budget_only_and_reads_the_general_one(api, deputy, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min", "filing": "30/min"})
    filed = [api.post(reverse("api:appeal-list"), API_FILING, format="json") for _ in range(3)]
    assert [r.status_code for r in filed] == [201, 201, 201]
    reads = [api.get(reverse("api:appeal-list")).status_code for _ in range(3)]
    assert reads == [200, 200, 429]


def test_anonymous_reads_are_throttled(monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    client = APIClient()
    codes = [client.get(reverse("api:region-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize(
    "name",
    [
        "api:appeal-list",
        "api:deputy-list",
        "api:municipality-list",
        "api:body-list",
        "api:region-list",
        "api:topic-list",
    ],
)
def test_list_endpoints_run_constant_queries(name, deputy):
    client = APIClient()
    client.force_authenticate(deputy.user)
    AppealFactory.create_batch(2, deputy=deputy)
    DeputyFactory.create_batch(2)
    client.get(reverse(name))  # the first call caches the caller's scope
    few = queries(client, reverse(name))
    AppealFactory.create_batch(15, deputy=deputy, citizen=CitizenFactory())
    DeputyFactory.create_batch(15)
    assert_same_count(few, queries(client, reverse(name)))


def test_appeal_detail_runs_constant_queries_with_a_long_thread(citizen, deputy):
    from appeals import services
    from tests.appeals.helpers import as_scope, file_appeal

    client = APIClient()
    client.force_authenticate(citizen)
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    url = reverse("api:appeal-detail", kwargs={"number": appeal.number})
    services.appeal_follow_up(scope=as_scope(citizen), appeal=appeal, actor=citizen, text="0")
    client.get(url)  # the process reads its reference tables once
    few = queries(client, url)
    for n in range(6):
        services.appeal_follow_up(
            scope=as_scope(citizen), appeal=appeal, actor=citizen, text=str(n)
        )
    assert_same_count(few, queries(client, url))


def test_the_schema_and_its_interactive_docs_are_served():
    client = APIClient()
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Izbiratel API"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # The docs page loads Swagger UI from this site, not from a CDN.
    body = docs.content.decode().lower()
    assert "jsdelivr" not in body
    assert "unpkg" not in body
    assert "/static/drf_spectacular_sidecar/" in body


def test_an_unknown_api_path_answers_a_problem():
    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_serializers_built_once_per_class_still_answer_each_caller_as_themselves(citizen, deputy):
    """Fields are built once per serializer class; each answer binds its own copy, so
    what one caller may see never shows up in the next caller's answer."""
    from appeals.api import AppealDetailSerializer
    from appeals.selectors import appeal_with_thread
    from deputies.access import scope_for
    from tests.factories import CommitteeMembershipFactory

    appeal = appeal_with_thread(appeal=AppealFactory(citizen=citizen, deputy=deputy))
    committee = CommitteeMembershipFactory(region=appeal.region).user
    own = AppealDetailSerializer(appeal, context={"scope": scope_for(citizen)})
    staff = AppealDetailSerializer(appeal, context={"scope": scope_for(committee)})

    assert own.data["text"] == appeal.text
    assert staff.data["text"] is None  # assigned to a deputy: not the committee's to read
    assert own.data["citizen"]["email"] == citizen.email
    assert staff.data["citizen"] is None
    assert own.fields["text"] is not staff.fields["text"]


def test_copied_fields_keep_nested_lists_and_input_errors_to_their_own_serializer(citizen):
    """Fields are shallow copies of a template: a nested list's child must belong to
    its own serializer, and one input's errors must not appear in another's."""
    from appeals.api import AppealCreateSerializer, AppealDetailSerializer
    from appeals.selectors import appeal_with_thread
    from deputies.access import scope_for

    scope = scope_for(citizen)
    first, second = (
        AppealDetailSerializer(appeal_with_thread(appeal=AppealFactory(citizen=citizen)),
                               context={"scope": scope})
        for _ in range(2)
    )  # fmt: skip
    assert first.fields["events"].child is not second.fields["events"].child
    assert first.fields["events"].child.root is first
    assert first.data["number"] != second.data["number"]

    bad = AppealCreateSerializer(data={"subject": ""})
    good = AppealCreateSerializer(data={"subject": "Яма", "text": "Во дворе", "consent": True})
    assert not bad.is_valid()
    assert "subject" in bad.errors
    assert not good.is_valid()  # no region or topic
    assert set(good.errors) == {"region", "topic"}


@pytest.mark.perf_guard  # the detail reads the appeal with two joins; the rest from memory
def test_an_appeals_detail_reads_the_appeal_once_with_few_joins(api, citizen, deputy):
    appeal = AppealFactory(citizen=citizen, deputy=deputy)
    reads = queries(api, f"/api/v1/appeals/{appeal.number}/").naming('FROM "appeals_appeal"')
    assert len(reads) == 1, reads
    assert reads[0].count(" JOIN ") <= 2, reads[0]  # each joined table is planned anew
    shown = api.get(f"/api/v1/appeals/{appeal.number}/").json()  # region, topic: from memory
    assert (shown["region"], shown["topic"]) == (appeal.region.code, appeal.topic.slug)
