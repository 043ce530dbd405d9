"""The topic suggestion in a real browser: a citizen types the appeal's text, the
suggested topic appears beneath it (htmx, debounced), and pressing it chooses that
topic in the form's select."""

import pytest

from appeals import suggestions
from appeals.models import Topic
from appeals.services import topic_model
from tests.factories import CitizenFactory

from .test_appeal_journey import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_suggested_topic_appears_and_chooses_the_topic(
    reference_data, page, live_server, second_factor, monkeypatch
):
    rows = topic_model.kzgov_rows()[::6]  # a slice: fitted in a second or two
    monkeypatch.setattr(topic_model, "kzgov_rows", lambda: rows)
    topic_model.topic_model_train()
    suggestions.active.clear()
    CitizenFactory(email="roof@example.org")
    roof = Topic.objects.get(slug="housing-roof")

    sign_in(page, live_server.url, "roof@example.org", "correct-horse-42", second_factor)
    page.goto(f"{live_server.url}/appeals/new/?region=77")
    assert page.input_value("#id_topic") == ""
    page.fill("#id_subject", "Протекает крыша")
    page.locator("#id_text").press_sequentially(
        "После каждого дождя течёт крыша, заливает потолок", delay=5
    )

    best = page.locator("#topic-suggestion-best")
    best.wait_for()
    assert "Кровля и протечки" in best.inner_text()
    assert "крыша" in page.inner_text("#topic-suggestion")  # the words that suggested it
    best.click()
    assert page.input_value("#id_topic") == str(roof.pk)
    assert best.get_attribute("aria-pressed") == "true"
