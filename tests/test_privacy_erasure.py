"""Security finding 6 of issue 17: erasure leaves nothing that names the person, in any
model, and signs them out everywhere."""

import pytest
from django.urls import reverse

from appeals import services

from .appeals.helpers import as_scope, file_appeal

pytestmark = pytest.mark.django_db


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

    from accounts.tokens import api_token_create
    from feedback.services import feedback_leave
    from tests.conftest import Client  # staff sign in verified, as after the code step
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
    api_token_create(user=zoya, name="Зоя Персонова, ул. Тайная, 13")
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

    from accounts.models import ApiToken
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
    assert not ApiToken.objects.filter(user=zoya).exists()
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
