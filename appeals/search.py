"""Search over appeals by number and words (issue 21), one module for all of it: the
document written with each appeal, the query's parsing, matching and ranking, and the
highlighted fragments of a page's rows.

PostgreSQL: a stored `search_vector` (to_tsvector('simple') of the lemmas, number and
subject weighted A) and `search_head` (number and subject) under a GIN index with the
region (appeals 0010, 0013), ranked by ts_rank; misspelt
words read as the nearest lemmas of the vocabulary (SearchWord, pg_trgm). SQLite: an
FTS5 table over the same lemmas, kept in step by triggers, ranked by bm25; near
spellings by difflib over FTS5's own vocabulary.

The queryset comes from the access gate (`Appeal.objects.visible_to(scope)` or a
deputy's own appeals): this module narrows and orders it, it never decides who may
see what."""

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.text import WORD, lemma, lemmas
from deputies import access

# At most this many words of a query count: a pasted paragraph is not a search.
MAX_WORDS = 8
MAX_QUERY = 200
# A whole public number, e.g. 77-2026-000123, and a number's tail (3+ digits).
WHOLE_NUMBER = re.compile(r"^\d{2}-\d{4}-\d{6}$")
NUMBER_TAIL = re.compile(r"^№?\s*(\d[\d-]{2,13})$")
# Near spellings: only of words the dictionary does not know, at least this long.
FUZZY_MIN_LENGTH = 4
FUZZY_SIMILARITY = 0.35  # pg_trgm similarity; «подьезд» and «подъезд» score 0.4
FUZZY_LIMIT = 3


def document(number="", subject="", text="", address="") -> str:
    """The appeal's search column: the lemmas of its number and subject, then " | ", then
    those of its text and address, a hyphenated word («санкт-петербург») split into its
    parts as the indexes split it. The first part alone is searched for those who may
    see the appeal but not read its text (deputies.access.appeal_text_filter)."""
    head = " ".join(lemmas(f"{number} {subject}")).replace("-", " ")
    body = " ".join(lemmas(f"{text} {address}")).replace("-", " ")
    return f"{head} | {body}"


def _phrase(text: str) -> tuple[str, ...]:
    """A word or phrase as the tuple of its lemmas' parts, as `document` writes them."""
    return tuple(" ".join(lemmas(text)).replace("-", " ").split())


@dataclass
class Query:
    """A parsed search: the number it may be, and its terms, each a set of alternative
    phrases (the word's lemma, its synonyms, its near spellings), all terms AND-ed."""

    text: str
    number: str = ""  # a whole number or its tail, matched on the number column
    number_whole: bool = False
    terms: list[list[tuple[str, ...]]] = field(default_factory=list)

    @property
    def marks(self) -> set[str]:
        """The lemmas whose words a fragment marks."""
        return {part for term in self.terms for phrase in term for part in phrase}

    def __bool__(self):
        return bool(self.number or self.terms)


def parse(text: str) -> Query:
    """The query's number and terms. Synonyms are read from the table on each search,
    so an admin's edit applies at once (one small query)."""
    text = (text or "").strip()[:MAX_QUERY]
    query = Query(text=text)
    if not text:
        return query
    tail = NUMBER_TAIL.match(text)
    if tail:
        query.number = tail.group(1).strip("-")
        query.number_whole = bool(WHOLE_NUMBER.match(query.number))
    words = [w.replace("ё", "е") for w in WORD.findall(text.lower())][:MAX_WORDS]
    if not words:
        return query
    synonyms = _synonyms()
    phrases = [_phrase(w) for w in words]
    i = 0
    while i < len(phrases):
        # The longest run of the query's words that is a synonym's phrase («управляющая
        # компания») is one term; otherwise the word alone.
        for size in range(min(4, len(phrases) - i), 0, -1):
            run = tuple(part for p in phrases[i : i + size] for part in p)
            if size == 1 or run in synonyms:
                break
        term = [run]
        if size == 1 and len(run) == 1:
            # The word's other readings («ямы»: «яма» as well as «ям»), and near
            # spellings of a word the dictionary does not know, with their synonyms.
            term += [(form,) for form in _readings(words[i])]
            term += [(w,) for w in _near_spellings(words[i], run[0])]
        term += [synonym for phrase in list(term) for synonym in synonyms.get(phrase, ())]
        query.terms.append(list(dict.fromkeys(term)))
        i += size
    return query


def _synonyms() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    from .models import Synonym

    pairs: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for word, synonym in Synonym.objects.values_list("word", "synonym"):
        a, b = _phrase(word), _phrase(synonym)
        if a and b and a != b:
            pairs.setdefault(a, []).append(b)
            pairs.setdefault(b, []).append(a)
    return pairs


@lru_cache(maxsize=10_000)
def _readings(word: str) -> tuple[str, ...]:
    """Every dictionary form the word may be of: the stored lemma is pymorphy's first
    guess, which for «ямы» is «ям»; a query tries them all (the document, never)."""
    from core.text import _morph

    if not re.search("[а-я]", word) or "-" in word:
        return ()
    return tuple(
        dict.fromkeys(
            p.normal_form.replace("ё", "е") for p in _morph().parse(word) if p.score >= 0.05
        )
    )


def _near_spellings(word: str, lemma_: str) -> list[str]:
    """Indexed lemmas near a word the dictionary does not know («подьезд» → «подъезд»).
    A known word or a number is taken as written: most queries cost nothing here."""
    from core.text import _morph

    if len(word) < FUZZY_MIN_LENGTH or not re.search("[а-я]", word):
        return []
    if _morph().word_is_known(word):
        return []
    if connection.vendor == "postgresql":
        # Words of the same first two letters and about the same length, through the
        # word's btree (LIKE 'по%'), then pg_trgm's similarity: the trigram index was
        # not chosen by the planner and a scan of 20,000 words took 60 ms.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM appeals_searchword WHERE word LIKE %s "
                "AND length(word) BETWEEN %s AND %s AND word <> %s "
                "AND similarity(word, %s) >= %s ORDER BY similarity(word, %s) DESC LIMIT %s",
                [
                    lemma_[:2] + "%",
                    len(lemma_) - 2,
                    len(lemma_) + 2,
                    lemma_,
                    lemma_,
                    FUZZY_SIMILARITY,
                    lemma_,
                    FUZZY_LIMIT,
                ],
            )
            return [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        # Words of the same first two letters, as on PostgreSQL.
        cursor.execute(
            "SELECT term FROM appeals_appeal_fts_vocab WHERE term >= %s AND term < %s",
            [lemma_[:2], lemma_[:1] + chr(ord(lemma_[1]) + 1)],
        )
        vocabulary = [row[0] for row in cursor.fetchall() if row[0] != lemma_]
    return difflib.get_close_matches(lemma_, vocabulary, n=FUZZY_LIMIT, cutoff=0.8)


# --- matching and ranking ----------------------------------------------------------


def _tsquery(query: Query) -> str:
    # Every part is letters and digits (core.text.WORD), so nothing needs quoting.
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(phrase) + ")" for phrase in term) + ")"
        for term in query.terms
    )


def _fts_query(query: Query) -> str:
    return " AND ".join(
        "("
        + " OR ".join("(" + " AND ".join(f'"{p}"' for p in phrase) + ")" for phrase in term)
        + ")"
        for term in query.terms
    )


# The SQL is this module's text; the query's words are parameters. On PostgreSQL the
# vector is stored (appeals 0010: a generated column, number and subject weighted A,
# text and address B): computing it per row costs 65 µs, a deputy's 2,000 rows 130 ms.
PG_MATCH = {
    "all": "appeals_appeal.search_vector @@ to_tsquery('simple'::regconfig, %s)",
    # Number and subject alone, their own small vector under the (region, head) GIN
    # index: a word of the texts («администрация», in four appeals of ten) is not read
    # for those who may not read the texts.
    "head": "appeals_appeal.search_head @@ to_tsquery('simple'::regconfig, %s)",
}
# The same test as a function, which no index serves: a citizen's or a deputy's own
# appeals (a few thousand at most, through their own index) are read and tested one by
# one, 5 ms for 500; the GIN index would read a common word's matches across the
# country first (16 ms for 14,000 at a quarter of a million appeals, growing with them).
PG_MATCH_OWN = "ts_match_vq(appeals_appeal.search_vector, to_tsquery('simple'::regconfig, %s))"
PG_RANK = {
    "all": "ts_rank(appeals_appeal.search_vector, to_tsquery('simple'::regconfig, %s))::float8",
    "head": "ts_rank(appeals_appeal.search_head, to_tsquery('simple'::regconfig, %s))::float8",
}
FTS_MATCH = (
    "appeals_appeal.id IN (SELECT rowid FROM appeals_appeal_fts WHERE appeals_appeal_fts MATCH %s)"
)
# bm25 is lower for a better match: negated, both databases rank high first.
FTS_RANK = (
    "-(SELECT bm25(appeals_appeal_fts) FROM appeals_appeal_fts "
    "WHERE appeals_appeal_fts MATCH %s AND rowid = appeals_appeal.id)"
)


def _words_match(query: Query, part: str, *, own: bool = False):
    """A (condition, rank) pair of SQL for the query's terms on this database, over the
    whole document or its first part (number and subject); `own`: the scope's appeals
    are its own few (a citizen's, a deputy's), read one by one."""
    if connection.vendor == "postgresql":
        q = _tsquery(query)
        match, rank = (PG_MATCH_OWN if own else PG_MATCH[part]), PG_RANK[part]
    else:
        q = _fts_query(query)
        q = f"head : ({q})" if part == "head" else q
        match, rank = FTS_MATCH, FTS_RANK
    # The SQL is this module's constants; the query's words are a parameter.
    return (
        RawSQL(match, [q], output_field=BooleanField()),  # noqa: S611  # nosec B611
        RawSQL(rank, [q], output_field=FloatField()),  # noqa: S611  # nosec B611
    )


# A tail finds the appeals of this many years, the current one included.
NUMBER_YEARS = 5


def _number_match(query: Query) -> Q:
    """The whole number; or a tail read as the sequence number, with or without its
    year («019122», «19122», «2026-019122»): the numbers it may be, in every region and
    recent year, found through the number's unique index (a LIKE '%019122' read a
    region's 24,000 appeals: 430 ms)."""
    if query.number_whole:
        return Q(number=query.number)
    year, _, sequence = query.number.rpartition("-")
    if not sequence.isdigit() or len(sequence) > 6 or (year and not re.fullmatch(r"\d{4}", year)):
        return Q(number__endswith=query.number)
    from deputies.selectors import regions_by_code

    this_year = timezone.localdate().year
    years = [int(year)] if year else range(this_year - NUMBER_YEARS + 1, this_year + 1)
    candidates = [f"{code}-{y}-{int(sequence):06d}" for code in regions_by_code() for y in years]
    return Q(number__in=candidates)


def search(queryset, query: Query | str, *, scope):
    """The queryset's appeals that match, annotated with `search_number` (2: the whole
    number, 1: its tail, 0: by words) and `search_rank`, best first. A number's match
    ranks above every match by words. Words match an appeal's text only where the
    scope may read it (a committee, the unassigned appeals'; federal staff, none):
    elsewhere the number and subject alone, so a search never tells what a text says."""
    if isinstance(query, str):
        query = parse(query)
    if not query:
        return queryset
    condition = Q()
    number_rank = Value(0, output_field=IntegerField())
    words_rank = Value(0.0, output_field=FloatField())
    if query.terms:
        own = access.reads_every_text_it_sees(scope)
        matches, words_rank = _words_match(query, "all", own=own)
        condition = Q(matches)
        if not own:
            readable = access.appeal_text_filter(scope)
            head, head_rank = _words_match(query, "head")
            text, _rank = _words_match(query, "all", own=True)
            # Two branches the planner ORs as two bitmaps: the number and subject through
            # the (region, head vector) GIN index (appeals 0012), and the whole text only
            # among the few appeals the scope may read (a committee's unassigned ones,
            # through their partial index), each tested. Through the whole vector's GIN
            # index a word of the texts read its 400,000 matches across the country.
            condition = Q(head) | (readable & Q(text))
            words_rank = Case(
                When(readable, then=words_rank), default=head_rank, output_field=FloatField()
            )
    if query.number:
        number = _number_match(query)
        condition = (condition | number) if query.terms else number
        number_rank = Case(
            When(number, then=Value(2 if query.number_whole else 1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return (
        queryset.filter(condition)
        .annotate(search_number=number_rank, search_rank=words_rank)
        .order_by("-search_number", "-search_rank", "-pk")
    )


# --- fragments ---------------------------------------------------------------------

FRAGMENT_BEFORE = 60
FRAGMENT_AFTER = 140


def fragment(text: str, marks: set[str]) -> str:
    """A short piece of the text around its first matched word, every word whose lemma
    is among `marks` in <mark>, all else escaped; "" when no word matches."""
    if not text or not marks:
        return ""
    found = [
        m
        for m in WORD.finditer(text)
        if set(lemma(m.group().lower().replace("ё", "е")).split("-")) & marks
    ]
    if not found:
        return ""
    start = max(0, found[0].start() - FRAGMENT_BEFORE)
    end = min(len(text), found[0].end() + FRAGMENT_AFTER)
    # Cut at spaces, not inside words.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < found[0].start() else start
    if end < len(text):
        space = text.rfind(" ", found[0].end(), end)
        end = space if space > 0 else end
    pairs, at = [], start
    for m in found:
        if m.start() >= at and m.end() <= end:
            pairs.append((text[at : m.start()], m.group()))
            at = m.end()
    return format_html(
        "{}{}{}{}",
        "…" if start > 0 else "",
        format_html_join("", "{}<mark>{}</mark>", pairs),
        text[at:end],
        "…" if end < len(text) else "",
    )


def fragments(rows, query: Query | str, *, scope) -> dict[int, str]:
    """For a page's rows: appeal id → its highlighted fragment, from the text where the
    words are found there and the scope may read it, else from the subject. No query:
    an empty dict."""
    if isinstance(query, str):
        query = parse(query)
    marks = query.marks
    if not marks:
        return {}
    found = {}
    for appeal in rows:
        piece = ""
        if access.can_read_appeal_text(scope, appeal):
            piece = fragment(appeal.text, marks)
        piece = piece or fragment(appeal.subject, marks)
        if piece:
            found[appeal.pk] = piece
    return found


# --- the vocabulary of near spellings, and the SQLite index -------------------------


def vocabulary_add(lemma_text: str) -> None:
    """Record an appeal's lemmas in the vocabulary (PostgreSQL; SQLite reads FTS5's own).
    A process remembers the words it has written: a filing adds only new ones, mostly
    none, so the filing path pays nothing once warm."""
    if connection.vendor != "postgresql":
        return
    from .models import SearchWord

    new = {w for w in lemma_text.split() if w != "|" and len(w) <= 100} - _written
    if not new:
        return
    SearchWord.objects.bulk_create([SearchWord(word=w) for w in new], ignore_conflicts=True)
    if len(_written) < 500_000:
        _written.update(new)


_written: set[str] = set()


def vocabulary_rebuild(using=None) -> int:
    """The vocabulary from every appeal's lemmas (PostgreSQL): what `reindex_search`
    and the seeder's bulk path leave for it. Returns the number of words."""
    conn = connection if using is None else using
    if conn.vendor != "postgresql":
        return 0
    with conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO appeals_searchword (word) "
            "SELECT DISTINCT w FROM appeals_appeal, "
            "regexp_split_to_table(search_lemmas, ' ') AS w "
            "WHERE w NOT IN ('', '|') AND length(w) <= 100 ON CONFLICT (word) DO NOTHING"
        )
        cursor.execute("SELECT count(*) FROM appeals_searchword")
        return cursor.fetchone()[0]


# SQLite: an FTS5 table of its own (head: number and subject; body: text and address),
# filled by triggers from the search column, split where `document` puts " | ".
_HEAD = (
    "CASE WHEN instr(new.search_lemmas, ' | ') > 0 "
    "THEN substr(new.search_lemmas, 1, instr(new.search_lemmas, ' | ') - 1) "
    "ELSE new.search_lemmas END"
)
_BODY = (
    "CASE WHEN instr(new.search_lemmas, ' | ') > 0 "
    "THEN substr(new.search_lemmas, instr(new.search_lemmas, ' | ') + 3) ELSE '' END"
)
SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS appeals_appeal_fts USING fts5(head, body)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS appeals_appeal_fts_vocab "
    "USING fts5vocab(appeals_appeal_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_insert AFTER INSERT ON appeals_appeal "  # noqa: S608  # nosec B608
    "BEGIN INSERT INTO appeals_appeal_fts(rowid, head, body) "
    f"VALUES (new.id, {_HEAD}, {_BODY}); END",
    "CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_delete AFTER DELETE ON appeals_appeal "
    "BEGIN DELETE FROM appeals_appeal_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_update "  # noqa: S608  # nosec B608
    "AFTER UPDATE OF search_lemmas ON appeals_appeal "
    "BEGIN DELETE FROM appeals_appeal_fts WHERE rowid = old.id; "
    "INSERT INTO appeals_appeal_fts(rowid, head, body) "
    f"VALUES (new.id, {_HEAD}, {_BODY}); END",
]
SQLITE_REBUILD = [
    "DELETE FROM appeals_appeal_fts",
    "INSERT INTO appeals_appeal_fts(rowid, head, body) "  # noqa: S608  # nosec B608
    f"SELECT new.id, {_HEAD}, {_BODY} FROM appeals_appeal AS new",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_insert",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_delete",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_update",
    "DROP TABLE IF EXISTS appeals_appeal_fts_vocab",
    "DROP TABLE IF EXISTS appeals_appeal_fts",
]


def sqlite_index_ensure(conn) -> None:
    """Create the FTS5 table and its triggers where missing, and fill it when they were:
    SQLite rebuilds a table some migrations alter, and its triggers go with it."""
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'appeals_appeal_fts_%'"
        )
        if cursor.fetchone()[0] == 3:
            return
        for statement in SQLITE_INSTALL + SQLITE_REBUILD:
            cursor.execute(statement)


def sqlite_index_drop(conn) -> None:
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for statement in SQLITE_DROP:
            cursor.execute(statement)


def reindex(*, batch: int = 2000, progress=None) -> int:
    """Rewrite every appeal's search column from its fields, in batches by id (a big
    database is never read at once), writing only the rows that changed; then the
    vocabulary. Returns the number of rows rewritten."""
    from .models import Appeal

    last, changed = 0, 0
    while True:
        rows = list(
            Appeal.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "number", "subject", "text", "address", "search_lemmas")[:batch]
        )
        if not rows:
            break
        stale = [
            Appeal(pk=pk, search_lemmas=fresh)
            for pk, number, subject, text, address, stored in rows
            if (fresh := document(number, subject, text, address)) != stored
        ]
        if stale:
            Appeal.objects.bulk_update(stale, ["search_lemmas"])
        changed += len(stale)
        last = rows[-1][0]
        if progress:
            progress(len(rows))
    vocabulary_rebuild()
    return changed
