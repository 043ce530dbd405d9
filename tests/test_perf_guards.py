"""Performance guards: each optimisation of private Django/DRF behaviour that stayed
(docs/PERFORMANCE.md) against the upstream behaviour it replaces. Measured with
Django 5.2.19 and djangorestframework 3.18.3; on an upgrade, a failure here means the
shortcut goes, not the behaviour."""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.test import APIClient

from accounts.authentication import TokenAuthentication
from accounts.models import ApiToken
from accounts.tokens import api_token_create, api_token_digest
from appeals import routing
from appeals.models import Appeal
from core.api import serializers as ours
from deputies.models import Deputy
from tests.helpers import API_FILING

pytestmark = [pytest.mark.django_db, pytest.mark.perf_guard]


# --- the hand-written token SELECT (accounts/authentication.py) ---------------------


class OrmTokenAuthentication(TokenAuthentication):
    """The same rules with the lookup the ORM would make: what the SELECT replaces."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.expires <= timezone.now():
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        return token.user, token


def _outcome(authenticator, key):
    try:
        user, token = authenticator.authenticate_credentials(key)
    except exceptions.AuthenticationFailed as refused:
        return "refused", str(refused.detail)
    fields = model_to_dict(token, exclude=["last_used"])  # the call itself may write it
    return model_to_dict(user), user.pk, fields, token.pk, token.user.pk


def test_the_token_lookup_answers_as_the_orms_for_valid_unknown_inactive_and_expired(
    citizen, other_citizen, deputy
):
    valid = api_token_create(user=citizen, name="script")[1]
    inactive = api_token_create(user=other_citizen, name="script")[1]
    other_citizen.is_active = False
    other_citizen.save(update_fields=["is_active"])
    expired_token, expired = api_token_create(user=deputy.user, name="script")
    now = timezone.now()
    ApiToken.objects.filter(pk=expired_token.pk).update(
        created=now - timedelta(days=2), expires=now - timedelta(days=1)
    )
    for key in (valid, "0" * 43, inactive, expired):
        orm = _outcome(OrmTokenAuthentication(), key)
        assert _outcome(TokenAuthentication(), key) == orm
    assert _outcome(TokenAuthentication(), valid)[1] == citizen.pk
    assert _outcome(TokenAuthentication(), inactive)[0] == "refused"
    assert _outcome(TokenAuthentication(), expired)[0] == "refused"


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
