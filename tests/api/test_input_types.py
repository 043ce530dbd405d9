"""The API accepts what its schema says and refuses the rest: a value of the wrong JSON
type, an id that is not a whole number, a page out of range, a method it lacks."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from appeals.models import Appeal
from tests.factories import AppealFactory, DeputyFactory
from tests.helpers import API_FILING, error_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [("address", 0), ("subject", 12), ("consent", "true"), ("consent", 1), ("consent", False)],
)
def test_a_filing_with_a_field_of_the_wrong_type_is_refused(api, deputy, field, value):
    response = api.post(reverse("api:appeal-list"), {**API_FILING, field: value}, format="json")
    assert response.status_code == 400
    assert error_fields(response) == {field}
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "body", "field"),
    [
        ("api:appeal-answer", {"text": "Ответ", "final": "false"}, "final"),
        ("api:appeal-answer", {"text": "Ответ", "final": 0}, "final"),
        ("api:appeal-answer", {"text": 5, "final": True}, "text"),
        ("api:appeal-extend", {"days": "5", "reason": "Запрос"}, "days"),
        ("api:appeal-extend", {"days": 5.0, "reason": "Запрос"}, "days"),
        ("api:appeal-redirect", {"deputy": "3", "reason": "Округ"}, "deputy"),
    ],
)
def test_an_action_with_a_field_of_the_wrong_type_is_refused(
    deputy, citizen, url_name, body, field
):
    client = APIClient()
    client.force_authenticate(deputy.user)
    appeal = AppealFactory(deputy=deputy, citizen=citizen, status="in_progress")
    response = client.post(reverse(url_name, kwargs={"number": appeal.number}), body, format="json")
    assert response.status_code == 400
    assert error_fields(response) == {field}
    appeal.refresh_from_db()
    assert appeal.status == "in_progress" and appeal.extended_days == 0


def test_the_committee_assigns_only_by_an_integer_id(committee, citizen):
    appeal = AppealFactory(citizen=citizen, deputy=None)
    target = DeputyFactory(region_code="77")
    client = APIClient()
    client.force_authenticate(committee)
    url = reverse("api:appeal-assign", kwargs={"number": appeal.number})
    assert client.post(url, {"deputy": str(target.pk)}, format="json").status_code == 400
    assert client.post(url, {"deputy": True}, format="json").status_code == 400
    appeal.refresh_from_db()
    assert appeal.deputy is None
    assert client.post(url, {"deputy": target.pk}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("api:appeal-list", {"deputy": "1.5"}),
        ("api:appeal-list", {"municipality": "0"}),
        ("api:appeal-list", {"registered_before": ""}),
        ("api:appeal-list", {"page_size": "0"}),
        ("api:appeal-list", {"page_size": "201"}),
        ("api:appeal-list", {"page_size": "ten"}),
        ("api:appeal-list", {"cursor": "ten"}),
        ("api:region-list", {"page": "0"}),  # page numbers: the short lists only
        ("api:region-list", {"page": "last"}),
    ],
)
def test_a_list_parameter_out_of_its_type_or_range_is_a_400(api, url_name, query):
    response = api.get(reverse(url_name), query)
    assert response.status_code == 400
    assert error_fields(response) == set(query)


def test_page_size_up_to_200_is_served(api):
    response = api.get(reverse("api:appeal-list"), {"page_size": "200"})
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["put", "delete", "patch", "trace"])
def test_a_method_an_endpoint_lacks_is_405_even_where_the_caller_may_not_read_it(api, method):
    response = getattr(api, method)(reverse("api:ratings-regions"))
    assert response.status_code == 405
    assert api.get(reverse("api:ratings-regions")).status_code == 404  # a citizen's answer
