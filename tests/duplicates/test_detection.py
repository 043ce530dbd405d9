"""Duplicate detection: precision and recall on the planted corpus, addresses, and the
lookup through the database as the pages use it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from appeals import duplicates
from appeals.models import AppealBand, AppealFingerprint
from appeals.services.fingerprints import appeals_fingerprint, appeals_fingerprint_new
from appeals.similar import appeal_similar
from appeals.tasks import fingerprint_new
from tests.appeals.helpers import as_scope, file_appeal
from tests.factories import AppealFactory, CitizenFactory

from .corpus import BASE, evaluate


def test_precision_and_recall_on_the_planted_corpus():
    result = evaluate()
    print(
        f"\nduplicates: {result['appeals']} appeals, {result['true_pairs']} true pairs, "
        f"{result['predicted']} predicted; precision {result['precision']:.3f}, "
        f"recall {result['recall']:.3f}"
    )
    assert result["precision"] >= 0.95, result["false_positives"]
    assert result["recall"] >= 0.9, result["missed"]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("ул. Ленина, д. 5", "16|ленина|5"),
        ("Ленина 5", "16|ленина|5"),
        ("г. Казань, улица Ленина, дом 5, кв. 3", "16|ленина|5"),
        ("ул. 8 Марта, 5", "16|8 марта|5"),
        ("Садовая, 3", "16|садовая|3"),
        ("улица Ленина", ""),  # no house: no address signal
        ("", ""),
    ],
)
def test_addresses_are_compared_house_by_house(address, key):
    assert duplicates.address_key(address, region_code="16") == key


def test_another_house_of_the_same_street_is_not_a_duplicate():
    text = BASE[0][2]
    five = duplicates.fingerprint(text, address="ул. Ленина, д. 5", region_code="16")
    same = duplicates.fingerprint(text, address="Ленина 5", region_code="16")
    seven = duplicates.fingerprint(text, address="ул. Ленина, д. 7", region_code="16")
    assert duplicates.near_identical(five, same)
    assert not duplicates.near_identical(five, seven)


ROOF = "Третий месяц течёт крыша над последним этажом, в квартирах мокрые потолки и плесень."
ROOF_AGAIN = "Здравствуйте! Уже третий месяц течет крыша над последним этажом, в квартирах мокрые потолки и плесень. Спасибо."  # noqa: E501
OTHER = "Во дворе не горят фонари, дети возвращаются из школы в темноте."


@pytest.mark.django_db
def test_the_deputy_sees_other_citizens_similar_appeals_only(deputy, other_deputy, citizen):
    # given: the deputy's appeals, fingerprinted as the beat job does
    mine = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF, address="ул. Ленина, д. 5")
    twin = AppealFactory(deputy=deputy, text=ROOF_AGAIN)
    house = AppealFactory(deputy=deputy, text=OTHER, address="Ленина 5")
    other_house = AppealFactory(deputy=deputy, text=ROOF, address="ул. Ленина, д. 7")
    own_again = AppealFactory(deputy=deputy, citizen=citizen, text=ROOF)
    unrelated = AppealFactory(deputy=deputy, text=OTHER)
    elsewhere = AppealFactory(deputy=other_deputy, text=ROOF)
    assert appeals_fingerprint_new() == 7

    # when
    found = {s.appeal: s for s in appeal_similar(scope=as_scope(deputy), appeal=mine)}

    # then: the twin by its text, the neighbour's other problem by the house
    assert set(found) == {twin, house}
    assert found[twin].same_text and not found[twin].same_address
    assert found[house].same_address and not found[house].same_text
    assert other_house not in found and own_again not in found and unrelated not in found
    assert elsewhere not in found  # another deputy's: not the deputy's to see
    assert [s.appeal for s in appeal_similar(scope=as_scope(other_deputy), appeal=mine)] == [
        elsewhere
    ]
    assert appeal_similar(scope=as_scope(citizen), appeal=mine) == []


@pytest.mark.django_db
def test_filing_fingerprints_after_the_commit_in_the_embedded_default(
    reference_data, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        appeal = file_appeal(CitizenFactory(), text=ROOF, address="ул. Ленина, д. 5")
        assert not AppealFingerprint.objects.exists()  # nothing on the filing's own path
    for callback in callbacks:
        callback()
    fingerprint = AppealFingerprint.objects.get(appeal=appeal)
    assert fingerprint.address_key == "77|ленина|5"
    assert AppealBand.objects.filter(appeal=appeal).count() == duplicates.BANDS


@pytest.mark.django_db
def test_in_production_the_beat_job_fingerprints_new_filings(
    reference_data, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=True):
        appeal = file_appeal(CitizenFactory(), text=ROOF)
    assert not AppealFingerprint.objects.exists()  # the request did nothing for it
    assert fingerprint_new() == 1  # the beat job's task
    assert AppealFingerprint.objects.filter(appeal=appeal).exists()
    assert fingerprint_new() == 0  # idempotent


@pytest.mark.django_db
def test_fingerprinting_again_changes_nothing_and_the_command_fills_gaps(deputy):
    appeals = [AppealFactory(deputy=deputy, text=ROOF) for _ in range(3)]
    appeals_fingerprint(ids=[appeals[0].pk])
    appeals_fingerprint(ids=[appeals[0].pk])
    assert AppealBand.objects.count() == duplicates.BANDS
    call_command("fingerprint_appeals", verbosity=0, stdout=StringIO())
    assert AppealFingerprint.objects.count() == 3
    assert AppealBand.objects.count() == 3 * duplicates.BANDS


@pytest.mark.django_db
def test_erasing_ones_data_erases_the_fingerprints(client, citizen, deputy):
    appeal = AppealFactory(citizen=citizen, deputy=deputy, text=ROOF, address="Ленина 5")
    appeals_fingerprint_new()
    client.force_login(citizen)
    response = client.post(
        reverse("appeals:personal_data_erase"), {"password": "correct-horse-42", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not AppealFingerprint.objects.filter(appeal=appeal).exists()
    assert not AppealBand.objects.filter(appeal=appeal).exists()
