"""The filing form and the finder show the region's places as a tree (issue 21)."""

import re

import pytest
from django.urls import reverse

from deputies.models import Municipality

pytestmark = pytest.mark.django_db

NOVOSIBIRSK = [
    "Дзержинский",
    "Железнодорожный",
    "Заельцовский",
    "Калининский",
    "Кировский",
    "Ленинский",
    "Октябрьский",
    "Первомайский",
    "Советский",
    "Центральный",
]


def groups(html):
    """{optgroup label: [option labels]} of the municipality select."""
    select = re.search(r'<select[^>]*name="municipality".*?</select>', html, re.S).group(0)
    return {
        label: re.findall(r"<option[^>]*>([^<]*)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    }


@pytest.mark.parametrize("url", ["appeals:appeal_create", "appeals:appeal_finder"])
def test_the_places_are_grouped_by_district(client, citizen, url):
    client.force_login(citizen)
    kolomna = Municipality.objects.get(name="муниципальный округ Коломна")

    page = client.get(reverse(url), {"region": "78", "municipality": kolomna.pk})

    tree = groups(page.content.decode())
    assert tree["Санкт-Петербург"] == ["Санкт-Петербург — целиком"]
    assert tree["Адмиралтейский район"][0] == "Адмиралтейский район — целиком"
    assert "муниципальный округ Коломна" in tree["Адмиралтейский район"]
    assert len(tree) == 19
    assert f'<option value="{kolomna.pk}" selected>' in page.content.decode()


def test_a_city_shows_its_districts_under_it(client, citizen):
    client.force_login(citizen)

    tree = groups(client.get(reverse("appeals:appeal_create"), {"region": "54"}).content.decode())

    assert tree == {
        "Новосибирск": ["Новосибирск — целиком"] + [f"{name} район" for name in NOVOSIBIRSK]
    }
