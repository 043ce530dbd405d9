import json

import pytest
from django.urls import reverse

from accounts.models import User
from appeals import services
from appeals.models import Appeal, Attachment
from feedback.models import Feedback
from feedback.services import feedback_leave
from ratings import services as rating_services

from .helpers import as_scope, file_appeal, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(citizen, other_citizen, deputy):
    answered = file_appeal(
        citizen, chosen_deputy=deputy, files=[pdf_upload()], address="ул. Мира, 5"
    )
    services.appeal_reply(
        scope=as_scope(deputy), appeal=answered, actor=deputy.user, text="Ответ", final=True
    )
    feedback_leave(
        scope=as_scope(citizen), appeal=answered, actor=citizen, overall=5, solved="yes",
        speed=5, personal=5, comment="Спасибо, Пётр Иванович",
    )  # fmt: skip
    still_open = file_appeal(citizen, chosen_deputy=deputy, subject="Второй вопрос")
    someone_else = file_appeal(other_citizen, chosen_deputy=deputy, subject="Чужое обращение")
    return answered, still_open, someone_else


def test_a_citizen_downloads_all_and_only_their_data(client, citizen, history):
    client.force_login(citizen)
    response = client.get(reverse("appeals:personal_data_download"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == citizen.email
    subjects = [a["subject"] for a in data["appeals"]]
    assert subjects == ["Яма во дворе", "Второй вопрос"]
    first = data["appeals"][0]
    assert first["feedback"]["comment"] == "Спасибо, Пётр Иванович"
    assert first["attachments"] == ["letter.pdf"]
    assert [m["kind"] for m in first["messages"]] == ["answer"]
    assert "Чужое обращение" not in response.content.decode()


def test_erasure_keeps_the_statistics_and_removes_the_person(client, citizen, deputy, history):
    answered, still_open, someone_else = history
    before = rating_services.ratings_recompute()
    score_before = before.snapshots.get(deputy=deputy).score
    stored = Attachment.objects.get(appeal=answered).file
    client.force_login(citizen)

    wrong = client.post(
        reverse("appeals:personal_data_erase"), {"password": "nope", "confirm": "on"}
    )
    assert wrong.status_code == 200
    assert User.objects.get(pk=citizen.pk).is_active

    client.post(
        reverse("appeals:personal_data_erase"), {"password": "correct-horse-42", "confirm": "on"}
    )

    erased = User.objects.get(pk=citizen.pk)
    assert (erased.full_name, erased.phone, erased.is_active) == ("", "", False)
    assert "citizen@example.org" not in erased.email
    refused = client.post(
        reverse("login"), {"username": "citizen@example.org", "password": "correct-horse-42"}
    )
    assert refused.status_code == 200  # the form again: no such account
    answered.refresh_from_db()
    still_open.refresh_from_db()
    assert (answered.text, answered.address) == ("", "")
    assert (answered.status, answered.region.code, answered.topic.slug) == ("closed", "77", "roads")
    assert still_open.status == "withdrawn"
    assert not Attachment.objects.filter(appeal=answered).exists()
    assert not stored.storage.exists(stored.name)
    assert Feedback.objects.get(appeal=answered).comment == ""
    assert Feedback.objects.get(appeal=answered).overall == 5
    someone_else.refresh_from_db()
    assert someone_else.text  # nobody else's data is touched
    assert Appeal.objects.count() == 3
    after = rating_services.ratings_recompute()
    assert after.snapshots.get(deputy=deputy).score == score_before
