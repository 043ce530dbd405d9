"""The deputy's pages: the dashboard, acting on an appeal from its page (errors,
supplementary answers, redirects), and a repeat appeal's first thread."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, Message
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory
from tests.helpers import assert_same_count, queries

from .helpers import answered_appeal, file_appeal, pdf_upload

pytestmark = pytest.mark.django_db


def test_bad_action_input_shows_the_page_with_errors(client, appeal, deputy):
    client.force_login(deputy.user)
    response = client.post(
        reverse("appeals:appeal_extend", args=[appeal.number]), {"days": "45", "reason": "Долго"}
    )
    assert response.status_code == 400
    assert "days" in response.context["extend_form"].errors
    assert 'value="Долго"' in response.content.decode() or "Долго" in response.content.decode()


def test_an_illegal_action_is_explained_and_changes_nothing(client, appeal, deputy):
    Appeal.objects.filter(pk=appeal.pk).update(status="closed", answered_at=appeal.registered_at)
    client.force_login(deputy.user)
    response = client.post(
        reverse("appeals:appeal_reply", args=[appeal.number]), {"text": "Ещё ответ"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Message.objects.exists()


def test_deputy_dashboard_queries_do_not_grow(client, deputy):
    from django.core.cache import cache

    client.force_login(deputy.user)
    url = reverse("appeals:dashboard") + "?ordering=-registered&status=all"
    AppealFactory.create_batch(2, deputy=deputy)
    cache.clear()  # the filter form is cached: compare cold pages
    few = queries(client, url)
    AppealFactory.create_batch(20, deputy=deputy, citizen=CitizenFactory())
    cache.clear()
    assert_same_count(few, queries(client, url))


def test_the_cached_dashboard_filter_shows_each_request_its_own_choices(client, deputy):
    client.force_login(deputy.user)
    url = reverse("appeals:dashboard")

    def selected_status(params, language="ru"):
        client.cookies["django_language"] = language
        page = client.get(url, params).content.decode()
        status_select = page[
            page.index('name="status"') : page.index("</select>", page.index('name="status"'))
        ]
        return status_select.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0], page

    assert selected_status({"status": "in_progress"})[0] == "in_progress"
    assert selected_status({"status": "all"})[0] == "all"
    assert selected_status({"status": "in_progress"})[0] == "in_progress"
    assert "Sort by" in selected_status({"status": "all"}, language="en")[1]
    assert "Sort by" not in selected_status({"status": "all"}, language="ru")[1]


def test_the_cached_queue_rows_show_a_change_and_a_new_day_at_once(client, deputy, monkeypatch):
    from django.utils import translation

    today = timezone.localdate()
    appeal = AppealFactory(deputy=deputy, deadline=today)  # the last day is still on time
    client.force_login(deputy.user)
    url = reverse("appeals:dashboard")

    def table():
        page = client.get(url).content.decode()
        return page[page.index('id="queue"') : page.index("</table>")]

    with translation.override("ru"):
        taken = str(Appeal.Status.IN_PROGRESS.label)
    assert taken not in table()
    Appeal.objects.filter(pk=appeal.pk).update(status=Appeal.Status.IN_PROGRESS)
    assert taken in table()
    assert 'class="overdue' not in table()  # tables2 adds "even"/"odd" after it
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))
    assert 'class="overdue' in table()


def test_dashboard_filters_and_counters(client, deputy):
    today = timezone.localdate()
    AppealFactory(deputy=deputy, deadline=today - timedelta(days=1), status="in_progress")
    AppealFactory(deputy=deputy, deadline=today + timedelta(days=3))
    AppealFactory(deputy=deputy, deadline=today + timedelta(days=20))
    # Past its deadline but answered: neither counted nor marked overdue.
    AppealFactory(
        deputy=deputy,
        status="answered",
        answered_at=timezone.now(),
        deadline=today - timedelta(days=2),
    )
    client.force_login(deputy.user)

    response = client.get(reverse("appeals:dashboard"))
    assert response.context["counters"] == {"new": 2, "in_progress": 1, "due_soon": 1, "overdue": 1}
    assert len(response.context["page"].object_list) == 3
    overdue = client.get(reverse("appeals:dashboard"), {"overdue": "on"})
    assert len(overdue.context["page"].object_list) == 1
    everything = client.get(reverse("appeals:dashboard"), {"status": "all"})
    assert len(everything.context["page"].object_list) == 4
    assert everything.content.decode().count('<tr class="overdue"') == 1


def test_the_deputy_adds_a_supplementary_answer_the_citizen_sees_it_labelled(
    client, citizen, deputy
):
    appeal = answered_appeal(citizen, deputy)
    client.force_login(deputy.user)
    page = client.get(appeal.get_absolute_url())
    assert "supplement_form" in page.context
    assert "reply_form" not in page.context

    response = client.post(
        reverse("appeals:appeal_supplement", args=[appeal.number]),
        {"text": "Подрядчик выйдет 28 ноября."},
        follow=True,
    )

    assert "Дополнительный ответ отправлен гражданину." in response.content.decode()
    after = Appeal.objects.get(pk=appeal.pk)
    assert (after.status, after.answered_at) == ("answered", appeal.answered_at)
    client.force_login(citizen)
    body = client.get(appeal.get_absolute_url()).content.decode()
    thread = body[body.index('id="thread-title"') :]
    assert "Дополнительный ответ" in thread
    assert thread.index("Окончательный ответ") < thread.index("Подрядчик выйдет 28 ноября.")


def test_an_empty_supplementary_answer_shows_the_form_again(client, citizen, deputy):
    appeal = answered_appeal(citizen, deputy)
    client.force_login(deputy.user)
    response = client.post(reverse("appeals:appeal_supplement", args=[appeal.number]), {})
    assert response.status_code == 400
    assert "text" in response.context["supplement_form"].errors
    assert not Message.objects.filter(kind="supplementary").exists()


def test_a_redirect_lands_on_the_dashboard_with_the_message(client, appeal, deputy, other_deputy):
    client.force_login(deputy.user)
    response = client.post(
        reverse("appeals:appeal_redirect", args=[appeal.number]),
        {"deputy": other_deputy.pk, "reason": "Вопрос округа коллеги"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("appeals:dashboard"), 302)]
    assert "Обращение перенаправлено." in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.deputy == other_deputy
    client.force_login(other_deputy.user)
    assert client.get(appeal.get_absolute_url()).status_code == 200


def test_the_only_deputy_of_a_region_is_told_why_there_is_no_redirect(client, appeal, deputy):
    client.force_login(deputy.user)
    response = client.get(appeal.get_absolute_url())
    assert "redirect_form" not in response.context
    body = response.content.decode()
    assert "В регионе нет другого депутата, принимающего обращения." in body
    assert reverse("appeals:appeal_redirect", args=[appeal.number]) not in body

    # A deputy who no longer accepts appeals is not someone to redirect to either.
    DeputyFactory(region_code="77", accepts_appeals=False)
    assert "redirect_form" not in client.get(appeal.get_absolute_url()).context
    DeputyFactory(region_code="77")
    assert "redirect_form" in client.get(appeal.get_absolute_url()).context


def test_the_repeats_deputy_sees_the_first_thread_on_the_repeats_page_only(
    client, citizen, deputy, other_deputy
):
    from appeals import services

    from .helpers import as_scope

    appeal = answered_appeal(citizen, deputy)
    services.appeal_follow_up(
        scope=as_scope(citizen), appeal=appeal, actor=citizen, text="Срок не устраивает."
    )
    second, _ = services.appeal_file_repeat(
        citizen=citizen, original=appeal, text="Прошу ускорить ремонт.", consent=True
    )
    other = DeputyFactory(region_code="77")

    # The repeat's deputy reads the first letter and thread on the repeat's page.
    client.force_login(deputy.user)
    page = client.get(second.get_absolute_url()).content.decode()
    first = page[page.index('id="first-appeal"') :]
    assert appeal.text in first
    assert "Яму заделают до 1 декабря." in first
    assert "Срок не устраивает." in first
    assert f'href="{appeal.get_absolute_url()}"' in page  # they answered it: theirs to open

    # Redirected to another deputy: that deputy reads it through the repeat, and only there.
    services.appeal_redirect(
        scope=as_scope(deputy),
        appeal=second,
        actor=deputy.user,
        to_deputy=other_deputy,
        reason="Округ коллеги",
    )
    client.force_login(other_deputy.user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Яму заделают до 1 декабря." in page
    assert f'href="{appeal.get_absolute_url()}"' not in page
    assert client.get(appeal.get_absolute_url()).status_code == 404
    # The first deputy's page no longer links to a repeat that is not theirs (its
    # history still says one was filed).
    client.force_login(deputy.user)
    first_page = client.get(appeal.get_absolute_url()).content.decode()
    assert f'href="{second.get_absolute_url()}"' not in first_page

    # A deputy who holds neither sees neither.
    client.force_login(other.user)
    assert client.get(second.get_absolute_url()).status_code == 404
    assert client.get(appeal.get_absolute_url()).status_code == 404


def test_the_first_appeals_files_open_through_the_repeat_for_its_deputy(
    client, citizen, deputy, other_deputy
):
    from appeals import services

    from .helpers import as_scope

    appeal = file_appeal(citizen, chosen_deputy=deputy, files=[pdf_upload("plan.pdf")])
    services.appeal_reply(
        scope=as_scope(deputy), appeal=appeal, actor=deputy.user, text="Ответ", final=True
    )
    token = appeal.attachments.get().token
    second, _ = services.appeal_file_repeat(
        citizen=citizen, original=Appeal.objects.get(pk=appeal.pk), text="Не согласен",
        consent=True, chosen_deputy=other_deputy,
    )  # fmt: skip

    client.force_login(other_deputy.user)
    page = client.get(second.get_absolute_url()).content.decode()
    through_repeat = reverse("appeals:attachment_download", args=[second.number, token])
    assert through_repeat in page
    assert client.get(through_repeat).status_code == 200
    direct = reverse("appeals:attachment_download", args=[appeal.number, token])
    assert client.get(direct).status_code == 404
    # An ordinary appeal's number does not open another appeal's file.
    unrelated = AppealFactory(deputy=other_deputy)
    wrong = reverse("appeals:attachment_download", args=[unrelated.number, token])
    assert client.get(wrong).status_code == 404
