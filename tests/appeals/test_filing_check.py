"""The "check your appeal" step and the receipt: nothing is registered until the citizen
confirms; "edit" returns to the form with everything kept, files too; the form's token
survives the round trip, so a double click on "send" files one appeal."""

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals import staging
from appeals.models import Appeal, Attachment
from tests.factories import CitizenFactory
from tests.helpers import assert_same_count, queries

from .helpers import form_data, pdf_upload, upload

pytestmark = pytest.mark.django_db

NEW = reverse("appeals:appeal_create")


def typed(**overrides):
    """The form as the citizen sends it from the form page: to be checked, not filed."""
    data = form_data(**overrides)
    del data["confirm"]
    return data


def check(client, **overrides):
    files = overrides.pop("attachments", None)
    data = typed(**overrides)
    if files:
        data["attachments"] = files
    response = client.post(NEW, data)
    assert response.status_code == 200
    return response


def carried(response) -> dict:
    """The hidden fields of the check page, as its buttons post them."""
    return dict(response.context["carried"])


def staged_files(settings, citizen):
    folder = settings.MEDIA_ROOT / "staging" / str(citizen.pk)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_check_step_shows_everything_and_registers_nothing(client, citizen, deputy, settings):
    client.force_login(citizen)

    response = check(client, attachments=[upload("yama.png"), pdf_upload("akt.pdf")])

    assert not Appeal.objects.exists()
    assert not Attachment.objects.exists()
    assert response.templates[0].name == "appeals/appeal_check.html"
    page = response.content.decode()
    for shown in (
        "Нет освещения во дворе",  # subject
        "Во дворе дома 7 не горят фонари уже месяц.",  # text
        "ул. Ленина, д. 7",  # address
        "Благоустройство",  # topic
        "yama.png",
        "akt.pdf",
        "ещё не отправлено",
    ):
        assert shown in page, shown
    # To whom, and the deadline the appeal will get: the deputy fixture has no district.
    assert "наименее загруженный депутат региона" in page
    assert "до " in page and "включительно" in page
    assert len(staged_files(settings, citizen)) == 2  # kept aside until confirmed


def test_confirming_files_the_appeal_with_the_kept_files_and_clears_them(
    client, citizen, deputy, settings
):
    client.force_login(citizen)
    shown = check(client, attachments=[upload("yama.png")])

    response = client.post(NEW, {**carried(shown), "confirm": "1"})

    appeal = Appeal.objects.get()
    assert response.url == reverse("appeals:appeal_receipt", kwargs={"number": appeal.number})
    assert [a.original_name for a in appeal.attachments.all()] == ["yama.png"]
    assert appeal.attachments.get().file.read().startswith(b"\x89PNG")
    assert staged_files(settings, citizen) == []


def test_a_double_click_on_send_files_one_appeal(client, citizen, deputy):
    client.force_login(citizen)
    shown = check(client, attachments=[pdf_upload()])
    sent = {**carried(shown), "confirm": "1"}

    first = client.post(NEW, sent)
    second = client.post(NEW, sent)  # the same token: the files were used by the first

    assert Appeal.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert first.url == second.url


def test_the_token_of_the_form_survives_the_round_trip(client, citizen, deputy):
    client.force_login(citizen)
    form = client.get(NEW, {"region": "77"})
    token = form.context["form"]["token"].value()

    shown = check(client, token=token)
    assert carried(shown)["token"] == token
    edited = client.post(NEW, {**carried(shown), "edit": "1"})
    assert edited.context["form"]["token"].value() == token
    again = check(client, token=token)
    client.post(NEW, {**carried(again), "confirm": "1"})

    assert Appeal.objects.get().idempotency_key == token


def test_edit_returns_to_the_form_with_everything_kept(client, citizen, deputy):
    from deputies.models import Municipality

    district = Municipality.objects.filter(region__code="77").first()
    client.force_login(citizen)
    shown = check(client, municipality=district.pk, attachments=[upload("yama.png")])

    response = client.post(NEW, {**carried(shown), "edit": "1"})

    assert response.templates[0].name == "appeals/appeal_form.html"
    form = response.context["form"]
    assert not form.errors
    values = {name: form[name].value() for name in ("subject", "text", "address", "consent")}
    assert values == {
        "subject": "Нет освещения во дворе",
        "text": "Во дворе дома 7 не горят фонари уже месяц.",
        "address": "ул. Ленина, д. 7",
        "consent": True,
    }
    assert str(form["municipality"].value()) == str(district.pk)
    page = response.content.decode()
    assert 'id="staged-files"' in page and "yama.png" in page  # the file is kept, listed
    assert 'value="Нет освещения во дворе"' in page
    assert not Appeal.objects.exists()


def test_a_kept_file_can_be_removed_and_another_added_on_edit(client, citizen, deputy, settings):
    client.force_login(citizen)
    shown = check(client, attachments=[upload("old.png")])
    edited = client.post(NEW, {**carried(shown), "edit": "1"})
    key = edited.context["form"].staged[0].key

    again = client.post(
        NEW, {**carried(shown), "drop": [key], "attachments": [pdf_upload("new.pdf")]}
    )
    assert [f.name for f in again.context["files"]] == ["new.pdf"]
    assert len(staged_files(settings, citizen)) == 1  # the removed one is gone at once
    client.post(NEW, {**carried(again), "confirm": "1"})

    assert [a.original_name for a in Appeal.objects.get().attachments.all()] == ["new.pdf"]


def test_kept_and_new_files_count_together_toward_five(client, citizen, deputy):
    client.force_login(citizen)
    shown = check(client, attachments=[upload(f"{n}.png") for n in range(4)])

    response = client.post(
        NEW, {**carried(shown), "attachments": [pdf_upload("a.pdf"), pdf_upload("b.pdf")]}
    )

    assert "attachments" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_a_list_of_kept_files_from_another_account_or_filing_is_not_read(client, citizen, deputy):
    stranger = CitizenFactory()
    client.force_login(stranger)
    theirs = check(client, attachments=[upload("secret.png")], token="their-token")
    signed = carried(theirs)["staged"]

    client.force_login(citizen)
    mine = check(client, token="their-token", staged=signed)
    assert mine.context["files"] == []
    assert staging.unsign(signed, user=stranger, token="other-filing") == []


def test_kept_files_are_swept_after_a_day(citizen, settings):
    import os
    import time

    from appeals.attachments import validate_uploads

    def keep(name):
        return staging.stage(user=citizen, checked=validate_uploads([upload(name)]))[0]

    old = keep("old.png")
    path = settings.MEDIA_ROOT / "staging" / str(citizen.pk) / old.key
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))

    new = keep("new.png")

    assert not path.exists()
    assert (path.parent / new.key).exists()


def test_the_receipt_shows_number_date_deadline_days_left_deputy_and_text(client, citizen, deputy):
    client.force_login(citizen)
    response = client.post(NEW, {**form_data(), "attachments": [pdf_upload("akt.pdf")]})
    appeal = Appeal.objects.get()

    page = client.get(response.url).content.decode()

    for shown in (
        appeal.number,
        timezone.localtime(appeal.registered_at).strftime("%d.%m.%Y %H:%M"),
        appeal.deadline.strftime("%d.%m.%Y"),
        "осталось 30 дней",
        deputy.full_name,
        "Благоустройство",
        "Во дворе дома 7 не горят фонари уже месяц.",
        "akt.pdf",
        'id="print-receipt"',
        "css/print.css",
    ):
        assert shown in page, shown


@pytest.mark.parametrize("who", ["other_citizen", "deputy", "committee"])
def test_the_receipt_is_the_citizens_alone(client, citizen, deputy, who, request):
    client.force_login(citizen)
    client.post(NEW, form_data())
    receipt = reverse("appeals:appeal_receipt", kwargs={"number": Appeal.objects.get().number})
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert client.get(receipt).status_code == 404


def test_the_blank_form_asks_nothing_of_the_deputies_and_does_not_grow(client, citizen):
    from tests.factories import DeputyFactory

    client.force_login(citizen)
    url = f"{NEW}?region=77"
    DeputyFactory.create_batch(3, region_code="77")
    client.get(url)  # the process reads its reference tables once
    few = queries(client, url)
    DeputyFactory.create_batch(30, region_code="77")
    many = queries(client, url)

    assert_same_count(few, many)
    for table in ('"deputies_deputy"', '"deputies_municipality"', '"appeals_topic"'):
        assert not many.naming(table), table
    page = client.get(url).content.decode()
    assert '<select name="deputy"' not in page and 'type="hidden" name="deputy"' in page


def test_a_form_sent_back_with_errors_keeps_its_good_files(client, citizen, deputy):
    client.force_login(citizen)

    response = client.post(NEW, {**typed(subject=""), "attachments": [upload("yama.png")]})

    form = response.context["form"]
    assert set(form.errors) == {"subject"}
    assert [item.name for item in form.staged] == ["yama.png"]
    assert "yama.png" in response.content.decode()
    data = {key: form[key].value() for key in ("token", "staged")}
    shown = client.post(NEW, {**typed(), **data})  # the subject given; no file chosen again
    client.post(NEW, {**carried(shown), "confirm": "1"})
    assert [a.original_name for a in Appeal.objects.get().attachments.all()] == ["yama.png"]
