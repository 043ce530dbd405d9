"""Front-end libraries are this site's own files: the versions and checksums recorded
by `make vendor`, and no page loads a script or a stylesheet from another host."""

import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"


def test_every_vendored_file_matches_its_recorded_checksum():
    lines = (VENDOR / "SHA256SUMS").read_text().splitlines()
    assert len(lines) >= 4
    for line in lines:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_the_versions_are_recorded_with_the_registrys_integrity():
    recorded = dict(line.split(" ", 1) for line in (VENDOR / "VENDOR.txt").read_text().splitlines())
    assert set(recorded) == {"bootstrap@5.3.8", "htmx.org@2.0.11"}
    assert all(value.startswith("sha512-") for value in recorded.values())


@pytest.mark.django_db
def test_pages_load_scripts_and_styles_from_this_site_only(client):
    page = client.get(reverse("home")).content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert any("vendor/bootstrap/bootstrap.min.css" in s for s in sources)
    assert any("vendor/htmx.org/htmx.min.js" in s for s in sources)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
