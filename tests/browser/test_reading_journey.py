"""Issue 21's journey in a real browser, end to end: a citizen types an appeal, the
suggested topic appears and is chosen with a press, the "check your appeal" step says
they filed a near-identical appeal a week ago (they send it anyway); then their deputy
searches «парадная», as people in St Petersburg say, and finds the appeals that say
«подъезде», the word marked in the fragment."""

import pytest

from appeals import suggestions
from appeals.models import Appeal, Topic
from appeals.services import topic_model
from tests.appeals.helpers import file_appeal
from tests.factories import CitizenFactory, DeputyFactory

from .test_appeal_journey import sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "После каждого дождя течёт крыша, в подъезде мокрые стены и потолок на пятом этаже."


def test_suggested_topic_duplicate_warning_and_the_deputys_search(
    reference_data, page, live_server, second_factor, monkeypatch
):
    rows = topic_model.kzgov_rows()[::6]  # a slice: fitted in a second or two
    monkeypatch.setattr(topic_model, "kzgov_rows", lambda: rows)
    topic_model.topic_model_train()
    suggestions.active.clear()
    deputy = DeputyFactory(region_code="78", full_name="Смирнова Ольга Петровна",
                           user__email="smirnova@example.org")  # fmt: skip
    citizen = CitizenFactory(email="roof@example.org", full_name="Гарипов Ильдар Маратович")
    first = file_appeal(citizen, region_code="78", subject="Течёт крыша", text=TEXT)
    unrelated = file_appeal(CitizenFactory(), region_code="78")  # a pothole, same deputy
    roof = Topic.objects.get(slug="housing-roof")
    base = live_server.url

    sign_in(page, base, "roof@example.org", "correct-horse-42", second_factor)
    page.goto(f"{base}/appeals/new/?region=78")
    assert page.input_value("#id_topic") == ""
    page.fill("#id_subject", "Снова течёт крыша")
    page.locator("#id_text").press_sequentially("Здравствуйте! " + TEXT, delay=2)
    best = page.locator("#topic-suggestion-best")
    best.wait_for()
    assert "Кровля и протечки" in best.inner_text()
    assert "крыша" in page.inner_text("#topic-suggestion")  # the words that suggested it
    best.click()
    assert page.input_value("#id_topic") == str(roof.pk)

    page.check("#id_consent")
    page.click("#check-appeal")
    warning = page.locator("#own-similar")
    warning.wait_for()
    assert first.number in warning.inner_text()
    page.click("#file-appeal")
    page.wait_for_url("**/receipt/")
    second = Appeal.objects.filter(citizen=citizen).exclude(pk=first.pk).get()
    assert second.topic == roof and second.deputy == deputy
    sign_out(page)

    sign_in(page, base, "smirnova@example.org", "correct-horse-42", second_factor)
    page.click("text=Кабинет")
    page.fill("#queue-filters input[name=q]", "парадная")
    with page.expect_navigation():
        page.press("#queue-filters input[name=q]", "Enter")
    queue = page.locator("#queue").inner_text()
    assert first.number in queue and second.number in queue
    assert unrelated.number not in queue
    assert page.locator("#queue .search-fragment mark").first.inner_text() == "подъезде"
