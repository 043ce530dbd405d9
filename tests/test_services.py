"""The PostgreSQL pass of CI must really run on PostgreSQL with Redis."""

import pytest
from django.db import connection

pytestmark = pytest.mark.services


def test_the_database_is_postgresql_with_its_constraints(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'appeal_status_valid'")
        assert cursor.fetchone()[0] == 1


def test_redis_answers_and_celery_uses_it(redis_client, settings):
    assert redis_client.ping()
    assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
