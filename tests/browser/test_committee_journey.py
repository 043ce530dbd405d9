"""A committee analyst opens the region's rating table, sorts it, opens a deputy, and
downloads the XLSX, whose rows match the table."""

import io

import pytest
from openpyxl import load_workbook

from ratings import services
from tests.factories import CommitteeUserFactory
from tests.ratings.test_recompute import NOW, appeal, rate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_committee_reads_sorts_drills_down_and_exports(
    reference_data, page, live_server, second_factor
):
    from tests.factories import DeputyFactory

    for index in range(4):
        deputy = DeputyFactory(region_code="16", full_name=f"Депутат Номер {index}")
        for _ in range(10):
            rate(appeal(deputy, answered_on=index * 5), overall=5 - index, solved="yes", personal=4)
    assert services.ratings_recompute(now=NOW) is not None
    CommitteeUserFactory(region_code="16", email="kazan.committee@example.org")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "kazan.committee@example.org")
    page.fill("#id_password", "correct-horse-42")
    page.click("main button[type=submit]")
    second_factor(page, "kazan.committee@example.org")
    page.wait_for_url("**/ratings/")  # a committee lands on its rating table
    page.wait_for_selector("#rating-table")

    page.click("#rating-table thead >> text=Балл")
    page.wait_for_url("**sort=-score**")
    names = page.locator("#rating-table tbody tr td:nth-child(2)").all_inner_texts()
    assert names == [f"Депутат Номер {i}" for i in range(4)]

    with page.expect_download() as download:
        page.click("#export-xlsx")
    with open(download.value.path(), "rb") as saved:  # saved without an extension
        book = load_workbook(io.BytesIO(saved.read()))
    rows = list(book.active.iter_rows(values_only=True))[1:]
    assert [r[1] for r in rows] == names

    page.click("#rating-table >> text=Депутат Номер 1")
    page.wait_for_selector("#explanation")
    assert "Депутат Номер 1" in page.inner_text("h1")
    assert page.locator("#chart-history svg.chart").count() == 1
