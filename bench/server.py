"""The web server the bench scripts run: gunicorn from this checkout's virtualenv, and
production settings as they stand behind the TLS proxy (which is left out: clients send
`X-Forwarded-Proto: https` instead)."""

import http.client
import os
import secrets
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}


def production_env(**overrides) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def in_process_env(**overrides) -> dict:
    """Production settings for a script that files many times as a few citizens, in-process
    or through its own server: no per-citizen filing limit (it would answer 429), and the
    test client's host allowed."""
    return production_env(
        API_THROTTLE_FILING="1000000/min",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        **overrides,
    )


def gunicorn(port, *, workers, env, options=(), **popen):
    """Start gunicorn on 127.0.0.1:`port` and return once it answers."""
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
         *options],
        cwd=ROOT, env=env, **popen,
    )  # fmt: skip
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/api/v1/topics/", headers=HTTPS)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")
