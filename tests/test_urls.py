"""URL patterns: Django tries them in order, so the busiest requests come first."""

import pytest
from django.urls import resolve

pytestmark = pytest.mark.perf_guard  # the URL order: the busiest API patterns come first


@pytest.mark.parametrize(
    ("path", "view", "most_tried"),
    [
        ("/api/v1/appeals/", "api:appeal-list", 2),  # filing: 43 patterns tried before
        ("/api/v1/appeals/77-2026-000001/", "api:appeal-detail", 3),
        ("/api/v1/appeals/77-2026-000001/answer/", "api:appeal-answer", 8),
    ],
)
def test_the_api_is_found_without_trying_the_pages_first(path, view, most_tried):
    match = resolve(path)
    assert match.view_name == view
    assert len(match.tried) <= most_tried
