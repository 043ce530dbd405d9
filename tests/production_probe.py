"""Run under production settings in a subprocess by tests/test_settings.py: signs a user
in over HTTPS and over plain HTTP and prints what the browser would receive, as JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"

import django

django.setup()

from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
from accounts.models import User

User.objects.filter(email="probe@example.org").delete()
User.objects.create_user(email="probe@example.org", password="Probe-password-2026")

secure = Client(HTTP_HOST="izbiratel.example", HTTP_X_FORWARDED_PROTO="https")
login_page = secure.get("/accounts/login/")
signed_in = secure.post(
    "/accounts/login/",
    {"username": "probe@example.org", "password": "Probe-password-2026"},
)
plain = Client(HTTP_HOST="izbiratel.example").get("/accounts/login/")


def cookie(response, name):
    morsel = response.cookies.get(name)
    if morsel is None:
        return None
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}  # fmt: skip


print(
    json.dumps(
        {
            "hsts": login_page.headers.get("Strict-Transport-Security"),
            "nosniff": login_page.headers.get("X-Content-Type-Options"),
            "frame": login_page.headers.get("X-Frame-Options"),
            "referrer": login_page.headers.get("Referrer-Policy"),
            "csrf_cookie": cookie(login_page, "csrftoken"),
            "signed_in": signed_in.status_code,
            "session_cookie": cookie(signed_in, "sessionid"),
            "plain_http": [plain.status_code, plain.headers.get("Location")],
        }
    )
)
