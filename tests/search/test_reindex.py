"""The search column kept right: `manage.py reindex_search` rewrites stale rows, the
filing services write it, and SQLite's FTS5 triggers come back after a table rebuild."""

import pytest
from django.core.management import call_command
from django.db import connection

from appeals import search
from appeals.models import Appeal
from deputies.access import scope_for
from tests.appeals.helpers import file_appeal
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


def found(deputy, words):
    scope = scope_for(deputy.user)
    return [a.pk for a in search.search(Appeal.objects.visible_to(scope), words, scope=scope)]


def test_reindex_rewrites_stale_rows_only(deputy, capsys):
    stale = AppealFactory(deputy=deputy, subject="Колодец", text="Открыт колодец.")
    AppealFactory(deputy=deputy, subject="Лифт", text="Лифт стоит.")
    Appeal.objects.filter(pk=stale.pk).update(search_lemmas="")
    assert found(deputy, "колодца") == []
    call_command("reindex_search", "--batch", "1", verbosity=0)
    assert found(deputy, "колодца") == [stale.pk]
    assert "Rewrote 1 of 2 appeals." in capsys.readouterr().out


def test_a_filed_appeal_is_found_at_once(citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy, text="В подъезде темно.")
    assert appeal.search_lemmas.startswith(appeal.number.replace("-", " "))
    assert found(deputy, "парадная") == [appeal.pk]


def test_sqlite_triggers_come_back_after_a_table_rebuild(deputy):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER appeals_appeal_fts_insert")
    search.sqlite_index_ensure(connection)
    appeal = AppealFactory(deputy=deputy, subject="Колодец", text="Открыт колодец.")
    assert found(deputy, "колодец") == [appeal.pk]
