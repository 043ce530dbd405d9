"""Issue 21's duplicate warning in a real browser: a citizen who filed an appeal files a
near-identical one, is told so on the "check your appeal" step, and still sends it."""

import pytest

from appeals.models import Appeal
from tests.appeals.helpers import file_appeal
from tests.factories import CitizenFactory, DeputyFactory

from .test_appeal_journey import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "Третий месяц течёт крыша над последним этажом, в квартирах мокрые потолки и плесень."


def test_a_citizen_is_warned_of_their_own_near_identical_appeal_and_sends_anyway(
    reference_data, page, live_server, second_factor
):
    DeputyFactory(region_code="16")
    citizen = CitizenFactory(email="roof@example.org", full_name="Гарипов Ильдар Маратович")
    first = file_appeal(citizen, region_code="16", subject="Течёт крыша", text=TEXT)
    base = live_server.url
    sign_in(page, base, "roof@example.org", "correct-horse-42", second_factor)

    page.goto(f"{base}/appeals/new/?region=16")
    page.select_option("#id_topic", index=1)  # the first topic: any will do
    page.fill("#id_subject", "Снова о крыше")
    page.fill("#id_text", "Здравствуйте! " + TEXT.replace("течёт", "протекает"))
    page.check("#id_consent")
    page.click("#check-appeal")

    warning = page.locator("#own-similar")
    warning.wait_for()
    assert first.number in warning.inner_text()
    page.click("#file-appeal")
    page.wait_for_url("**/receipt/")
    assert Appeal.objects.filter(citizen=citizen).count() == 2
