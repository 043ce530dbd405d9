"""Loads the country's municipal formations from the official OKTMO classifier file
(Rosstat's open data, https://rosstat.gov.ru/opendata/7708234640-oktmo): semicolon-
separated, windows-1251 (UTF-8 accepted too), a row per code, columns КОД1 (region,
2 digits), КОД2 (first level, 3), КОД3 (second level, 3), КОД4 (settlement, 3), КЧ
(control number), РАЗДЕЛ (1: municipal formations, 2: settlements), НАИМЕНОВАНИЕ,
then the centre, notes, dates, which are not read.

Read: section 1 rows with КОД4 = 000, i.e. municipal formations with an 8-digit code.
Codes ending in 00 at their level are the classifier's group headings («Муниципальные
районы …», «Сельские поселения …») and are skipped. A row updates the place that has its
code, else the place of the same region and parent with the same name (type words
aside: «муниципальный округ Тверской» is our «Тверской район»), else it is created.
Idempotent: a second run changes nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from .data.places import english
from .models import Municipality, Region

# The classifier's region prefixes (they differ from the regions' own codes); three
# autonomous okrugs are numbered inside their oblast's block by КОД1+first digit of КОД2.
OKTMO_REGION = {
    "01": "22", "03": "23", "04": "24", "05": "25", "07": "26", "08": "27", "10": "28",
    "11": "29", "12": "30", "14": "31", "15": "32", "17": "33", "18": "34", "19": "35",
    "20": "36", "21": "93", "22": "52", "23": "90", "24": "37", "25": "38", "26": "06",
    "27": "39", "28": "69", "29": "40", "30": "41", "32": "42", "33": "43", "34": "44",
    "35": "91", "36": "63", "37": "45", "38": "46", "40": "78", "41": "47", "42": "48",
    "43": "94", "44": "49", "45": "77", "46": "50", "47": "51", "49": "53", "50": "54",
    "52": "55", "53": "56", "54": "57", "56": "58", "57": "59", "58": "60", "60": "61",
    "61": "62", "63": "64", "64": "65", "65": "66", "66": "67", "67": "92", "68": "68",
    "69": "70", "70": "71", "71": "72", "73": "73", "74": "95", "75": "74", "76": "75",
    "77": "87", "78": "76", "79": "01", "80": "02", "81": "03", "82": "05", "83": "07",
    "84": "04", "85": "08", "86": "10", "87": "11", "88": "12", "89": "13", "90": "15",
    "91": "09", "92": "16", "93": "17", "94": "18", "95": "19", "96": "20", "97": "21",
    "98": "14", "99": "79",
}  # fmt: skip
OKTMO_OKRUG = {"118": "83", "718": "86", "719": "89"}
FEDERAL_CITIES = {"77", "78", "92"}

Kind = Municipality.Kind
FIRST_LEVEL_KIND = {
    "3": Kind.INTRACITY,
    "6": Kind.MUNICIPAL_DISTRICT,
    "7": Kind.URBAN_OKRUG,
    "8": Kind.MUNICIPAL_OKRUG,
}
SECOND_LEVEL_KIND = {"1": Kind.SETTLEMENT, "3": Kind.CITY_DISTRICT, "4": Kind.SETTLEMENT}

_TYPE_WORDS = re.compile(
    r"\b(внутригородское муниципальное образование|внутригородская территория|"
    r"города федерального значения|муниципальный округ|муниципальный район|"
    r"городской округ|городское поселение|сельское поселение|внутригородской район|"
    r"внутригородской округ|административный округ|территориальный округ|"
    r"поселение|посёлок|поселок|город|район|округ|санкт-петербурга|москвы|севастополя|"
    r"муниципальное образование|мо|г|п|пос)\b\.?"
)


class OktmoError(Exception):
    """The file is not the classifier's: the message says where and why."""


def core(name: str) -> str:
    """A name without its type words, for matching: «Муниципальный округ Коломна» and
    «муниципальный округ Коломна» alike give «коломна»."""
    text = name.lower().replace("ё", "е").replace("«", " ").replace("»", " ")
    text = text.replace('"', " ")
    return " ".join(_TYPE_WORDS.sub(" ", text).split())


@dataclass(frozen=True)
class Row:
    line: int
    code: str  # 8 digits
    region_code: str  # ours
    parent_code: str  # 8 digits, or "" for the first level
    kind: str
    name: str


def parse(data: bytes) -> list[Row]:
    """The file's municipal formations, checked; OktmoError on anything else."""
    if not data.strip():
        raise OktmoError("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251")
    rows = []
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
    for line, fields in enumerate(reader, start=1):
        if not fields or not "".join(fields).strip():
            continue
        if line == 1 and not fields[0].strip().isdigit():
            continue  # a header line
        if len(fields) < 7:
            raise OktmoError(
                f"Line {line}: {len(fields)} columns, expected at least 7 "
                "(КОД1;КОД2;КОД3;КОД4;КЧ;РАЗДЕЛ;НАИМЕНОВАНИЕ), separated by semicolons."
            )
        k1, k2, k3, k4, _check, section, name = (f.strip() for f in fields[:7])
        shapes = ((k1, 2), (k2, 3), (k3, 3), (k4, 3))
        if not all(len(part) == size and part.isdigit() for part, size in shapes):
            raise OktmoError(
                f"Line {line}: the code {k1} {k2} {k3} {k4} is not an OKTMO code "
                "(2, 3, 3 and 3 digits)."
            )
        if not name:
            raise OktmoError(f"Line {line}: the name is empty.")
        if section != "1" or k4 != "000" or k2 == "000" or k2.endswith("00"):
            continue  # settlements, the region's and the groups' headings
        if k3 != "000" and k3.endswith("00"):
            continue
        region_code = OKTMO_OKRUG.get(k1 + k2[0]) or OKTMO_REGION.get(k1)
        if region_code is None:
            continue  # other territories (Baikonur)
        if k3 == "000":
            parent_code, kind = "", FIRST_LEVEL_KIND.get(k2[0], "")
        else:
            parent_code, kind = f"{k1}{k2}000", SECOND_LEVEL_KIND.get(k3[0], "")
        rows.append(Row(line, f"{k1}{k2}{k3}", region_code, parent_code, kind, name))
    if not rows:
        raise OktmoError(
            "No municipal formations found: is this the OKTMO classifier's CSV "
            "(section 1, codes КОД1–КОД4)?"
        )
    return rows


@dataclass
class Counts:
    matched: int = 0
    created: int = 0
    unchanged: int = 0
    regions: dict = field(default_factory=dict)


def load(rows: list[Row], progress=None) -> Counts:
    """Applies the parsed rows region by region, each in one transaction."""
    counts = Counts()
    regions = {r.code: r for r in Region.objects.all()}
    by_region = {}
    for row in rows:
        by_region.setdefault(row.region_code, []).append(row)
    for region_code in sorted(by_region):
        region = regions.get(region_code)
        if region is None:
            continue
        with transaction.atomic():
            _load_region(region, by_region[region_code], counts)
        if progress:
            progress(region, counts)
    return counts


def _load_region(region, rows, counts):
    places = list(Municipality.objects.filter(region=region))
    by_code = {p.oktmo: p for p in places if p.oktmo}
    by_core = {}
    for p in places:
        by_core.setdefault(core(p.name), []).append(p)
    centre = next((p for p in places if p.is_admin_centre), None)
    placed = {}  # code → place, for the second level's parents
    changed = []
    for row in sorted(rows, key=lambda r: (r.parent_code != "", r.code)):
        parent = placed.get(row.parent_code) if row.parent_code else None
        place = by_code.get(row.code) or _namesake(by_core, row, parent)
        if place is None:
            if row.parent_code and parent is None:
                continue  # its parent is not in the file
            if parent is None and region.code in FEDERAL_CITIES:
                parent = centre
            place = Municipality.objects.create(
                region=region,
                parent=parent,
                name=row.name,
                name_en=english(row.name),
                kind=row.kind,
                oktmo=row.code,
            )
            by_core.setdefault(core(place.name), []).append(place)
            counts.created += 1
        elif place.oktmo == row.code and (place.kind or not row.kind):
            counts.unchanged += 1
        else:
            place.oktmo = row.code
            place.kind = place.kind or row.kind
            changed.append(place)
            counts.matched += 1
        by_code[row.code] = place
        placed[row.code] = place
    Municipality.objects.bulk_update(changed, ["oktmo", "kind"])


def _namesake(by_core, row, parent):
    """The place without a code of the same name: under the row's parent if it has one
    (our tree may be deeper than the classifier's: a St Petersburg unit sits under its
    administrative district, which the classifier does not have); of the row's kind
    if names repeat («Адмиралтейский район» and its «Адмиралтейский округ» unit); never
    an administrative okrug, which is no municipal formation."""
    candidates = [
        p for p in by_core.get(core(row.name), []) if not p.oktmo and p.kind != Kind.ADMIN_OKRUG
    ]
    if parent is not None:
        candidates = [p for p in candidates if p.parent_id == parent.pk] or candidates
    if len(candidates) > 1:
        candidates = [p for p in candidates if p.kind == row.kind]
    return candidates[0] if len(candidates) == 1 else None
