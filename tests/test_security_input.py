"""Issue 17, finding 3: input no page or API call can use is a 400 (or a 413 for a
body over the limit), never a 500: a NUL character, numbers JSON cannot mean, lone
surrogates, a decompression bomb posing as a PNG."""

import io
import struct
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from appeals.models import Appeal
from tests.appeals.helpers import form_data, upload
from tests.helpers import person

pytestmark = pytest.mark.django_db

NUMBER = "{number}"  # the `appeal` fixture's number, filled in by the test


def _client(role, request, cls=Client):
    client = cls(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(person(role, request))
    return client


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/regions/%00/"),
        ("anonymous", "/regions/77/?municipality=%00"),
        ("anonymous", "/regions/?q=%00"),
        ("anonymous", "/ratings/?region=%00&topic=%00"),
        ("citizen", f"/appeals/{NUMBER}%00/"),
        ("citizen", "/appeals/new/?region=%00"),
        ("citizen", "/appeals/?page=%00"),
        ("deputy", "/dashboard/?status=%00&topic=%00"),
        ("committee", "/committee/queue/?municipality=%00&topic=%00"),
        ("committee", "/ratings/?region=%00"),
    ],
)
def test_a_nul_character_in_a_page_address_is_a_400_page(role, url, request, appeal):
    response = _client(role, request).get(url.replace(NUMBER, appeal.number))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/appeals/?region=%00",
        "/api/v1/appeals/?status=%00&ordering=%00",
        "/api/v1/regions/%00/",
        "/api/v1/deputies/?region=%00",
        f"/api/v1/appeals/{NUMBER}%00/",
    ],
)
def test_a_nul_character_in_an_api_address_is_a_400_json_problem(url, citizen, appeal, request):
    response = _client("citizen", request, APIClient).get(url.replace(NUMBER, appeal.number))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "bad_request"


def test_a_nul_character_in_a_posted_form_is_a_400_and_files_nothing(citizen, deputy, request):
    client = _client("citizen", request)
    for field in ("region", "municipality", "subject"):
        response = client.post(reverse("appeals:appeal_create"), form_data(**{field: "7\x007"}))
        assert response.status_code == 400, field
    assert not Appeal.objects.exists()


FILING = '{"region": "77", "topic": "roads", "subject": %s, "text": "Яма", "consent": true%s}'


@pytest.mark.parametrize(
    ("subject", "extra"),
    [
        ('"Яма"', ', "municipality": 1e999'),
        ('"Яма"', ', "municipality": -1e999'),
        ('"Яма"', ', "deputy": NaN'),
        ('"Яма"', ', "deputy": Infinity'),
        ('"Яма"', ', "deputy": -Infinity'),
        ('"Яма"', ', "deputy": 1' + "0" * 5000),
        ('"\\ud800"', ""),
        ('"Яма \\udfff"', ""),
        ('"Яма"', ', "address": "\\ud800"'),
        ('"Яма"', ', "\\ud800": 1'),
    ],
)
def test_numbers_json_cannot_mean_and_lone_surrogates_are_a_400(subject, extra, api, deputy):
    api.raise_request_exception = False
    response = api.post(
        "/api/v1/appeals/", FILING % (subject, extra), content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Appeal.objects.exists()


def test_a_real_emoji_pair_is_still_text(api, deputy):
    response = api.post(
        "/api/v1/appeals/", FILING % ('"Яма \\ud83d\\ude00"', ""), content_type="application/json"
    )
    assert response.status_code == 201
    assert Appeal.objects.get().subject == "Яма \U0001f600"


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("redirect", '{"deputy": 1e999, "reason": "Не мой округ"}'),
        ("extend", '{"days": 1e999, "reason": "Нужен ответ управы"}'),
        ("extend", '{"days": NaN, "reason": "Нужен ответ управы"}'),
        ("answer", '{"text": "\\ud800"}'),
    ],
)
def test_deputy_actions_refuse_bad_numbers_and_text_with_a_400(action, body, appeal, deputy):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(deputy.user)
    response = api.post(
        f"/api/v1/appeals/{appeal.number}/{action}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == "assigned"


def _png_claiming(width, height) -> bytes:
    """A tiny PNG whose header says width × height."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_a_decompression_bomb_is_a_field_error_and_the_form_comes_back(client, citizen, deputy):
    from django.utils.translation import gettext

    client.force_login(citizen)
    bomb = upload("bomb.png", content=_png_claiming(30000, 30000))

    response = client.post(reverse("appeals:appeal_create"), {**form_data(), "attachments": bomb})

    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert errors == [gettext("The image is too large: %(name)s.") % {"name": "bomb.png"}]
    assert 'value="Нет освещения во дворе"' in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_decompression_bomb_in_a_reply_is_refused_too(client, appeal, deputy):
    from django.utils.translation import gettext

    client.force_login(deputy.user)
    bomb = upload("bomb.png", content=_png_claiming(30000, 30000))
    response = client.post(
        reverse("appeals:appeal_reply", args=[appeal.number]),
        {"text": "Ответ с фото", "final": "on", "confirm_final": "on", "attachments": bomb},
    )
    assert response.status_code == 400
    errors = response.context["reply_form"].errors["attachments"]
    assert errors == [gettext("The image is too large: %(name)s.") % {"name": "bomb.png"}]
    assert not appeal.messages.exists()


def test_an_upload_over_the_limit_is_a_413_without_reading_the_body(citizen, request):
    client = _client("citizen", request)
    declared = 60 * 1024 * 1024  # more than 5 files of 10 MB; the body itself is short
    response = client.post(
        reverse("appeals:appeal_create"),
        data=b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(declared),
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")


def test_five_files_of_ten_mb_still_fit_the_limit(settings):
    assert settings.MAX_UPLOAD_REQUEST_SIZE > 5 * 10 * 1024 * 1024


def test_a_json_body_over_the_limit_is_a_413_json_problem(api, settings):
    api.raise_request_exception = False
    response = api.post(
        "/api/v1/appeals/",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Appeal.objects.exists()
