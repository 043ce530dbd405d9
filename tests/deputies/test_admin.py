"""The admin refuses a deputy who could not act on the appeals routed to them."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User
from deputies.models import Body, Deputy
from tests.factories import DeputyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True, email="op@example.org")
    )
    return client


def deputy_form(**overrides):
    body = Body.objects.get(region__code="77", level=Body.Level.REGIONAL)
    data = {
        "full_name": "Орлов Пётр Ильич",
        "region": body.region_id,
        "body": body.pk,
        "district": "",
        "faction": "",
        "bio": "",
        "accepts_appeals": "on",
        "user": UserFactory(role=User.Role.DEPUTY).pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def add(admin_client, data):
    return admin_client.post(reverse("admin:deputies_deputy_add"), data)


def test_the_admin_adds_a_deputy_of_a_body_of_their_region(admin_client):
    response = add(admin_client, deputy_form())

    assert response.status_code == 302
    assert Deputy.objects.filter(full_name="Орлов Пётр Ильич").exists()


def test_the_admin_refuses_a_body_of_another_region(admin_client):
    spb_body = Body.objects.get(region__code="78", level=Body.Level.REGIONAL)

    response = add(admin_client, deputy_form(body=spb_body.pk))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["body"]
    assert "78" in errors["body"][0]
    assert not Deputy.objects.exists()


def test_the_admin_refuses_to_route_appeals_to_a_deputy_without_an_account(admin_client):
    response = add(admin_client, deputy_form(user=None))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["accepts_appeals"]
    assert not Deputy.objects.exists()


def test_the_admin_refuses_to_route_appeals_to_a_deactivated_account(admin_client):
    inactive = UserFactory(role=User.Role.DEPUTY, is_active=False)

    response = add(admin_client, deputy_form(user=inactive.pk))

    assert list(response.context["adminform"].form.errors) == ["accepts_appeals"]


def test_a_deputy_without_an_account_may_be_kept_if_not_accepting_appeals(admin_client):
    response = add(admin_client, deputy_form(user=None, accepts_appeals=None))

    assert response.status_code == 302
    assert Deputy.objects.get().user is None


def test_the_database_refuses_an_accepting_deputy_without_an_account():
    deputy = DeputyFactory(region_code="77")

    with pytest.raises(IntegrityError):
        Deputy.objects.filter(pk=deputy.pk).update(user=None)


def test_the_account_of_a_deputy_is_not_deleted_from_under_them():
    from django.db.models import ProtectedError

    deputy = DeputyFactory(region_code="77")

    with pytest.raises(ProtectedError):
        deputy.user.delete()
