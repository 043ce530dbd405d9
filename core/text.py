"""Words of Russian (and English) text reduced to lemmas: one place for search, duplicates
and the topic model, so that «подъезде», «подъезды» and «подъезд» are one word everywhere."""

import re
from functools import lru_cache

# Letters and digits; a hyphen inside a word keeps «из-за», «Санкт-Петербург» whole.
WORD = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def words(text):
    """The text's words, lower-cased, «ё» read as «е» (people write both)."""
    return [w.replace("ё", "е") for w in WORD.findall((text or "").lower())]


@lru_cache(maxsize=200_000)
def lemma(word):
    """The dictionary form of one lower-cased word; words pymorphy does not know are kept."""
    if not re.search("[а-я]", word):
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


def lemmas(text):
    """The lemmas of the text's words, in order (repeats kept)."""
    return [lemma(w) for w in words(text)]
