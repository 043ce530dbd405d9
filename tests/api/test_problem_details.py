"""Every error under /api/ is RFC 9457 problem details (core/api/problems.py): each bad
input an integrator can send, in Russian (the default) and in English (Accept-Language),
answered with its status, `application/problem+json` and a body with a stable `code`."""

import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from appeals.models import Appeal, WebhookSubscription
from appeals.throttling import FilingThrottle
from tests.factories import AppealFactory
from tests.helpers import API_FILING, token_for

pytestmark = pytest.mark.django_db

LANGUAGES = {"ru": "ru-RU,ru;q=0.9", "en": "en-GB,en;q=0.8"}
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(params=["ru", "en"])
def language(request):
    return request.param


def _client(language, user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    if user is not None:
        client.force_authenticate(user)
    return client


def _problem(response, status, code, language):
    """The body, once checked to be the problem an integrator is promised."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == language
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "code", "instance", "errors"}
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(f"/api/problems/{code}/")
    assert body["instance"] == response.wsgi_request.path
    assert body["errors"], "every problem lists its errors"
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
    # Every text in the language asked for: no Russian left in English, Russian in Russian.
    words = [body["title"], body["detail"], *(e["detail"] for e in body["errors"])]
    for text in words:
        if language == "ru":
            assert CYRILLIC.search(text), text
        else:
            assert not CYRILLIC.search(text), text
    return body


def test_an_unknown_path_is_404(language):
    response = _client(language).get("/api/v1/nothing-here/")
    body = _problem(response, 404, "not_found", language)
    assert body["errors"] == [{"code": "not_found", "detail": body["detail"], "attr": None}]


def test_a_post_without_the_slash_is_404_naming_the_address_not_a_redirect(api, language):
    api.credentials(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    response = api.post("/api/v1/appeals", API_FILING, format="json")
    body = _problem(response, 404, "not_found", language)
    assert "/api/v1/appeals/" in body["detail"]
    assert not Appeal.objects.exists()
    # A read without the slash is not redirected either; the pages still are.
    assert api.get("/api/v1/regions").status_code == 404
    assert Client().get("/accounts/login").status_code == 301


def test_a_wrong_method_is_405_with_allow(language):
    response = _client(language).delete("/api/v1/regions/")
    _problem(response, 405, "method_not_allowed", language)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_body_over_the_limit_is_413(citizen, settings, language):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**API_FILING, "text": "я" * 1000}
    response = _client(language, citizen).post(reverse("api:appeal-list"), body, format="json")
    _problem(response, 413, "too_large", language)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("format_", ["multipart", "form"])
def test_a_form_body_is_415_the_api_reads_json_only(citizen, format_, language):
    client = _client(language, citizen)
    if format_ == "form":
        response = client.post(
            reverse("api:appeal-list"),
            "region=77&topic=roads&subject=a&text=b&consent=true",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = client.post(reverse("api:appeal-list"), API_FILING, format="multipart")
    body = _problem(response, 415, "unsupported_media_type", language)
    assert body["detail"].endswith("application/json.")
    assert not Appeal.objects.exists()


def test_a_form_body_is_415_also_through_the_session_and_to_the_token_call(citizen, language):
    """A session's CSRF check reads the form; the body must still be judged by its type
    (415), not read as a form with every field missing (400 `required`)."""
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    browser.force_login(citizen)
    browser.get("/")
    csrf = browser.cookies["csrftoken"].value
    filed = browser.post(reverse("api:appeal-list"), API_FILING, HTTP_X_CSRFTOKEN=csrf)
    _problem(filed, 415, "unsupported_media_type", language)
    signed_in = _client(language).post(
        "/api/v1/auth/token/",
        {"email": citizen.email, "password": "x", "name": "n"},
        format="multipart",
    )
    _problem(signed_in, 415, "unsupported_media_type", language)
    assert not Appeal.objects.exists()


def test_too_many_or_too_large_headers_are_431(settings, language):
    many = {f"HTTP_X_FIELD_{n}": "1" for n in range(settings.MAX_REQUEST_HEADERS + 1)}
    response = _client(language).get("/api/v1/regions/", **many)
    _problem(response, 431, "headers_too_large", language)

    large = {"HTTP_X_LARGE": "x" * settings.MAX_REQUEST_HEADER_SIZE}
    response = _client(language).get("/api/v1/regions/", **large)
    _problem(response, 431, "headers_too_large", language)

    below = {"HTTP_X_LARGE": "x" * (settings.MAX_REQUEST_HEADER_SIZE - 100)}
    assert _client(language).get("/api/v1/regions/", **below).status_code == 200


def test_a_page_gets_its_431_as_a_page(settings):
    many = {f"HTTP_X_FIELD_{n}": "1" for n in range(settings.MAX_REQUEST_HEADERS + 1)}
    response = Client().get("/", **many)
    assert response.status_code == 431
    assert response["Content-Type"].startswith("text/html")


def test_a_throttled_call_is_429_wholly_in_the_language_asked(
    citizen, deputy, monkeypatch, language
):
    monkeypatch.setattr(FilingThrottle, "THROTTLE_RATES", {"filing": "1/min"})
    client = _client(language, citizen)
    assert client.post(reverse("api:appeal-list"), API_FILING, format="json").status_code == 201
    response = client.post(reverse("api:appeal-list"), API_FILING, format="json")
    body = _problem(response, 429, "throttled", language)
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert str(wait) in body["detail"]
    expected = {"ru": "Слишком много запросов", "en": "Too many requests"}[language]
    assert body["detail"].startswith(expected)


def test_a_daily_limit_reached_is_429_with_its_own_code(citizen, deputy, settings, language):
    settings.FILING_DAILY_LIMIT = 1
    client = _client(language, citizen)
    assert client.post(reverse("api:appeal-list"), API_FILING, format="json").status_code == 201
    response = client.post(
        reverse("api:appeal-list"), {**API_FILING, "subject": "Вторая"}, format="json"
    )
    _problem(response, 429, "limit_reached", language)
    assert int(response["Retry-After"]) > 0


def test_not_signed_in_is_401_with_www_authenticate(language):
    response = _client(language).get(reverse("api:appeal-list"))
    _problem(response, 401, "not_authenticated", language)
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401_authentication_failed(citizen, language):
    token_for(citizen)  # a real token exists; this key is not it
    client = _client(language)
    client.credentials(
        HTTP_AUTHORIZATION="Token " + "0" * 40, HTTP_ACCEPT_LANGUAGE=LANGUAGES[language]
    )
    _problem(client.get(reverse("api:appeal-list")), 401, "authentication_failed", language)


def test_a_role_not_allowed_is_403(deputy, language):
    response = _client(language, deputy.user).post(
        reverse("api:appeal-list"), API_FILING, format="json"
    )
    _problem(response, 403, "permission_denied", language)
    assert not Appeal.objects.exists()


def test_a_session_write_without_the_csrf_token_is_403_csrf_failed(citizen, language):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=LANGUAGES[language])
    client.force_login(citizen)
    response = client.post(reverse("api:appeal-list"), API_FILING, content_type="application/json")
    body = _problem(response, 403, "csrf_failed", language)
    assert "X-CSRFToken" in body["detail"]
    assert not Appeal.objects.exists()


def test_another_persons_appeal_is_404_as_a_missing_one(appeal, other_citizen, language):
    client = _client(language, other_citizen)
    theirs = client.get(reverse("api:appeal-detail", kwargs={"number": appeal.number}))
    missing = client.get(reverse("api:appeal-detail", kwargs={"number": "00-0000-000000"}))
    assert (
        _problem(theirs, 404, "not_found", language)["detail"]
        == (_problem(missing, 404, "not_found", language)["detail"])
    )


def test_an_illegal_transition_is_409(deputy, citizen, language):
    appeal = AppealFactory(
        deputy=deputy, citizen=citizen, status="closed", answered_at=timezone.now()
    )
    response = _client(language, deputy.user).post(
        reverse("api:appeal-answer", kwargs={"number": appeal.number}),
        {"text": "Ещё", "final": True},
        format="json",
    )
    _problem(response, 409, "conflict", language)


def test_a_reused_idempotency_key_is_409_with_its_own_code(citizen, deputy, language):
    client = _client(language, citizen)
    url = reverse("api:appeal-list")
    assert client.post(url, API_FILING, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code
    response = client.post(
        url, {**API_FILING, "subject": "Другое"}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    _problem(response, 409, "idempotency_reused", language)


def test_invalid_fields_are_400_with_one_error_per_field(citizen, deputy, language):
    response = _client(language, citizen).post(
        reverse("api:appeal-list"),
        {**API_FILING, "region": "00", "subject": "", "consent": "perhaps"},
        format="json",
    )
    body = _problem(response, 400, "validation_error", language)
    by_field = {error["attr"]: error["code"] for error in body["errors"]}
    assert by_field == {"region": "does_not_exist", "subject": "blank", "consent": "invalid"}
    assert not Appeal.objects.exists()


def test_an_unknown_field_is_400_naming_it_and_the_allowed_ones(citizen, deputy, language):
    response = _client(language, citizen).post(
        reverse("api:appeal-list"), {**API_FILING, "status": "closed"}, format="json"
    )
    body = _problem(response, 400, "validation_error", language)
    [error] = body["errors"]
    assert (error["attr"], error["code"]) == ("status", "unknown_field")
    assert "subject" in error["detail"] and "consent" in error["detail"]
    assert not Appeal.objects.exists()


def test_an_unknown_field_is_reported_with_the_other_errors(citizen, deputy, language):
    response = _client(language, citizen).post(
        reverse("api:appeal-list"), {**API_FILING, "subject": "", "colour": 1}, format="json"
    )
    body = _problem(response, 400, "validation_error", language)
    assert {e["attr"] for e in body["errors"]} == {"subject", "colour"}


def test_a_body_that_is_not_json_is_400_parse_error(citizen, language):
    response = _client(language, citizen).post(
        reverse("api:appeal-list"), "{not json", content_type="application/json"
    )
    _problem(response, 400, "parse_error", language)


@pytest.mark.parametrize(
    ("path", "parameter", "allowed"),
    [
        ("/api/v1/deputies/?accepts_appeals=maybe", "accepts_appeals", "true, false"),
        ("/api/v1/deputies/?accepts_appeals=1", "accepts_appeals", "true, false"),
        ("/api/v1/deputies/?body=1.5", "body", "9007199254740992"),
        ("/api/v1/appeals/?deputy=1.5", "deputy", "9007199254740992"),
        ("/api/v1/appeals/?status=lost", "status", "submitted"),
        ("/api/v1/appeals/?registered_after=yesterday", "registered_after", "-MM-"),
    ],
)
def test_a_bad_filter_value_is_400_listing_what_is_allowed(
    citizen, path, parameter, allowed, language
):
    body = _problem(_client(language, citizen).get(path), 400, "validation_error", language)
    [error] = body["errors"]
    assert error["attr"] == parameter
    assert allowed in error["detail"] or allowed.replace("MM", "ММ") in error["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appeals/?registered_before=",
        "/api/v1/appeals/?deputy=",
        "/api/v1/appeals/?status=",
        "/api/v1/appeals/?overdue=",
        "/api/v1/deputies/?accepts_appeals=",
    ],
)
def test_an_empty_value_of_a_typed_filter_is_400(citizen, path, language):
    body = _problem(_client(language, citizen).get(path), 400, "validation_error", language)
    [error] = body["errors"]
    assert (error["attr"], error["code"]) == (path.split("?")[1][:-1], "blank")


def test_empty_text_filters_an_empty_ordering_and_cursor_are_as_if_absent(citizen):
    AppealFactory(citizen=citizen)
    client = _client("en", citizen)
    for path in (
        "/api/v1/appeals/?region=&topic=&ordering=&cursor=",
        "/api/v1/deputies/?name=&region=&ordering=",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
    assert len(client.get("/api/v1/appeals/?region=&cursor=").json()["results"]) == 1


def test_good_filter_values_still_filter(citizen, deputy):
    deputy.accepts_appeals = False
    deputy.save(update_fields=["accepts_appeals"])
    response = APIClient().get("/api/v1/deputies/?accepts_appeals=false")
    assert [d["id"] for d in response.json()["results"]] == [deputy.pk]
    assert APIClient().get("/api/v1/deputies/?accepts_appeals=true").json()["results"] == []


def test_a_bad_ordering_is_400_listing_the_allowed_ones(citizen, language):
    response = _client(language, citizen).get("/api/v1/appeals/?ordering=password,-deadline")
    body = _problem(response, 400, "validation_error", language)
    [error] = body["errors"]
    assert error["attr"] == "ordering"
    assert "password" in error["detail"]
    assert "registered_at, -registered_at, deadline, -deadline" in error["detail"]
    ordered = _client(language, citizen).get("/api/v1/appeals/?ordering=-deadline")
    assert ordered.status_code == 200


LISTS = [
    ("citizen", "/api/v1/appeals/"),
    ("citizen", "/api/v1/regions/"),
    ("citizen", "/api/v1/municipalities/"),
    ("citizen", "/api/v1/bodies/"),
    ("citizen", "/api/v1/deputies/"),
    ("citizen", "/api/v1/topics/"),
    ("citizen", "/api/v1/auth/tokens/"),
    ("committee", "/api/v1/ratings/regions/77/"),
    ("deputy", "/api/v1/ratings/deputies/{deputy}/history/"),
    ("federal", "/api/v1/ratings/regions/"),
    ("committee", "/api/v1/webhooks/"),
    ("committee", "/api/v1/webhooks/{webhook}/deliveries/"),
]


@pytest.mark.parametrize(("role", "path"), LISTS)
def test_every_list_refuses_an_ordering_it_does_not_offer(request, deputy, role, path):
    """Lists with no `ordering` at all refuse it too: ignoring it would look like success."""
    user = request.getfixturevalue(role)
    user = getattr(user, "user", user)  # the deputy fixture is the Deputy
    webhook = WebhookSubscription.objects.create(owner=user, url="https://example.org/h")
    path = path.format(deputy=deputy.pk, webhook=webhook.pk)
    client = APIClient(HTTP_ACCEPT_LANGUAGE=LANGUAGES["en"])
    client.force_authenticate(user)
    assert client.get(path).status_code == 200, path
    body = _problem(client.get(path, {"ordering": "AAA"}), 400, "validation_error", "en")
    [error] = body["errors"]
    assert (error["attr"], error["code"]) == ("ordering", "invalid")
    assert "Cannot order by AAA. Allowed:" in error["detail"]


def test_an_unexpected_error_is_500_without_details(monkeypatch, language):
    def fail(*args, **kwargs):
        raise ValueError("secret internals")

    monkeypatch.setattr("rest_framework.generics.GenericAPIView.paginate_queryset", fail)
    client = APIClient(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language], raise_request_exception=False)
    body = _problem(client.get("/api/v1/regions/"), 500, "server_error", language)
    assert "secret" not in str(body)


def test_the_database_away_is_503_with_retry_after(monkeypatch, language):
    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("rest_framework.generics.GenericAPIView.paginate_queryset", fail)
    client = APIClient(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language], raise_request_exception=False)
    response = client.get("/api/v1/regions/")
    _problem(response, 503, "unavailable", language)
    assert response["Retry-After"] == "5"


def test_the_language_is_russian_unless_english_is_asked_for():
    plain = APIClient().get("/api/v1/nothing-here/")
    assert plain["Content-Language"] == "ru"
    assert "Accept-Language" in plain["Vary"]
    other = APIClient(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").get("/api/v1/nothing-here/")
    assert other["Content-Language"] == "ru"
    second = APIClient(HTTP_ACCEPT_LANGUAGE="de, en;q=0.5").get("/api/v1/nothing-here/")
    assert second["Content-Language"] == "en"


def test_a_problem_type_is_an_address_that_describes_it(language):
    body = _client(language).get("/api/v1/nothing-here/").json()
    described = APIClient(HTTP_ACCEPT_LANGUAGE=LANGUAGES[language]).get(body["type"])
    assert described.status_code == 200
    assert described.json() == {
        "type": body["type"],
        "code": "not_found",
        "status": 404,
        "title": body["title"],
    }
    _problem(_client(language).get("/api/problems/no_such_code/"), 404, "not_found", language)
    refused = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=LANGUAGES[language]).post(
        body["type"]
    )
    _problem(refused, 405, "method_not_allowed", language)
    assert refused["Allow"] == "GET, HEAD"
