"""Formulaic answers («отписки»): scoring after the answer's commit, the band index, the
command for existing answers, and the rating pages that show them (issue 22)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from appeals.models import Message
from appeals.services.life import appeal_reply
from deputies.access import scope_for
from feedback.formulaic import answer_score
from feedback.models import NEAR_CAP, AnswerBand, AnswerScore
from feedback.tasks import score_new_answers
from tests.factories import AppealFactory, DeputyFactory
from tests.helpers import (
    ROLES,
    assert_same_count,
    captured_queries,
    login,
    queries,
    read_region_tables,
)

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "Уважаемый(ая) {name}! Ваше обращение от {date} рассмотрено. Информация принята к "
    "сведению. Ваше обращение направлено в администрацию района для рассмотрения по "
    "существу. О результатах рассмотрения Вам будет сообщено дополнительно."
)
NAMES = ["Иван Петрович", "Анна Сергеевна", "Олег Ильич", "Нина Васильевна", "Пётр Ильич"]
SPECIFIC = (
    "Уважаемый Сергей Викторович! Лифт в доме 3 по ул. Садовой остановлен из-за износа "
    "канатов. Управляющая компания заменит канаты 18 ноября, пуск лифта назначен на 20 "
    "ноября; до пуска соцслужба приносит продукты жителям 9 этажа."
)
LIFT = {"subject": "Не работает лифт", "address": "ул. Садовая, д. 3",
        "text": "В доме 3 по Садовой лифт стоит с 5 октября, на 9 этаже пожилые люди."}  # fmt: skip


def answered(deputy, text, **appeal):
    """A final answer of the deputy, scored as the task does after the commit."""
    made = AppealFactory(deputy=deputy, status="answered", answered_at=timezone.now(),
                         **{**LIFT, **appeal})  # fmt: skip
    message = Message.objects.create(
        appeal=made, kind=Message.Kind.ANSWER, text=text, created_at=timezone.now()
    )
    return answer_score(message_id=message.pk)


def templated(deputy, n):
    return [
        answered(deputy, TEMPLATE.format(name=NAMES[i % 5], date=f"{i + 1} ноября"))
        for i in range(n)
    ]


@pytest.fixture
def eager_celery(settings):
    """The embedded default (in-process scoring after the commit) even where a broker is
    configured (PostgreSQL runs)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_the_final_answer_is_scored_after_its_commit(
    deputy, django_capture_on_commit_callbacks, eager_celery
):
    appeal = AppealFactory(deputy=deputy, status="in_progress", **LIFT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = appeal_reply(
            scope=scope_for(deputy.user), appeal=appeal, actor=deputy.user, text=SPECIFIC,
            final=True,
        )  # fmt: skip
        assert not AnswerScore.objects.exists()  # not inside the answer's transaction
    assert callbacks
    score = AnswerScore.objects.get(message=message)
    assert (score.deputy, score.region_id, score.formulaic) == (deputy, deputy.region_id, False)
    assert score.names_number and score.overlap > 0.2
    assert AnswerBand.objects.filter(score=score).count() == 32


def test_an_interim_reply_is_not_scored(deputy, django_capture_on_commit_callbacks, eager_celery):
    appeal = AppealFactory(deputy=deputy, status="in_progress", **LIFT)
    with django_capture_on_commit_callbacks(execute=True):
        appeal_reply(scope=scope_for(deputy.user), appeal=appeal, actor=deputy.user,
                     text="Запросил сведения у управляющей компании.", final=False)  # fmt: skip
    assert not AnswerScore.objects.exists()


def test_three_copies_of_one_text_are_a_template_two_are_not(deputy, other_deputy):
    first, second = templated(deputy, 2)
    first.refresh_from_db()
    assert first.near_region == second.near_region == 1
    assert "template" not in first.reasons + second.reasons
    third = answered(other_deputy, TEMPLATE.format(name="Олег Ильич", date="9 ноября"))
    first.refresh_from_db()
    assert third.reasons[0] == first.reasons[0] == "template"
    assert (first.near_region, first.near_deputy, third.near_deputy) == (2, 1, 0)


def test_another_regions_copies_do_not_count(deputy):
    templated(DeputyFactory(region_code="78"), 3)
    assert answered(deputy, TEMPLATE.format(name="Иван Петрович", date="1 ноября")).near_region == 0


def test_short_and_unspecific_answers_are_flagged_and_a_specific_one_is_not(deputy):
    assert answered(deputy, "Информация принята к сведению.").reasons == ["short", "unspecific"]
    vague = answered(
        deputy,
        "Здравствуйте! Мной направлен запрос в уполномоченные органы. После получения "
        "официального ответа Вы будете проинформированы о принятых мерах. Спасибо, что "
        "сообщаете о том, что Вас беспокоит, это помогает нам в работе.",
    )
    assert vague.reasons == ["unspecific"]
    assert answered(deputy, SPECIFIC).formulaic is False


def test_scoring_reads_candidates_through_the_band_index_not_the_region(deputy):
    def cost(text):
        made = AppealFactory(deputy=deputy, status="answered", **LIFT)
        message = Message.objects.create(
            appeal=made, kind="answer", text=text, created_at=timezone.now()
        )
        with captured_queries() as statements:
            answer_score(message_id=message.pk)
        return statements

    few = cost(SPECIFIC)
    for i in range(12):
        answered(deputy, f"Ответ номер {i}: яма у дома {i} на улице Ленина заделана {i} мая.")
    many = cost(
        "Подвал дома 2 по ул. Речной откачан 14 ноября, засор устранён, 16 ноября "
        "проведена дезинсекция; водоканал заменит выпуск 22 ноября."
    )
    assert_same_count(few, many)
    lookup = many.naming('FROM "feedback_answerband"')
    assert len(lookup) == 1 and '"key" IN' in lookup[0], many


def test_with_a_broker_the_beat_job_scores_new_answers_and_the_request_sends_nothing(
    deputy, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    appeal = AppealFactory(deputy=deputy, status="in_progress", **LIFT)
    with django_capture_on_commit_callbacks(execute=True):
        message = appeal_reply(scope=scope_for(deputy.user), appeal=appeal, actor=deputy.user,
                               text=SPECIFIC, final=True)  # fmt: skip
    assert not AnswerScore.objects.exists()

    assert score_new_answers() == 1
    assert AnswerScore.objects.get().message == message
    assert score_new_answers() == 0


def test_the_command_scores_existing_answers_once(deputy):
    appeal = AppealFactory(deputy=deputy, status="answered", **LIFT)
    Message.objects.create(appeal=appeal, kind="answer", text="Рассмотрено.",
                           created_at=timezone.now())  # fmt: skip
    call_command("score_answers", verbosity=0)
    call_command("score_answers", verbosity=0)
    assert AnswerScore.objects.get().reasons == ["short", "unspecific"]


# --- the pages --------------------------------------------------------------

DRILL = {"anonymous": 302, "citizen": 404, "other_citizen": 404, "deputy": 200,
         "other_deputy": 404, "committee": 200, "other_committee": 404, "federal": 200}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_drill_down_shows_the_deputys_formulaic_share_to_whom_it_may(
    client, role, request, deputy
):
    templated(deputy, 3)
    answered(deputy, SPECIFIC)
    login(client, role, request)
    response = client.get(reverse("ratings:deputy_rating", args=[deputy.pk]))
    assert response.status_code == DRILL[role]
    if response.status_code == 200:
        body = response.content.decode()
        assert 'id="formulaic-share">75%' in body
        assert "3 из 4 итоговых ответов" in body
        assert body.count('reason-tag">почти совпадает с другими ответами') == 3
        assert "Ваше обращение от" in body


@pytest.mark.parametrize("role", ROLES)
def test_my_rating_shows_the_deputy_their_own_formulaic_answers(client, role, request, deputy):
    templated(deputy, 3)
    login(client, role, request)
    response = client.get(reverse("ratings:my_rating"))
    body = response.content.decode()
    if role == "deputy":
        assert 'id="formulaic-share">100%' in body
        assert "Чтобы улучшить" in body
    elif role == "other_deputy":  # their own page: none of the deputy's answers
        assert response.status_code == 200
        assert "Ваше обращение от" not in body
        assert "Итоговых ответов пока нет" in body or "ответов ещё не оценены" in body
    else:
        assert response.status_code in (302, 404)


def test_the_drill_down_and_the_table_run_constant_queries_as_answers_grow(
    client, committee, deputy
):
    client.force_login(committee)
    drill = reverse("ratings:deputy_rating", args=[deputy.pk])
    table = reverse("ratings:region_table")
    templated(deputy, 1)
    read_region_tables()
    few = queries(client, drill), queries(client, table)
    templated(deputy, 8)
    templated(DeputyFactory(), 5)
    read_region_tables()
    assert_same_count(few[0], queries(client, drill))
    assert_same_count(few[1], queries(client, table))


def test_a_template_used_often_is_counted_up_to_the_cap(deputy, client, committee):
    first, *_ = templated(deputy, NEAR_CAP + 3)
    first.refresh_from_db()
    assert first.near_region == first.near_deputy == NEAR_CAP
    client.force_login(committee)
    body = client.get(reverse("ratings:deputy_rating", args=[deputy.pk])).content.decode()
    assert f"Почти совпадает с {NEAR_CAP}+ другими ответами" in body
