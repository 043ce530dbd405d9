"""The web server the bench scripts run: gunicorn from this checkout's virtualenv, and
production settings as they stand behind the TLS proxy (which is left out: clients send
`X-Forwarded-Proto: https` instead)."""

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import tempfile
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
        # The benches' few thousand accounts each file dozens of appeals in minutes, far
        # past a person's day: the daily caps (tested in tests/appeals/test_filing_caps.py)
        # would answer 429.
        "FILING_DAILY_LIMIT": "1000000",
        "FILING_DEPUTY_DAILY_LIMIT": "1000000",
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(port, *, workers, env, options=(), **popen):
    """Start gunicorn on 127.0.0.1:`port` and return once it answers. The port must be
    free: on a shared machine another bench's server would answer the readiness check."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"port {port} is in use: choose another (--port)") from None
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


NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    log_format timing '$msec $request_time $upstream_response_time $status';
    access_log {access_log};
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""


@contextlib.contextmanager
def proxy(port: int, upstream: int, access_log: str | None = None):
    """nginx on 127.0.0.1:`port` in front of gunicorn on `upstream`, as the TLS proxy of
    the production shape stands (without TLS). gunicorn's sync workers expect such a
    buffering proxy: it hands a worker a request only once the whole request is in, so
    a client that opens a connection and writes later does not hold a worker. With
    `access_log`, each request's end (epoch s), time in nginx and time upstream (s)."""
    work = Path(tempfile.mkdtemp(prefix="izb-nginx-"))
    log = f"{access_log} timing" if access_log else "off"
    config = NGINX_CONF.format(work=work, port=port, upstream=upstream, access_log=log)
    (work / "nginx.conf").write_text(config)
    server = subprocess.Popen(
        ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log"),
         "-g", "daemon off;"],
    )  # fmt: skip
    try:
        for _ in range(50):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.1)
        else:
            raise SystemExit(f"nginx did not start: {(work / 'error.log').read_text()}")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
