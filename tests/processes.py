"""Real processes for the tests that need them: a Redis of the test's own (so it can be
stopped without touching anyone else's), Celery worker and beat on the test database,
and pointing this process's Celery app at a broker for a while."""

import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager

from django.conf import settings as django_settings
from django.db import connection

from tests.helpers import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server on a port of its own, stopped and started by the drill."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.ping, 10, "redis-server to start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def celery(redis_url, *, beat=False, env=None):
    """A worker (with an embedded beat if asked) on the test database and this Redis."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
               "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
               "--without-heartbeat"]  # fmt: skip
    if beat:
        command += ["--beat"]
    process = subprocess.Popen(command, cwd=django_settings.BASE_DIR, env=environment)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def relay_every_second():
    """Beat's outbox relay as a fast schedule (the shipped one ticks every 15 s)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(name="relay", task="ratings.recompute_due", interval=every_second)


@contextmanager
def app_broker(url):
    """This process's Celery app publishes to `url` inside the block."""
    from config.celery import app

    old = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    app._after_fork()  # drop pooled connections to the old broker
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old
        app._after_fork()  # and the ones to this one
