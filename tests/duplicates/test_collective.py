"""Collective appeals: joining, leaving, one answer to every member, the pages for
every role, and the rating counting each member."""

import pytest
from django.urls import reverse

from appeals.models import Appeal, AppealEvent, CollectiveAppeal, Message
from appeals.services import collective as collective_services
from appeals.services.fingerprints import appeals_fingerprint_new
from ratings.models import RatingSnapshot
from ratings.services import ratings_recompute
from tests.appeals.helpers import as_scope
from tests.factories import AppealFactory, CitizenFactory
from tests.helpers import ROLES, login, person, queries

pytestmark = pytest.mark.django_db

ROOF = "Третий месяц течёт крыша над последним этажом, в квартирах мокрые потолки и плесень."


def _cluster(deputy, n=3, **kwargs):
    appeals = [AppealFactory(deputy=deputy, text=ROOF, **kwargs) for _ in range(n)]
    appeals_fingerprint_new()
    return appeals


def test_the_deputy_joins_similar_appeals_and_each_member_records_it(deputy):
    first, second, third = _cluster(deputy)
    outcome = collective_services.collective_join(
        scope=as_scope(deputy),
        actor=deputy.user,
        appeal=first,
        numbers=[second.number, third.number, "77-2026-999999"],
    )
    assert {a.pk for a in outcome.done} == {first.pk, second.pk, third.pk}
    assert outcome.skipped == [("77-2026-999999", "не найдено")]
    collective = CollectiveAppeal.objects.get()
    assert collective.deputy == deputy
    assert set(collective.appeals.all()) == {first, second, third}
    assert AppealEvent.objects.filter(type=AppealEvent.Type.COLLECTIVE_JOIN).count() == 3


def test_another_deputys_appeal_is_not_joined(deputy, other_deputy):
    mine = _cluster(deputy, n=1)[0]
    theirs = AppealFactory(deputy=other_deputy, text=ROOF)
    outcome = collective_services.collective_join(
        scope=as_scope(deputy), actor=deputy.user, appeal=mine, numbers=[theirs.number]
    )
    assert outcome.skipped == [(theirs.number, "не найдено")]  # never "not yours"
    assert Appeal.objects.get(pk=theirs.pk).collective_id is None


def test_the_committee_joins_appeals_of_one_deputy_only(deputy, other_deputy, committee):
    first, second = _cluster(deputy, n=2)
    elsewhere = AppealFactory(deputy=other_deputy, text=ROOF)
    outcome = collective_services.collective_join(
        scope=as_scope(committee),
        actor=committee,
        appeal=first,
        numbers=[second.number, elsewhere.number],
    )
    assert {a.pk for a in outcome.done} == {first.pk, second.pk}
    assert outcome.skipped == [(elsewhere.number, "оно у другого депутата")]


def test_one_answer_reaches_every_open_member_and_the_rating_counts_each(
    deputy, django_capture_on_commit_callbacks
):
    first, second, third = _cluster(deputy)
    collective_services.collective_join(
        scope=as_scope(deputy),
        actor=deputy.user,
        appeal=first,
        numbers=[second.number, third.number],
    )
    Appeal.objects.filter(pk=third.pk).update(status=Appeal.Status.WITHDRAWN)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = collective_services.collective_answer(
            scope=as_scope(deputy),
            actor=deputy.user,
            appeal=first,
            text="Кровлю отремонтируют до 15 декабря.",
        )

    assert {a.pk for a in outcome.done} == {first.pk, second.pk}
    assert [number for number, _why in outcome.skipped] == [third.number]
    for appeal in (first, second):
        appeal.refresh_from_db()
        assert appeal.status == Appeal.Status.ANSWERED
        assert Message.objects.filter(appeal=appeal, kind=Message.Kind.ANSWER).count() == 1
        assert appeal.citizen.notifications.filter(kind="answered").exists()
    assert not Message.objects.filter(appeal=third).exists()
    ratings_recompute()
    snapshot = RatingSnapshot.objects.filter(deputy=deputy).latest("pk")
    assert snapshot.matured_count == 2  # each answered member on its own
    assert snapshot.on_time_count == 2


def test_the_collective_answer_is_no_template_on_its_members(
    deputy, settings, django_capture_on_commit_callbacks
):
    from feedback.models import AnswerScore

    settings.CELERY_TASK_ALWAYS_EAGER = True  # scored in-process after the commit
    first, *others = _cluster(deputy, n=4)
    collective_services.collective_join(
        scope=as_scope(deputy), actor=deputy.user, appeal=first,
        numbers=[a.number for a in others],
    )  # fmt: skip
    text = (
        "Кровлю дома 5 по улице Ленина отремонтирует управляющая компания до 15 декабря: "
        "подрядчик заменит покрытие над последним этажом, потолки в квартирах высушат."
    )
    with django_capture_on_commit_callbacks(execute=True):
        collective_services.collective_answer(
            scope=as_scope(deputy), actor=deputy.user, appeal=first, text=text
        )
    scores = AnswerScore.objects.all()
    assert scores.count() == 4
    assert not any("template" in s.reasons for s in scores), [s.reasons for s in scores]


def test_a_member_leaves_and_is_answered_on_its_own(deputy):
    first, second = _cluster(deputy, n=2)
    collective_services.collective_join(
        scope=as_scope(deputy), actor=deputy.user, appeal=first, numbers=[second.number]
    )
    collective_services.collective_leave(scope=as_scope(deputy), actor=deputy.user, appeal=second)
    assert Appeal.objects.get(pk=second.pk).collective_id is None
    assert AppealEvent.objects.filter(appeal=second, type="collective_leave").exists()


JOIN_STATUS = {
    "anonymous": 302,  # to the sign-in page
    "citizen": 403,
    "other_citizen": 404,
    "deputy": 302,
    "other_deputy": 404,
    "committee": 302,
    "other_committee": 404,
    "federal": 403,  # federal staff read, they do not join
}


@pytest.mark.parametrize("role", ROLES)
def test_joining_from_the_page_for_every_role(client, role, request, deputy, citizen):
    first = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF)
    second = AppealFactory(deputy=deputy, text=ROOF)
    appeals_fingerprint_new()
    login(client, role, request)
    url = reverse("appeals:collective_join", args=[first.number])
    response = client.post(url, {"appeals": [second.number]})
    assert response.status_code == JOIN_STATUS[role]
    joined = Appeal.objects.get(pk=second.pk).collective_id is not None
    assert joined == (role in ("deputy", "committee"))


ANSWER_STATUS = JOIN_STATUS | {"committee": 403}  # the deputy answers
LEAVE_STATUS = JOIN_STATUS


@pytest.mark.parametrize("role", ROLES)
def test_answering_and_leaving_from_the_page_for_every_role(client, role, request, deputy, citizen):
    first = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF)
    second = AppealFactory(deputy=deputy, text=ROOF)
    appeals_fingerprint_new()
    collective_services.collective_join(
        scope=as_scope(deputy), actor=deputy.user, appeal=first, numbers=[second.number]
    )
    login(client, role, request)
    leave = reverse("appeals:collective_leave", args=[first.number])
    assert client.post(leave).status_code == LEAVE_STATUS[role]
    left = Appeal.objects.get(pk=first.pk).collective_id is None
    assert left == (role in ("deputy", "committee"))
    answer = reverse("appeals:collective_answer", args=[second.number])
    response = client.post(answer, {"text": "Отремонтируем."})
    # the second appeal is another citizen's: the first's citizen gets 404 there
    expected = 404 if role == "citizen" else ANSWER_STATUS[role]
    assert response.status_code == expected
    answered = Appeal.objects.get(pk=second.pk).status == Appeal.Status.ANSWERED
    assert answered == (role == "deputy")


def test_the_deputy_sees_n_similar_appeals_and_the_members(client, deputy):
    first, second, third = _cluster(deputy)
    client.force_login(deputy.user)
    body = client.get(first.get_absolute_url()).content.decode()
    assert "2 похожих обращения" in body
    assert second.number in body and third.number in body
    client.post(
        reverse("appeals:collective_join", args=[first.number]),
        {"appeals": [second.number, third.number]},
    )
    body = client.get(second.get_absolute_url()).content.decode()
    assert "Коллективное обращение" in body
    assert 'id="collective-answer"' in body


def test_the_citizen_sees_no_similar_block(client, citizen, deputy):
    first = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF)
    AppealFactory(deputy=deputy, text=ROOF)
    appeals_fingerprint_new()
    client.force_login(citizen)
    assert 'id="similar"' not in client.get(first.get_absolute_url()).content.decode()


def test_the_similar_block_costs_the_same_for_more_similar_appeals(client, deputy):
    first = _cluster(deputy, n=3)[0]
    client.force_login(deputy.user)
    client.get(first.get_absolute_url())  # the per-process reference tables are read once
    few = queries(client, first.get_absolute_url())
    for _ in range(9):
        AppealFactory(deputy=deputy, text=ROOF, citizen=CitizenFactory())
    appeals_fingerprint_new()
    many = queries(client, first.get_absolute_url())
    assert len(many) == len(few), f"{few}\n\n{many}"


API_SIMILAR = {
    "citizen": None,
    "deputy": 1,
    "committee": 1,
    "federal": 1,
}


@pytest.mark.parametrize("role", ROLES)
def test_the_api_tells_the_similar_count_for_every_role(role, request, deputy, citizen):
    from rest_framework.test import APIClient

    first = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF)
    AppealFactory(deputy=deputy, text=ROOF)
    appeals_fingerprint_new()
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(person(role, request))
    response = client.get(f"/api/v1/appeals/{first.number}/")
    if role not in API_SIMILAR:
        assert response.status_code in (401, 404)
        return
    assert response.status_code == 200
    assert response.json()["similar_count"] == API_SIMILAR[role]
    assert response.json()["collective"] is None


API_JOIN_STATUS = {
    "anonymous": 401,
    "citizen": 403,
    "other_citizen": 404,
    "deputy": 200,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,
    "federal": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_joining_through_the_api_for_every_role(role, request, deputy, citizen):
    from rest_framework.test import APIClient

    first = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF)
    second = AppealFactory(deputy=deputy, text=ROOF)
    client = APIClient()
    if role != "anonymous":
        client.force_authenticate(person(role, request))
    response = client.post(
        f"/api/v1/appeals/{first.number}/collective/",
        {"appeals": [second.number, "77-2026-999999"]},
        format="json",
    )
    assert response.status_code == API_JOIN_STATUS[role], response.content
    if response.status_code == 200:
        body = response.json()
        assert sorted(body["joined"]) == sorted([first.number, second.number])
        assert [s["number"] for s in body["skipped"]] == ["77-2026-999999"]
        assert Appeal.objects.get(pk=second.pk).collective_id == body["collective"]


def test_the_api_refuses_a_bad_list(deputy):
    from rest_framework.test import APIClient

    first = AppealFactory(deputy=deputy, text=ROOF)
    client = APIClient()
    client.force_authenticate(deputy.user)
    url = f"/api/v1/appeals/{first.number}/collective/"
    assert client.post(url, {"appeals": "77-2026-000001"}, format="json").status_code == 400
    assert client.post(url, {"appeals": []}, format="json").status_code == 400
    assert client.post(url, {"appeals": [1]}, format="json").status_code == 400
