from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, Message
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory
from tests.helpers import ROLES, assert_same_count, login, queries

from .helpers import file_appeal, pdf_upload, upload

pytestmark = pytest.mark.django_db

# --- filing ---------------------------------------------------------------------

FORM = {
    "region": "77",
    "topic": "",
    "subject": "Нет освещения во дворе",
    "text": "Во дворе дома 7 не горят фонари уже месяц.",
    "address": "ул. Ленина, д. 7",
    "consent": "on",
    "token": "tok-123",
}


def form_data(**overrides):
    from appeals.models import Topic

    data = {**FORM, "topic": Topic.objects.get(slug="landscaping").pk}
    data.update(overrides)
    return data


def test_filing_walks_region_then_form_and_shows_number_and_deadline(client, citizen, deputy):
    client.force_login(citizen)
    step1 = client.get(reverse("appeals:appeal_create"))
    assert "regions" in step1.context
    step2 = client.get(reverse("appeals:appeal_create"), {"region": "77"})
    assert step2.context["region"].code == "77"

    response = client.post(
        reverse("appeals:appeal_create"), {**form_data(), "attachments": [upload()]}, follow=True
    )

    appeal = Appeal.objects.get()
    assert response.redirect_chain[-1][0] == appeal.get_absolute_url()
    body = response.content.decode()
    assert appeal.number in body
    assert appeal.deadline.strftime("%d.%m.%Y") in body
    assert appeal.attachments.count() == 1
    assert appeal.deputy == deputy


def test_a_resubmitted_form_files_one_appeal(client, citizen, deputy):
    client.force_login(citizen)
    first = client.post(reverse("appeals:appeal_create"), form_data())
    second = client.post(reverse("appeals:appeal_create"), form_data())
    assert Appeal.objects.count() == 1
    assert first.url == second.url


def test_filing_through_the_page_is_rate_limited_with_the_api_budget(
    client, citizen, deputy, monkeypatch
):
    from rest_framework.test import APIClient

    from appeals.throttling import FilingThrottle

    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "2/min"})
    api = APIClient()
    api.force_authenticate(citizen)
    body = {"region": "77", "topic": "landscaping", "subject": "Фонари", "text": "Не горят"}
    assert api.post("/api/v1/appeals/", {**body, "consent": True}, format="json").status_code == 201
    client.force_login(citizen)
    assert client.post(reverse("appeals:appeal_create"), form_data()).status_code == 302

    refused = client.post(reverse("appeals:appeal_create"), form_data(token="tok-456"))

    assert refused.status_code == 429
    assert "секунд" in refused.content.decode()  # told, in Russian, how long to wait
    assert 'value="Нет освещения во дворе"' in refused.content.decode()  # nothing typed is lost
    assert Appeal.objects.count() == 2


def test_bad_input_shows_the_form_again_keeping_what_was_typed(client, citizen, deputy):
    client.force_login(citizen)
    exe = upload("scan.pdf", content=b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(
        reverse("appeals:appeal_create"),
        {**form_data(consent=""), "attachments": [exe, pdf_upload()]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"consent"}
    assert not Appeal.objects.exists()
    body = response.content.decode()
    assert "Во дворе дома 7 не горят фонари уже месяц." in body
    assert 'value="Нет освещения во дворе"' in body

    exe = upload("scan.pdf", content=b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(
        reverse("appeals:appeal_create"), {**form_data(), "attachments": [exe, pdf_upload()]}
    )
    assert "scan.pdf" in str(response.context["form"].errors["attachments"])
    assert not Appeal.objects.exists()


def test_an_unconfirmed_citizen_is_asked_to_confirm_first(client):
    client.force_login(CitizenFactory(email_confirmed_at=None))
    response = client.get(reverse("appeals:appeal_create"), {"region": "77"})
    assert "form" not in response.context


@pytest.mark.parametrize("role", ["deputy", "committee", "federal"])
def test_staff_do_not_file_appeals(client, role, request):
    login(client, role, request)
    assert client.get(reverse("appeals:appeal_create")).status_code == 302


# --- who sees what ----------------------------------------------------------------

DETAIL_STATUS = {
    "anonymous": 302,
    "citizen": 200,
    "other_citizen": 404,
    "deputy": 200,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,
    "federal": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_appeal_page_for_every_role(client, role, request, appeal):
    login(client, role, request)
    response = client.get(appeal.get_absolute_url())
    assert response.status_code == DETAIL_STATUS[role]
    if role in ("committee", "federal"):
        # Staff who do not act on it see the appeal's card, not the letter or contacts.
        body = response.content.decode()
        assert appeal.text not in body
        assert appeal.citizen.email not in body


ATTACHMENT_STATUS = {**DETAIL_STATUS, "committee": 404, "federal": 404}


@pytest.mark.parametrize("role", ROLES)
def test_attachment_download_for_every_role(client, role, request, citizen, deputy):
    appeal = file_appeal(citizen, files=[pdf_upload()])
    token = appeal.attachments.get().token
    login(client, role, request)
    response = client.get(reverse("appeals:attachment_download", args=[appeal.number, token]))
    assert response.status_code == ATTACHMENT_STATUS[role]
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"


ACTION_STATUS = {  # an action by someone who may see but not do it is refused, not run
    "anonymous": 302,
    "citizen": 403,
    "other_citizen": 404,
    "deputy": 302,
    "other_deputy": 404,
    "committee": 403,
    "other_committee": 404,
    "federal": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_answering_for_every_role(client, role, request, appeal):
    login(client, role, request)
    response = client.post(
        reverse("appeals:appeal_reply", args=[appeal.number]), {"text": "Ответ", "final": "on"}
    )
    assert response.status_code == ACTION_STATUS[role]
    appeal.refresh_from_db()
    assert (appeal.status == "answered") == (role == "deputy")


WITHDRAW_STATUS = {**ACTION_STATUS, "citizen": 302, "deputy": 403}


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_for_every_role(client, role, request, appeal):
    login(client, role, request)
    response = client.post(reverse("appeals:appeal_withdraw", args=[appeal.number]))
    assert response.status_code == WITHDRAW_STATUS[role]
    appeal.refresh_from_db()
    assert (appeal.status == "withdrawn") == (role == "citizen")


ASSIGN_STATUS = {**ACTION_STATUS, "committee": 302, "deputy": 403}


@pytest.mark.parametrize("role", ROLES)
def test_assigning_for_every_role(client, role, request, appeal):
    target = DeputyFactory(region_code="77")
    # A committee reassigns only an unassigned or overdue appeal.
    Appeal.objects.filter(pk=appeal.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    login(client, role, request)
    response = client.post(
        reverse("appeals:appeal_assign", args=[appeal.number]), {"deputy": target.pk}
    )
    assert response.status_code == ASSIGN_STATUS[role]
    appeal.refresh_from_db()
    assert (appeal.deputy == target) == (role == "committee")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("appeals:dashboard", "deputy"),
        ("appeals:committee_queue", "committee"),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_role_pages_answer_only_their_role(client, role, request, url, allowed):
    login(client, role, request)
    status = client.get(reverse(url)).status_code
    expected = 302 if role == "anonymous" else (200 if role.endswith(allowed) else 404)
    assert status == expected


@pytest.mark.parametrize("role", ROLES)
def test_my_appeals_lists_only_what_the_role_may_see(client, role, request, appeal):
    login(client, role, request)
    response = client.get(reverse("appeals:appeal_list"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    listed = list(response.context["page"].object_list)
    assert (listed == [appeal]) == (DETAIL_STATUS[role] == 200)


# --- actions from the page --------------------------------------------------------


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


# --- constant queries -------------------------------------------------------------


def test_citizen_list_queries_do_not_grow(client, citizen, deputy):
    client.force_login(citizen)
    AppealFactory.create_batch(2, citizen=citizen, deputy=deputy)
    few = queries(client, reverse("appeals:appeal_list"))
    AppealFactory.create_batch(20, citizen=citizen, deputy=DeputyFactory())
    assert_same_count(few, queries(client, reverse("appeals:appeal_list")))


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
    from datetime import timedelta

    from django.utils import timezone, translation

    from appeals.models import Appeal

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
    assert 'class="overdue"' not in table()
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + timedelta(days=1))
    assert 'class="overdue"' in table()


def test_committee_queue_queries_do_not_grow(client, committee):
    client.force_login(committee)
    AppealFactory.create_batch(2, deputy=None)
    few = queries(client, reverse("appeals:committee_queue"))
    AppealFactory.create_batch(20, deputy=None)
    assert_same_count(few, queries(client, reverse("appeals:committee_queue")))


def test_appeal_page_queries_do_not_grow_with_the_thread(client, citizen, deputy):
    from appeals import services

    from .helpers import as_scope

    appeal = file_appeal(citizen)
    client.force_login(citizen)
    services.appeal_reply(
        scope=as_scope(deputy),
        appeal=appeal,
        actor=deputy.user,
        text="1",
        final=False,
        files=[upload()],
    )
    client.get(appeal.get_absolute_url())  # the process reads its reference tables once
    few = queries(client, appeal.get_absolute_url())
    for n in range(8):
        services.appeal_follow_up(
            scope=as_scope(citizen), appeal=appeal, actor=citizen, text=str(n), files=[pdf_upload()]
        )
    assert_same_count(few, queries(client, appeal.get_absolute_url()))


def test_dashboard_filters_and_counters(client, deputy):
    from datetime import timedelta

    from django.utils import timezone

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
    assert everything.content.decode().count('<tr class="overdue">') == 1


def test_staff_views_of_a_citizens_contacts_are_logged(client, citizen, committee, deputy):
    from rest_framework.test import APIClient

    from appeals.models import ContactAccessLog

    queued = AppealFactory(deputy=None, citizen=citizen)
    assigned = AppealFactory(deputy=deputy, citizen=citizen)
    client.force_login(committee)

    page = client.get(queued.get_absolute_url()).content.decode()
    assert citizen.email in page
    assert citizen.email not in client.get(assigned.get_absolute_url()).content.decode()
    api = APIClient()
    api.force_authenticate(committee)
    assert api.get(f"/api/v1/appeals/{queued.number}/").json()["citizen"]["email"] == citizen.email

    log = sorted(ContactAccessLog.objects.values_list("user_id", "appeal_id", "via"))
    assert log == [(committee.pk, queued.pk, "api"), (committee.pk, queued.pk, "page")]

    # The deputy who answers sees the contacts as part of the work: not logged.
    client.force_login(deputy.user)
    assert citizen.email in client.get(assigned.get_absolute_url()).content.decode()
    assert ContactAccessLog.objects.count() == 2


@pytest.mark.perf_guard  # region, topic and body come from the per-process reference tables
def test_appeal_page_takes_region_and_topic_from_memory_and_shows_a_rename_at_once(
    client, citizen, deputy
):
    """The appeal is read with its own rows only: PostgreSQL planned the page's
    eight-table join for longer than it took to run it."""
    appeal = AppealFactory(citizen=citizen, deputy=deputy)
    client.force_login(citizen)
    client.get(appeal.get_absolute_url())

    sql = queries(client, appeal.get_absolute_url())
    for table in ('"deputies_region"', '"appeals_topic"', '"deputies_body"'):
        assert f"FROM {table}" not in sql and f"JOIN {table}" not in sql, table

    region = appeal.region
    region.name = "Москва (переименована)"
    region.save()  # in the admin
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Москва (переименована)" in page
    assert appeal.topic.name in page


# --- supplementary answers, repeat appeals, redirects ------------------------------


def _answered(citizen, deputy, **kwargs):
    from appeals import services

    from .helpers import as_scope

    appeal = file_appeal(citizen, chosen_deputy=deputy, **kwargs)
    services.appeal_reply(
        scope=as_scope(deputy),
        appeal=appeal,
        actor=deputy.user,
        text="Яму заделают до 1 декабря.",
        final=True,
    )
    return Appeal.objects.get(pk=appeal.pk)


def test_the_deputy_adds_a_supplementary_answer_the_citizen_sees_it_labelled(
    client, citizen, deputy
):
    appeal = _answered(citizen, deputy)
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
    appeal = _answered(citizen, deputy)
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


REPEAT_BUTTON = "Не согласен с ответом"


def test_the_citizen_disagrees_with_the_answer_and_files_a_prefilled_repeat(
    client, citizen, deputy
):
    from deputies.models import Municipality

    district = Municipality.objects.filter(region__code="77").first()
    appeal = _answered(citizen, deputy, municipality=district)
    client.force_login(citizen)
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert REPEAT_BUTTON in page
    link = f"{reverse('appeals:appeal_create')}?repeat_of={appeal.number}"
    assert link in page

    form = client.get(link)

    assert form.status_code == 200
    initial = {name: form.context["form"][name].value() for name in form.context["form"].fields}
    assert initial["subject"] == f"Повторное обращение к № {appeal.number}"
    assert (initial["topic"], initial["municipality"]) == (appeal.topic_id, district.pk)
    assert initial["repeat_of"] == appeal.number
    response = client.post(
        reverse("appeals:appeal_create"),
        {
            "repeat_of": appeal.number,
            "municipality": district.pk,
            "topic": appeal.topic_id,
            "subject": initial["subject"],
            "text": "Яму не заделали, прошу проверить ещё раз.",
            "consent": "on",
            "token": "repeat-1",
        },
        follow=True,
    )
    second = Appeal.objects.get(repeat_of=appeal)
    assert response.redirect_chain[-1][0] == second.get_absolute_url()
    assert second.deputy == deputy
    assert appeal.number in response.content.decode()  # the repeat's page names the first
    # The first appeal now links to its repeat instead of offering another.
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert REPEAT_BUTTON not in page
    assert second.number in page


def test_no_repeat_button_once_30_days_have_passed(client, citizen, deputy):
    from datetime import timedelta

    from django.utils import timezone

    appeal = _answered(citizen, deputy)
    client.force_login(citizen)
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=timezone.now() - timedelta(days=31))
    assert REPEAT_BUTTON not in client.get(appeal.get_absolute_url()).content.decode()
    late = client.get(reverse("appeals:appeal_create"), {"repeat_of": appeal.number}, follow=True)
    assert late.redirect_chain[-1][0] == appeal.get_absolute_url()
    assert 'id="appeal-form"' not in late.content.decode()
    assert "30 дней" in late.content.decode()
    # Nor before the answer, nor for the deputy.
    open_ = file_appeal(citizen)
    assert REPEAT_BUTTON not in client.get(open_.get_absolute_url()).content.decode()
    Appeal.objects.filter(pk=appeal.pk).update(answered_at=timezone.now())
    client.force_login(deputy.user)
    assert REPEAT_BUTTON not in client.get(appeal.get_absolute_url()).content.decode()


def test_a_stranger_cannot_start_a_repeat_of_someone_elses_appeal(
    client, citizen, other_citizen, deputy
):
    appeal = _answered(citizen, deputy)
    client.force_login(other_citizen)
    response = client.get(reverse("appeals:appeal_create"), {"repeat_of": appeal.number})
    assert response.status_code == 404
    posted = client.post(
        reverse("appeals:appeal_create"),
        {"repeat_of": appeal.number, "topic": appeal.topic_id, "subject": "Повтор",
         "text": "Не согласен", "consent": "on", "token": "t-1"},
    )  # fmt: skip
    assert posted.status_code == 404
    assert Appeal.objects.count() == 1


def test_the_repeats_deputy_sees_the_first_thread_on_the_repeats_page_only(
    client, citizen, deputy, other_deputy
):
    from appeals import services

    from .helpers import as_scope

    appeal = _answered(citizen, deputy)
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
