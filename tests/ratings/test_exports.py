"""The rating exports as a Russian spreadsheet opens them: the CSV splits into columns at
semicolons, numbers with a decimal comma, dates as dd.mm.yyyy, Cyrillic read as UTF-8
(BOM); the XLSX holds numbers as numbers, the 95 % interval as two numeric columns."""

import csv
import io
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ratings import services

from .test_pages import populate
from .test_recompute import NOW

pytestmark = pytest.mark.django_db

RU_NUMBER = re.compile(r"\d+(,\d+)?")


@pytest.fixture
def exported(client, committee):
    populate(3)
    services.ratings_recompute(now=NOW)
    client.force_login(committee)

    def get(fmt, language="ru"):
        client.cookies["django_language"] = language
        response = client.get(reverse("ratings:region_table"), {"format": fmt})
        assert response.status_code == 200
        return response

    return get


def read_csv(response):
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the Cyrillic
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_csv_opens_in_columns_with_decimal_commas_and_russian_dates(exported):
    header, *rows = read_csv(exported("csv"))

    assert header[:3] == ["Место", "Депутат", "Орган"]
    assert "В срок, нижняя граница 95-процентного интервала, %" in header
    assert all(len(row) == len(header) for row in rows)
    on_time = header.index("В срок, %")
    low, high = on_time + 1, on_time + 2
    score = header.index("Балл")
    computed = header.index("Дата расчёта")
    for row in rows:
        for column in (on_time, low, high):
            assert RU_NUMBER.fullmatch(row[column]), row[column]
        lo, mid, hi = (float(row[c].replace(",", ".")) for c in (low, on_time, high))
        assert lo <= mid <= hi
        assert row[computed] == f"{timezone.localdate(NOW):%d.%m.%Y}"
    rated = [row for row in rows if row[score]]
    assert rated and all(re.fullmatch(r"\d+,\d\d", row[score]) for row in rated)
    # No number is written the English way.
    assert not any(re.fullmatch(r"\d+\.\d+", cell) for row in rows for cell in row)


def test_the_csv_keeps_the_russian_format_with_english_headers(exported):
    header, *rows = read_csv(exported("csv", language="en"))

    assert header[:3] == ["Rank", "Deputy", "Body"]
    assert "On time, upper bound of the 95 percent interval, %" in header
    score = header.index("Score")
    assert all(re.fullmatch(r"\d+,\d\d", row[score]) for row in rows if row[score])


def test_the_xlsx_holds_numbers_dates_and_the_interval_as_numbers(exported):
    sheet = load_workbook(io.BytesIO(exported("xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))

    on_time = header.index("В срок, %")
    low = header.index("В срок, нижняя граница 95-процентного интервала, %")
    high = header.index("В срок, верхняя граница 95-процентного интервала, %")
    score = header.index("Балл")
    computed = header.index("Дата расчёта")
    assert rows
    for row in rows:
        for column in (on_time, low, high):
            cell = row[column]
            assert cell.data_type == "n" and isinstance(cell.value, int | float), cell.value
            assert cell.number_format == "0.0"
        assert row[low].value <= row[on_time].value <= row[high].value
        assert row[header.index("Обращения")].number_format == "0"
        assert isinstance(row[computed].value, datetime)
        assert row[computed].value.date() == timezone.localdate(NOW)
        assert row[computed].number_format == "DD.MM.YYYY"
    rated = [row for row in rows if row[score].value is not None]
    assert rated
    assert all(row[score].data_type == "n" and row[score].number_format == "0.00" for row in rated)
