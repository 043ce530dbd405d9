"""The rating formula is validated where the operator edits it and in the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from ratings.models import RatingFormula
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        UserFactory(role=User.Role.ADMIN, is_staff=True, is_superuser=True, email="op@example.org")
    )
    return client


def next_version():
    current = RatingFormula.objects.order_by("-version").first()
    return current.version + 1 if current else 1


def formula(**overrides):
    return {
        "version": next_version(),
        "window_days": 365,
        "weight_speed": "0.6",
        "weight_quality": "0.4",
        "prior_speed": 10,
        "prior_quality": 10,
        "min_sample": 10,
        "note": "",
        "effective_from": "2099-01-01",
        **overrides,
    }


def add(admin_client, data):
    before = RatingFormula.objects.count()
    response = admin_client.post(reverse("admin:ratings_ratingformula_add"), data)
    return response, RatingFormula.objects.count() - before


def test_the_admin_saves_weights_that_add_up_to_one(admin_client):
    response, added = add(admin_client, formula(weight_speed="0.3", weight_quality="0.7"))

    assert response.status_code == 302
    assert added == 1


def test_the_admin_refuses_weights_that_do_not_add_up_to_one(admin_client):
    response, added = add(admin_client, formula(weight_speed="0.7", weight_quality="0.7"))

    assert response.status_code == 200  # the form again, with the reason
    assert added == 0
    form = response.context["adminform"].form
    assert any("1" in error for error in form.non_field_errors())
    assert form.data["weight_speed"] == "0.7"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_speed", "1.2"),
        ("weight_quality", "-0.2"),
        ("prior_speed", 0),
        ("prior_quality", 0),
        ("window_days", 0),
        ("min_sample", 0),
    ],
)
def test_the_admin_refuses_each_parameter_out_of_its_range(admin_client, field, value):
    response, added = add(admin_client, formula(**{field: value}))

    assert response.status_code == 200
    assert added == 0
    assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "values",
    [
        {"weight_speed": Decimal("0.7"), "weight_quality": Decimal("0.7")},
        {"weight_speed": Decimal("0.2"), "weight_quality": Decimal("0.2")},
        {"prior_speed": 0},
        {"min_sample": 0},
    ],
)
def test_the_database_refuses_an_invalid_formula(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingFormula.objects.create(version=next_version(), **values)


def test_the_database_accepts_weights_whose_float_sum_is_not_exactly_one():
    RatingFormula.objects.create(
        version=next_version(), weight_speed=Decimal("0.3"), weight_quality=Decimal("0.7")
    )
