import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_site_speaks_russian_by_default(client):
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="ru">' in body
    assert "Как это работает" in body
    assert "How it works" not in body


def test_an_english_browser_still_gets_russian_until_it_switches(client):
    body = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Как это работает" in body.content.decode()


def test_the_english_switch_changes_the_page_and_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/regions/"})
    assert response.status_code == 302
    assert response.url == "/regions/"

    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "How it works" in body
    # Reference data follows the language too.
    regions = client.get(reverse("deputies:region_list")).content.decode()
    assert "Republic of Tatarstan" in regions


def test_switching_back_to_russian(client):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("set_language"), {"language": "ru"})
    assert "Как это работает" in client.get(reverse("home")).content.decode()


def test_accessible_mode_enlarges_the_page_and_persists(client):
    assert 'class="a11y"' not in client.get(reverse("home")).content.decode()

    response = client.post(
        reverse("accounts:accessibility"), {"enable": "1", "next": "/regions/77/"}
    )
    assert response.status_code == 302
    assert response.url == "/regions/77/"
    assert response.cookies["a11y"]["max-age"] >= 365 * 24 * 3600

    assert '<body class="a11y">' in client.get(reverse("home")).content.decode()
    assert '<body class="a11y">' in client.get(reverse("deputies:region_list")).content.decode()

    client.post(reverse("accounts:accessibility"), {"enable": "0"})
    assert '<body class="a11y">' not in client.get(reverse("home")).content.decode()


def test_accessible_mode_never_redirects_off_site(client):
    response = client.post(
        reverse("accounts:accessibility"), {"enable": "1", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_accessible_mode_needs_a_post(client):
    assert client.get(reverse("accounts:accessibility")).status_code == 405


def test_every_page_has_a_skip_link_to_the_main_content(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    assert 'href="#main"' in body
    assert 'id="main"' in body


def test_form_fields_are_labelled(client):
    body = client.get(reverse("accounts:signup")).content.decode()
    for field in ("id_full_name", "id_email", "id_phone", "id_password1", "id_password2"):
        assert re.search(rf'<label [^>]*for="{field}"', body)


def test_every_russian_message_is_translated():
    from pathlib import Path

    from django.conf import settings

    po = Path(settings.BASE_DIR / "locale/ru/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]
    missing = [e for e in entries if e.rstrip().endswith('msgstr ""') and "#, fuzzy" not in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not missing, "\n\n".join(missing)
    assert not fuzzy, "\n\n".join(fuzzy)
