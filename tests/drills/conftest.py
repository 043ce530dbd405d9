"""Fault drills: real PostgreSQL, a real Redis of the test's own, and real Celery worker
and beat processes (tests/processes.py)."""

import shutil

import pytest

from tests.processes import PrivateRedis, free_port


@pytest.fixture
def private_redis(postgres):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the fault drills")
    server = PrivateRedis(free_port())
    server.start()
    yield server
    server.stop()
