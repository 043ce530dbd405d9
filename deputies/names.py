"""A person's full name in the case a Russian sentence needs: «направлено депутату
Поповой Александре Борисовне», not «депутату Попова Александра Борисовна».

Names are written "Фамилия Имя Отчество" (the sign-up form asks for that order);
"Имя Отчество Фамилия" is recognised by its patronymic. The gender comes from the
patronymic, else from the surname or first name by the petrovich rules' own list; the
models keep no gender. A name that cannot be read that way (one word, Latin letters,
an unknown gender) is left as written: a name in the nominative reads better than a
wrongly declined one.

`dative`, `genitive` and `instrumental` decline only while Russian is active: in
English the name is untouched. `decline` always does.

petrovich 2.0.1 is the release that runs on Python 3.11 (3.x needs 3.12). Its engine
skips the rules common to both genders whenever a gender is given («Шевчук Ольгы»,
«Белыха Никита») and reads the rules' "." ("unchanged") as "try the next rule", or as a
letter to append. Its rules are adapted once per gender below so that they mean what
they say, as the 3.x engine reads them.
"""

import json
import re
from enum import IntEnum
from functools import cache, lru_cache
from pathlib import Path

import petrovich
from django.utils.translation import get_language
from petrovich.enums import Case as _PetrovichCase
from petrovich.main import Petrovich

MALE, FEMALE = "male", "female"
_ANDROGYNOUS = "androgynous"


class Case(IntEnum):
    GENITIVE = _PetrovichCase.GENITIVE
    DATIVE = _PetrovichCase.DATIVE
    INSTRUMENTAL = _PetrovichCase.INSTRUMENTAL


# Turkic patronymics are two words, the second saying the gender: «Гейдар оглы».
_TURKIC = {"оглы": MALE, "улы": MALE, "уулу": MALE, "кызы": FEMALE, "гызы": FEMALE}
# Only Cyrillic words, hyphens (double surnames), apostrophes and a title such as «тов.».
_READABLE = re.compile(r"[А-ЯЁа-яё'’.\- ]+")


@cache
def _inflector(gender: str) -> Petrovich:
    inflector = Petrovich()
    for part in inflector.data.values():
        for rule in (*part.get("exceptions", ()), *part["suffixes"]):
            if rule["gender"] == _ANDROGYNOUS:
                rule["gender"] = gender
            rule["mods"] = ["" if mod == "." else mod for mod in rule["mods"]]
    return inflector


@cache
def _gender_rules() -> dict:
    path = Path(petrovich.__file__).parent / "rules" / "gender.json"
    return json.loads(path.read_text(encoding="utf-8"))["gender"]


def _gender_of(word: str, part: str) -> str | None:
    """The gender the rules give `word` as a `part` (its longest matching ending), or
    None where they give none or both."""
    word = word.lower()
    best, found = 0, set()
    for gender, endings in _gender_rules()[part].items():
        for ending in endings:
            if word.endswith(ending) and len(ending) >= best:
                if len(ending) > best:
                    best, found = len(ending), set()
                found.add(gender)
    if len(found) == 1 and (gender := found.pop()) in (MALE, FEMALE):
        return gender
    return None


def _is_patronymic(word: str) -> bool:
    return _gender_of(word, "middlename") is not None


def _roles(words: list[str]) -> list[str] | None:
    """Which word is which: "last", "first", "middle" (declined) or "keep"."""
    if words and words[-1].lower() in _TURKIC and len(words) == 4:
        return ["last", "first", "keep", "keep"]
    if len(words) == 3:
        if _is_patronymic(words[2]):
            return ["last", "first", "middle"]
        if _is_patronymic(words[1]):
            return ["first", "middle", "last"]
        return None
    if len(words) == 2:  # no patronymic: the surname is the one that looks like one
        if _gender_of(words[0], "lastname"):
            return ["last", "first"]
        if _gender_of(words[1], "lastname"):
            return ["first", "last"]
    return None


def _gender(words: list[str], roles: list[str]) -> str | None:
    by_role = dict(zip(roles, words, strict=True))
    if words[-1].lower() in _TURKIC:
        return _TURKIC[words[-1].lower()]
    if "middle" in by_role:
        return _gender_of(by_role["middle"], "middlename")
    return _gender_of(by_role["last"], "lastname") or _gender_of(by_role["first"], "firstname")


@lru_cache(maxsize=4096)
def decline(full_name: str, case: Case, gender: str | None = None) -> str:
    """`full_name` in `case`, or as written where it cannot be read as a Russian name."""
    if not full_name or not _READABLE.fullmatch(full_name):
        return full_name
    words = full_name.split()
    titles = []
    while words and words[0].endswith("."):  # «тов. Ковалёва …»: the title stays
        titles.append(words.pop(0))
    roles = _roles(words)
    if roles is None and gender and len(words) == 2:
        roles = ["last", "first"]  # the order the site asks for
    if roles is None:
        return full_name
    gender = gender or _gender(words, roles)
    if gender not in (MALE, FEMALE):
        return full_name
    inflector = _inflector(gender)
    methods = {
        "last": inflector.lastname,
        "first": inflector.firstname,
        "middle": inflector.middlename,
    }
    declined = [
        word if role == "keep" else methods[role](word, case.value, gender)
        for word, role in zip(words, roles, strict=True)
    ]
    return " ".join([*titles, *declined])


def _in_russian(full_name: str, case: Case, gender: str | None) -> str:
    if not (get_language() or "ru").startswith("ru"):
        return full_name
    return decline(full_name, case, gender)


def dative(full_name: str, gender: str | None = None) -> str:
    """Кому: «депутату Поповой Александре Борисовне»."""
    return _in_russian(full_name, Case.DATIVE, gender)


def genitive(full_name: str, gender: str | None = None) -> str:
    """Кого, чего: «обращения Поповой Александры Борисовны»."""
    return _in_russian(full_name, Case.GENITIVE, gender)


def instrumental(full_name: str, gender: str | None = None) -> str:
    """Кем: «подписано Поповой Александрой Борисовной»."""
    return _in_russian(full_name, Case.INSTRUMENTAL, gender)
