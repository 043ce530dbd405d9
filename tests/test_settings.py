import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7#k2!Qp9vLr4@Zs8&Wm1^Tn6*Yb3%Hc5$Jd0(Fg)Ae-Ui+Oo=Pl~Kj|Mn?Bv",
    "ALLOWED_HOSTS": "izbiratel.example",
    "DATABASE_URL": "sqlite:////tmp/izbiratel-check.sqlite3",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_sends_hsts_secure_cookies_and_redirects_plain_http(tmp_path):
    import json

    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "tests" / "production_probe.py")],
        cwd=settings.BASE_DIR,
        env={**os.environ, **PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path}/probe.db",
             "ALLOWED_HOSTS": "izbiratel.example", "REDIS_URL": ""},
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["nosniff"] == "nosniff"
    assert seen["frame"] == "DENY"
    assert seen["referrer"] == "same-origin"
    assert seen["signed_in"] == 302
    assert seen["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["csrf_cookie"]["secure"] is True
    assert seen["plain_http"] == [301, "https://izbiratel.example/accounts/login/"]


def test_production_refuses_to_start_without_a_real_secret_key():
    result = manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = manage("check", DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_pages_carry_a_content_security_policy_without_inline_code(client, db):
    from django.urls import reverse

    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    for url in (reverse("home"), reverse("accounts:signup"), reverse("deputies:region_list")):
        body = client.get(url).content.decode()
        assert "<script>" not in body
        assert 'style="' not in body


def test_a_gunicorn_worker_hides_its_start_up_objects_from_the_garbage_collector():
    import gc

    from config import gunicorn

    try:
        gunicorn.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
