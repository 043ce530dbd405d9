"""The appeal page: the deputy's reply as two buttons with the final answer confirmed,
the thread as a labelled conversation, the history, the feedback form's radio groups."""

import re

import pytest
from django.urls import reverse

from appeals import services
from appeals.models import Appeal, Message

from .helpers import answered_appeal, as_scope, file_appeal

pytestmark = pytest.mark.django_db


def reply(client, appeal, **data):
    return client.post(reverse("appeals:appeal_reply", args=[appeal.number]), data)


def test_the_reply_offers_an_interim_reply_and_a_final_answer_as_two_buttons(
    client, appeal, deputy
):
    client.force_login(deputy.user)
    body = client.get(appeal.get_absolute_url()).content.decode()
    start = body.index('id="reply-form"')
    form = body[start : body.index("</form>", start)]
    assert re.search(r'<button type="submit" name="final" value="" [^>]*id="send-interim"', form)
    assert re.search(r'<button type="submit" name="final" value="1" [^>]*id="send-final"', form)
    assert "Отправить промежуточный ответ" in form and "Отправить окончательный ответ" in form
    # The confirmation: a dialog for the browser, no checkbox until the final one is asked for.
    assert 'id="final-confirm"' in body and "Да, отправить окончательный ответ" in body
    assert 'name="confirm_final" value="on" id="confirm-final-js" disabled' in form
    assert 'type="checkbox" name="confirm_final"' not in form
    assert "js/appeal-reply.js" in body


def test_an_interim_reply_keeps_the_appeal_in_work(client, appeal, deputy):
    client.force_login(deputy.user)
    response = reply(client, appeal, text="Запросил план ремонта.", final="")
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "in_progress"
    assert Message.objects.get().kind == "interim"


def test_no_final_answer_without_its_confirmation(client, appeal, deputy):
    client.force_login(deputy.user)

    response = reply(client, appeal, text="Дорогу отремонтируют в мае.", final="1")

    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == "assigned" and not Message.objects.exists()
    body = response.content.decode()
    # Without JavaScript the page asks: the confirmation checkbox, the text kept.
    assert 'type="checkbox" name="confirm_final"' in body
    assert "Подтвердите, что это окончательный ответ" in body
    assert "Дорогу отремонтируют в мае." in body


def test_the_final_answer_once_confirmed(client, appeal, deputy):
    client.force_login(deputy.user)
    response = reply(client, appeal, text="Отремонтируют в мае.", final="1", confirm_final="on")
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "answered"
    assert Message.objects.get().kind == "answer"


def test_the_thread_labels_who_wrote_what_and_marks_the_final_answer(client, citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Запросил план.", final=False
    )
    services.appeal_follow_up(
        scope=as_scope(citizen), appeal=appeal, actor=citizen, text="Жду ответа."
    )
    services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Сделают.", final=True
    )

    client.force_login(citizen)
    body = client.get(appeal.get_absolute_url()).content.decode()
    thread = body[body.index('id="thread-title"') : body.index("</ol>", body.index("thread"))]
    items = re.findall(r'<li class="thread-item (from-\w+) kind-(\w+)">', thread)
    assert items == [
        ("from-deputy", "interim"),
        ("from-citizen", "follow_up"),
        ("from-deputy", "answer"),
    ]
    assert thread.count("message-final") == 1
    assert f"Депутат: {deputy.user.full_name}" in thread
    assert "Вы ·" in thread  # the citizen's own message
    client.force_login(deputy.user)
    thread = client.get(appeal.get_absolute_url()).content.decode()
    assert f"Гражданин: {citizen.full_name}" in thread


def test_the_history_is_the_timeline_component_with_reasons_where_allowed(
    client, citizen, deputy, committee
):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    services.appeal_withdraw(
        scope=as_scope(citizen), appeal=appeal, actor=citizen, reason="Болею, не до того"
    )
    client.force_login(citizen)
    page = client.get(appeal.get_absolute_url())
    titles = [item.title for item in page.context["timeline"]]
    assert titles[0] == "Зарегистрировано" and titles[-1] == "Отозвано"
    body = page.content.decode()
    timeline = body[body.index('id="timeline"') :]
    assert '<li class="timeline-item">' in timeline and "Болею, не до того" in timeline
    client.force_login(committee)
    timeline = client.get(appeal.get_absolute_url()).content.decode()
    assert "Отозвано" in timeline and "Болею, не до того" not in timeline


def test_the_feedback_form_is_radio_groups_with_legends(client, citizen, deputy):
    appeal = answered_appeal(citizen, deputy)
    client.force_login(citizen)
    body = client.get(appeal.get_absolute_url()).content.decode()
    form = body[body.index('class="form feedback-form') :]
    assert form.count("<fieldset") == 4
    assert form.count("<legend") == 4
    assert "Решена ли проблема?</legend>" in form
    assert re.search(r'<input type="radio" name="overall" value="5" class="form-check-input"', form)
    assert '<label class="form-check-label" for="id_solved_0">Да</label>' in form

    refused = client.post(reverse("feedback:feedback_leave", args=[appeal.number]), {"overall": 4})
    assert refused.status_code == 400
    assert 'aria-describedby="id_solved_error"' in refused.content.decode()
    assert 'id="id_solved_error"' in refused.content.decode()


def test_the_repeat_appeal_is_offered_right_after_the_final_answer(client, citizen, deputy):
    appeal = answered_appeal(citizen, deputy)
    client.force_login(citizen)
    body = client.get(appeal.get_absolute_url()).content.decode()
    # Between the thread and the rating form.
    assert body.index('id="thread-title"') < body.index('id="repeat-appeal"')
    assert body.index('id="repeat-appeal"') < body.index('id="feedback"')


def test_committee_and_federal_read_the_card_and_history_without_acting(
    client, citizen, deputy, committee, federal
):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    for person in (committee, federal):
        client.force_login(person)
        body = client.get(appeal.get_absolute_url()).content.decode()
        assert 'id="appeal-status"' in body and 'id="timeline"' in body
        assert appeal.text not in body
        assert "<form" not in body[body.index("<main") : body.index("</main>")]
    assert Appeal.objects.get(pk=appeal.pk).status == "assigned"
