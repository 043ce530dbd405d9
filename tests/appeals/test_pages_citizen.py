"""The citizen's appeals pages: the filing form, their list and an appeal's page, and a
repeat appeal when they disagree with the answer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from tests.factories import AppealFactory, CitizenFactory, DeputyFactory
from tests.helpers import assert_same_count, login, queries

from .helpers import answered_appeal, file_appeal, form_data, pdf_upload, upload

pytestmark = pytest.mark.django_db


def test_filing_walks_region_then_form_then_check_and_ends_on_the_receipt(client, citizen, deputy):
    client.force_login(citizen)
    step1 = client.get(reverse("appeals:appeal_create"))
    assert "regions" in step1.context
    step2 = client.get(reverse("appeals:appeal_create"), {"region": "77"})
    assert step2.context["region"].code == "77"
    typed = {key: value for key, value in form_data().items() if key != "confirm"}

    check = client.post(reverse("appeals:appeal_create"), {**typed, "attachments": [upload()]})

    assert check.status_code == 200
    assert not Appeal.objects.exists()  # nothing is registered before the confirmation
    carried = dict(check.context["carried"])
    response = client.post(
        reverse("appeals:appeal_create"), {**carried, "confirm": "1"}, follow=True
    )
    appeal = Appeal.objects.get()
    receipt = reverse("appeals:appeal_receipt", kwargs={"number": appeal.number})
    assert response.redirect_chain[-1][0] == receipt
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
    assert first.url == second.url  # the same receipt


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
    assert set(errors) == {"consent", "attachments"}  # every problem told at once
    assert "scan.pdf" in str(errors["attachments"])
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


def test_citizen_list_queries_do_not_grow(client, citizen, deputy):
    client.force_login(citizen)
    AppealFactory.create_batch(2, citizen=citizen, deputy=deputy)
    few = queries(client, reverse("appeals:appeal_list"))
    AppealFactory.create_batch(20, citizen=citizen, deputy=DeputyFactory())
    assert_same_count(few, queries(client, reverse("appeals:appeal_list")))


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


REPEAT_BUTTON = "Не согласен с ответом"


def test_the_citizen_disagrees_with_the_answer_and_files_a_prefilled_repeat(
    client, citizen, deputy
):
    from deputies.models import Municipality

    district = Municipality.objects.filter(region__code="77").first()
    appeal = answered_appeal(citizen, deputy, municipality=district)
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
            "confirm": "1",
        },
        follow=True,
    )
    second = Appeal.objects.get(repeat_of=appeal)
    assert response.redirect_chain[-1][0] == reverse(
        "appeals:appeal_receipt", kwargs={"number": second.number}
    )
    assert second.deputy == deputy
    assert appeal.number in response.content.decode()  # the repeat's receipt names the first
    assert appeal.number in client.get(second.get_absolute_url()).content.decode()
    # The first appeal now links to its repeat instead of offering another.
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert REPEAT_BUTTON not in page
    assert second.number in page


def test_no_repeat_button_once_30_days_have_passed(client, citizen, deputy):
    appeal = answered_appeal(citizen, deputy)
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
    appeal = answered_appeal(citizen, deputy)
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
