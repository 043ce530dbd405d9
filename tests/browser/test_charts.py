"""Every chart draws in Russian and in English: each mark has a size in the browser (a
coordinate the browser cannot read leaves it empty), and the marks are the numbers of the
chart's table, one for one. One browser session, one sign-in, two loads per page."""

import pytest
from django.conf import settings

from ratings import services
from tests.conftest import Client
from tests.factories import UserFactory
from tests.ratings.test_pages import populate
from tests.ratings.test_recompute import NOW

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Per chart: its marks with their boxes, and its table's cells that carry a number
# drawn, with the number a person reads there (spaces and a decimal comma undone).
READ_CHARTS = """() => [...document.querySelectorAll('section[data-chart]')].map(section => {
  const svg = section.querySelector('svg.chart');
  const box = svg.getBoundingClientRect();
  return {
    id: section.dataset.chart,
    name: svg.getAttribute('aria-labelledby').split(' ')
      .map(id => document.getElementById(id).textContent.trim()).join(' '),
    width: box.width, height: box.height, right: box.right,
    marks: [...svg.querySelectorAll('[data-key]')].map(mark => {
      const b = mark.getBBox();
      return {key: mark.dataset.key, value: mark.dataset.value, w: b.width, h: b.height};
    }),
    cells: [...section.querySelectorAll('td[data-key]')].map(cell => ({
      key: cell.dataset.key, value: cell.dataset.value,
      read: parseFloat(cell.textContent.replace(/\\s/g, '').replace(',', '.')),
    })),
  };
})"""


def signed_in(browser, base, user, *, language, width):
    client = Client()
    client.force_login(user)  # marked past the second factor, as after the code step
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": base,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "url": base, "value": language},
        ]
    )
    return context


def test_every_chart_draws_its_tables_numbers_in_both_languages(
    reference_data, browser, live_server
):
    deputies = populate(2) + populate(1, region_code="16")
    services.ratings_recompute(now=NOW)
    services.ratings_recompute(now=NOW.replace(day=24))
    federal = UserFactory(role="federal", email="charts.federal@example.org")
    base = live_server.url
    pages = {
        f"/ratings/deputies/{deputies[0].pk}/": {"chart-history", "chart-load"},
        "/ratings/topics/?region=77": {"chart-topic-months"},
        "/ratings/regions/": {"chart-regions"},
    }

    for language, width in (("ru", 320), ("en", 1280)):
        context = signed_in(browser, base, federal, language=language, width=width)
        page = context.new_page()
        for path, expected in pages.items():
            page.goto(base + path)
            assert page.evaluate("document.documentElement.lang") == language
            charts = page.evaluate(READ_CHARTS)

            assert {chart["id"] for chart in charts} == expected, path
            for chart in charts:
                where = f"{chart['id']} ({language}, {width} px)"
                assert chart["name"], where
                assert chart["height"] > 50 and chart["right"] <= width, where
                assert chart["marks"], f"{where}: nothing drawn"
                empty = [m for m in chart["marks"] if not (m["w"] > 0 and m["h"] > 0)]
                assert not empty, f"{where}: marks without a size: {empty[:3]}"
                marks = sorted((m["key"], m["value"]) for m in chart["marks"])
                cells = sorted((c["key"], c["value"]) for c in chart["cells"])
                assert marks == cells, where
                assert all(c["read"] == float(c["value"]) for c in chart["cells"]), where
        context.close()
