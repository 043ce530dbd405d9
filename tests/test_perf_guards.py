"""Performance guards: each optimisation of private Django/DRF behaviour that stayed
(docs/PERFORMANCE.md) against the upstream behaviour it replaces. Measured with
Django 5.2.19 and djangorestframework 3.18.3; on an upgrade, a failure here means the
shortcut goes, not the behaviour."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework import authentication, exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from appeals import routing
from appeals.models import Appeal
from core.api import serializers as ours
from core.api.authentication import TokenAuthentication
from deputies.models import Deputy
from tests.helpers import API_FILING

pytestmark = [pytest.mark.django_db, pytest.mark.perf_guard]


# --- the hand-written token SELECT (config/api/authentication.py) ---------------------


def _outcome(authenticator, key):
    try:
        user, token = authenticator.authenticate_credentials(key)
    except exceptions.AuthenticationFailed as refused:
        return "refused", str(refused.detail)
    return model_to_dict(user), user.pk, (token.key, token.user_id, token.created), token.user.pk


def test_the_token_lookup_answers_as_drfs_for_valid_unknown_and_inactive(citizen, other_citizen):
    valid = Token.objects.create(user=citizen).key
    inactive = Token.objects.create(user=other_citizen).key
    other_citizen.is_active = False
    other_citizen.save(update_fields=["is_active"])
    for key in (valid, "0" * 40, inactive):
        drf = _outcome(authentication.TokenAuthentication(), key)
        assert _outcome(TokenAuthentication(), key) == drf
    assert _outcome(TokenAuthentication(), valid)[1] == citizen.pk
    assert _outcome(TokenAuthentication(), inactive)[0] == "refused"


# --- the serializers' copied fields (config/api/serializers.py) -----------------------


@pytest.fixture
def drfs_own_fields(monkeypatch):
    """The project's serializers with DRF's own field building: deep copies, and a model
    serializer's fields built from the model for each instance."""

    def use_drfs():
        monkeypatch.setattr(ours.Serializer, "get_fields", serializers.Serializer.get_fields)
        monkeypatch.setattr(
            ours.ModelSerializer, "get_fields", serializers.ModelSerializer.get_fields
        )

    return use_drfs


def _answers(citizen, deputy, number):
    """What the API shows of one appeal and of wrong input, to the citizen and deputy."""
    as_citizen, as_deputy = APIClient(), APIClient()
    as_citizen.force_authenticate(citizen)
    as_deputy.force_authenticate(deputy.user)
    detail = reverse("api:appeal-detail", args=[number])
    return [
        as_citizen.get(detail).json(),
        as_deputy.get(detail).json(),
        as_citizen.get(reverse("api:appeal-list")).json(),
        as_deputy.get(reverse("api:deputy-list")).json(),
        as_citizen.post(
            reverse("api:appeal-list"), {"region": "zz", "text": ""}, format="json"
        ).json(),
        as_deputy.post(reverse("api:appeal-answer", args=[number]), {}, format="json").json(),
    ]


def test_the_api_answers_as_with_drfs_own_serializer_fields(api, citizen, deputy, drfs_own_fields):
    number = api.post(reverse("api:appeal-list"), API_FILING, format="json").json()["number"]
    as_deputy = APIClient()
    as_deputy.force_authenticate(deputy.user)
    replied = as_deputy.post(
        reverse("api:appeal-answer", args=[number]),
        {"text": "Яму засыплют в среду.", "final": False},
        format="json",
    )
    assert replied.status_code == 200

    copied = _answers(citizen, deputy, number)
    drfs_own_fields()
    assert _answers(citizen, deputy, number) == copied
    assert copied[0]["messages"][0]["text"] == "Яму засыплют в среду."


# --- the 201 answer built without reading the appeal back (appeals/selectors.py) ------


def test_the_filing_answer_equals_the_appeal_read_back(api, deputy):
    filed = api.post(reverse("api:appeal-list"), API_FILING, format="json")
    assert filed.status_code == 201
    read = api.get(reverse("api:appeal-detail", args=[filed.json()["number"]]))
    assert filed.json() == read.json()
    assert Appeal.objects.count() == 1


# --- the routing UPDATE's row made a Deputy by Model.from_db (appeals/routing.py) ----


def test_the_routed_deputy_equals_the_row_read_by_the_orm(deputy):
    from django.utils import timezone

    now = timezone.now()
    routed = routing.route(
        now=now, region_id=deputy.region_id, municipality=None, chosen=None
    ).deputy
    assert routed.pk == deputy.pk and not routed._state.adding
    stored = Deputy.objects.get(pk=deputy.pk)
    assert model_to_dict(routed) == model_to_dict(stored)  # deferred fields load on use
    assert (routed.open_appeals, routed.last_assigned_at) == (1, now)
