"""Near-identical appeals and appeals about one house (SPEC, Insight: duplicates).

Two signals, both kept per appeal in AppealFingerprint after its filing commits:
- the text: MinHash over shingles of two consecutive lemmas (core.text), cut into
  LSH bands stored in AppealBand, so "appeals like this one" is an index lookup of
  the bands; a candidate is near-identical when the signatures agree on at least
  THRESHOLD of their positions (the estimated Jaccard similarity of the shingle sets)
  and the numbers in the two texts are the same (house 5 and house 7 of one street
  are two problems, however alike the letters are);
- the address: region, street and house number, normalised, so that
  «ул. Ленина, д. 5» and «Ленина 5» are one key.
docs/DUPLICATES.md explains the choices and the numbers on the test corpus.
"""

import re
from dataclasses import dataclass

from core import minhash
from core.text import lemmas, words

NUM_PERM = 64
BANDS = 16
# 4 rows a band: a pair of Jaccard similarity j shares a band with p = 1-(1-j^4)^16:
# 0.45 -> 0.49, 0.6 -> 0.89, 0.7 -> 0.99; a pair of unrelated appeals (j ~ 0.1) 0.002.
ROWS = NUM_PERM // BANDS
THRESHOLD = 0.45
SEED = 21


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no problem: the greeting and the signing-off people add or drop,
# and what every appeal says (on the test corpus they made a template about a door
# look like the same template about a roof).
FILLER = _words(
    "здравствовать добрый день вечер утро уважаемый уважаемая депутат просить помочь "
    "пожалуйста спасибо заранее благодарить с уважением житель жительница я мы наш "
    "и в на по с у к о об а но что это этот который весь свой быть мочь не нет уже "
    "ещё еще как так же для при от до из за или ли то тот такой дом просить "
    "принять мера разобраться ситуация вопрос обращение ответ получить"
)
NUMBER = re.compile(r"^\d+[а-яa-z]?$")


@dataclass(frozen=True)
class Fingerprint:
    signature: bytes
    numbers: str
    bands: tuple[int, ...]
    address_key: str = ""


def shingles(text: str) -> set[bytes]:
    """The text's content lemmas. Single lemmas, not pairs: a reworded appeal keeps its
    words and changes their order, which pairs of words do not survive (on the test
    corpus the least alike planted duplicates share 37 % of lemmas and 5 % of pairs)."""
    return {w.encode() for w in lemmas(text) if len(w) > 2 and w not in FILLER and not w.isdigit()}


def text_numbers(text: str) -> str:
    return " ".join(sorted({w for w in words(text) if NUMBER.match(w)}))[:200]


def signature(text: str):
    return minhash.signature(shingles(text), num_perm=NUM_PERM, seed=SEED)


def _bands(sig, region_code: str) -> tuple[int, ...]:
    # Keyed by the region: a lookup finds the region's appeals only, as deputies and
    # committees work.
    return tuple(minhash.band_keys(sig, bands=BANDS, prefix=region_code))


def fingerprint(text: str, *, address: str = "", region_code: str = "") -> Fingerprint:
    sig = signature(text)
    return Fingerprint(
        signature=sig.tobytes(),
        numbers=text_numbers(text),
        bands=_bands(sig, region_code),
        address_key=address_key(address, region_code=region_code),
    )


def bands_of(signature: bytes, region_code: str) -> tuple[int, ...]:
    """The LSH bands of a stored signature (as AppealBand holds them)."""
    return _bands(minhash.from_bytes(signature), region_code)


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two stored signatures."""
    return minhash.similarity(a, b)


def numbers_agree(a: str, b: str) -> bool:
    """One text's numbers include the other's: «дом 5, подъезд 2» and «дом 5» agree,
    «дом 5» and «дом 7» do not."""
    x, y = set(a.split()), set(b.split())
    return x <= y or y <= x


def near_identical(a, b) -> bool:
    """Two fingerprints (or AppealFingerprint rows) of one problem: alike texts with
    agreeing numbers, not about two different houses."""
    other_house = a.address_key and b.address_key and a.address_key != b.address_key
    return (
        not other_house
        and numbers_agree(a.numbers, b.numbers)
        and similarity(a.signature, b.signature) >= THRESHOLD
    )


# --- addresses ---------------------------------------------------------------------

STREET_TYPES = _words(
    "ул улица пр пр-т пр-кт проспект пер переулок б-р бульвар ш шоссе пл площадь наб "
    "набережная проезд мкр микрорайон тупик аллея линия"
)
HOUSE_WORDS = _words("д дом здание вл владение")
# Parts of an address above the street: the city, the district, the region.
PLACE_WORDS = _words(
    "г город гор пос поселок пгт с село деревня р-н район обл область респ республика "
    "край ао округ россия рф"
)
UNIT_WORDS = _words("кв квартира оф офис пом помещение подъезд под этаж эт")


def address_key(address: str, *, region_code: str) -> str:
    """ "<region>|<street>|<house>" of a house-level address, or "" without a house:
    «ул. Ленина, д. 5», «Ленина 5» and «г. Казань, улица Ленина, дом 5, кв. 3» are one."""
    street, house = [], ""
    for part in (address or "").lower().replace("ё", "е").split(","):
        tokens = words(part)
        if not tokens or tokens[0] in PLACE_WORDS or tokens[0] in UNIT_WORDS:
            continue
        if street and tokens[0] in HOUSE_WORDS | {"к", "корп", "корпус", "стр", "строение"}:
            if not house and len(tokens) > 1:
                house = tokens[1]
            elif house and len(tokens) > 1:
                house += "к" + tokens[1]
            continue
        if not street:
            names = [t for t in tokens if t not in STREET_TYPES and t not in HOUSE_WORDS]
            # «Ленина 5 к 2»: the first number after a word is the house, a leading one
            # is the street's (8 Марта).
            for i, name in enumerate(names):
                if NUMBER.match(name) and (i > 1 or (i == 1 and not NUMBER.match(names[0]))):
                    house, names = name, names[:i]
                    break
            street = names
        elif not house and NUMBER.match(tokens[0]):
            house = tokens[0]
        if street and house:
            break
    if not street or not house:
        return ""
    return f"{region_code}|{' '.join(street)}|{house}"[:200]
