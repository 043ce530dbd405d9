"""Appeals filed at the same moment into one region spread over its deputies as the
routing rule says: needs real row locks, so it runs on PostgreSQL."""

import threading
from collections import Counter

import pytest
from django.db import connection

from appeals.models import Appeal
from deputies.models import Deputy
from tests.factories import CitizenFactory, DeputyFactory

from .helpers import file_appeal

pytestmark = pytest.mark.services

THREADS = 8
PER_THREAD = 6
DEPUTIES = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_filing_loses_nothing_and_keeps_the_fair_share(postgres, reference_data):
    deputies = DeputyFactory.create_batch(DEPUTIES, region_code="77")
    citizens = CitizenFactory.create_batch(THREADS)
    start = threading.Barrier(THREADS)
    failures = []

    def worker(citizen):
        try:
            start.wait()
            for n in range(PER_THREAD):
                file_appeal(citizen, idempotency_key=f"{citizen.pk}-{n}")
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    total = THREADS * PER_THREAD
    assert Appeal.objects.count() == total
    per_deputy = Counter(Appeal.objects.values_list("deputy_id", flat=True))
    assert set(per_deputy) == {d.pk for d in deputies}
    assert max(per_deputy.values()) - min(per_deputy.values()) <= 1
    fair = total // DEPUTIES
    assert all(fair <= n <= fair + 1 for n in per_deputy.values())
    # Counters match, and public numbers are a gapless sequence.
    for deputy in Deputy.objects.filter(pk__in=per_deputy):
        assert deputy.open_appeals == per_deputy[deputy.pk]
    numbers = sorted(
        int(n.rsplit("-", 1)[1]) for n in Appeal.objects.values_list("number", flat=True)
    )
    assert numbers == list(range(1, total + 1))
