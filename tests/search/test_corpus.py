"""The search corpus (tests/search/corpus.py) on the database of the run: SQLite's FTS5
locally, PostgreSQL's GIN index in the PostgreSQL run (DATABASE_URL set)."""

import pytest
from django.db import connection

from appeals import search
from appeals.models import Appeal
from deputies.access import scope_for
from tests.factories import AppealFactory, DeputyFactory

from .corpus import APPEALS, QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reference_data):  # a number's tail is looked up in every region's numbers
    deputy = DeputyFactory()
    keys = {}
    for key, (subject, text) in APPEALS.items():
        keys[AppealFactory(deputy=deputy, subject=subject, text=text).pk] = key
    search.vocabulary_rebuild()  # the seeder's bulk path leaves it to this
    return deputy, keys


def found(deputy, query):
    scope = scope_for(deputy.user)
    return list(search.search(Appeal.objects.visible_to(scope), query, scope=scope))


def test_every_query_finds_its_appeals_first(corpus):
    deputy, keys = corpus
    wrong = {}
    for query, expected in QUERIES.items():
        ranked = [keys[a.pk] for a in found(deputy, query)]
        top = set(ranked[: len(expected)])
        if top != expected:
            wrong[query] = {"missing": expected - set(ranked), "ranked": ranked}
    assert not wrong, f"{connection.vendor}: {wrong}"


def test_a_number_whole_or_its_tail_comes_first(corpus):
    deputy, keys = corpus
    lift = next(pk for pk, key in keys.items() if key == "lift")
    number = Appeal.objects.get(pk=lift).number
    # A tail is the sequence number, its leading zeros dropped or not («000123», «123»).
    for query in (number, f"№ {number}", number[-6:], str(int(number[-6:]))):
        ranked = found(deputy, query)
        assert ranked and ranked[0].pk == lift, query
    assert found(deputy, "77-2026-999999") == []


def test_fragments_mark_the_words_found_by_lemma(corpus):
    deputy, keys = corpus
    rows = found(deputy, "парадная")
    pieces = search.fragments(rows, "парадная", scope=scope_for(deputy.user))
    dirty = next(a for a in rows if keys[a.pk] == "entrance-dirty")
    assert pieces[dirty.pk] == "В <mark>подъезде</mark> нашего дома не убирают с весны."
    spb = next(a for a in rows if keys[a.pk] == "entrance-spb")
    assert "<mark>парадной</mark>" in pieces[spb.pk]


def test_a_fragment_escapes_the_text():
    piece = search.fragment("<script>x</script> в подъезде & дворе", {"подъезд"})
    assert piece == "&lt;script&gt;x&lt;/script&gt; в <mark>подъезде</mark> &amp; дворе"


def test_a_long_text_is_cut_around_the_word():
    text = "слово " * 40 + "подъезд" + " ещё" * 80
    piece = search.fragment(text, {"подъезд"})
    assert piece.startswith("…") and piece.endswith("…")
    assert "<mark>подъезд</mark>" in piece and len(piece) < 260


def test_an_admin_synonym_applies_at_once(corpus):
    from appeals.models import Synonym

    deputy, keys = corpus
    assert found(deputy, "лестница") != []
    assert {keys[a.pk] for a in found(deputy, "подъемник")} == set()
    Synonym.objects.create(word="подъёмник", synonym="лифт")
    assert {keys[a.pk] for a in found(deputy, "подъемник")} == {"lift"}


def test_the_search_column_follows_erasure(corpus):
    from appeals.personal_data import personal_data_erase

    deputy, keys = corpus
    lift = Appeal.objects.get(pk=next(pk for pk, key in keys.items() if key == "lift"))
    personal_data_erase(scope=scope_for(lift.citizen), user=lift.citizen)
    assert found(deputy, "лифт") == []


def test_postgresql_reads_the_gin_index_for_staff(corpus, postgres, federal):
    # Federal staff never read a text: the number and subject's GIN index (its second
    # column; the first is the region, for a committee's search). (A
    # citizen's or a deputy's own appeals are read through their own index, each tested.)
    scope = scope_for(federal)
    queryset = search.search(Appeal.objects.visible_to(scope), "подъезд", scope=scope)
    with postgres.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "appeal_search_region_idx" in plan


def test_postgresql_reads_the_regions_postings_for_a_committee(corpus, postgres, committee):
    # The committee's page: the region's postings of the (region, head vector) index
    # (a bigint, as btree_gin compares) ORed with the unassigned appeals' own index,
    # whose texts are tested one by one; never a word's matches across the country.
    from appeals.selectors import appeal_search_list

    scope = scope_for(committee)
    queryset = search.search(
        appeal_search_list(scope=scope, region_id=scope.region_id), "подъезд", scope=scope
    )
    with postgres.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    # On 40 rows the planner reads the region's btree; at 1 M appeals it chose the
    # region's postings (bench/search_bench.py --explain). What it needs for that: the
    # region a bigint constant (PostgreSQL keeps the first of equal constants) and the
    # texts tested by the function, which no index serves.
    assert f"(region_id = '{scope.region_id}'::bigint)" in plan
    assert "ts_match_vq(search_vector" in plan
