from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import reference

from . import access
from .models import Body, Deputy, Municipality, Region

# The finder shows at most this many deputies whose districts cover one municipality:
# a regional and a municipal deputy, rarely more; the rest are one name search away.
COVERING_SHOWN = 12


def regions_by_code() -> dict:
    """Every region by code, from the per-process reference table (`core.reference`),
    the one the filing API's region field reads."""
    return reference.table("regions", Region.objects.all(), "code")


def regions_by_id() -> dict:
    return reference.table("regions by id", Region.objects.all(), "pk")


def region_by_code(code: str) -> Region | None:
    """From the reference table; one not there (added elsewhere a moment ago) from the
    database."""
    return regions_by_code().get(code) or Region.objects.filter(code=code).first()


def region_for(*, scope, code: str | None) -> Region:
    """The region a committee's page shows: a committee reads its own, federal staff
    any region they name (404 otherwise, and for a committee naming another region)."""
    own = access.home_region_id(scope)
    if own is not None and not code:
        return regions_by_id().get(own) or Region.objects.get(pk=own)
    region = region_by_code(code) if code else None
    if region is None or not access.may_read_region(scope, region.pk):
        raise Http404
    return region


def regions_sorted() -> list[Region]:
    """The 89 regions by code for a chooser, from memory: no query on the filing form."""
    return sorted(regions_by_code().values(), key=lambda region: region.code)


def municipalities_of(*, region_id: int) -> dict:
    """A region's municipalities by id, its administrative centre first, from the
    per-process reference tables: the filing form draws and checks its list from here."""
    return reference.table(
        f"municipalities of {region_id}",
        lambda: Municipality.objects.filter(region_id=region_id).order_by(
            "-is_admin_centre", "name", "pk"
        ),
        "pk",
    )


def _chain(place, rows: dict) -> list:
    """The place, then the places it is part of, as far as `rows` (places by id) go."""
    chain, seen = [place], {place.pk}
    parent_id = place.parent_id
    while parent_id and parent_id not in seen and parent_id in rows:
        seen.add(parent_id)
        chain.append(rows[parent_id])
        parent_id = rows[parent_id].parent_id
    return chain


def place_and_parents(municipality) -> list:
    """The place, then the places it is part of (district, okrug, city), from the
    per-process reference tables: a district covering a parent covers its parts."""
    return _chain(municipality, municipalities_of(region_id=municipality.region_id))


def place_columns(rows: dict) -> dict:
    """Each place's id → the id of the place its appeals count in for the analytics and
    the hot spots: a unit in its city district (St Petersburg's 18 districts, Moscow's
    okrugs, a centre's districts), any other place in the top place it is part of.
    `rows`: places by id, a parent always among them."""

    def column(place):
        chain = _chain(place, rows)
        root = chain[-1]
        return chain[-2] if root.is_admin_centre and len(chain) > 1 else root

    return {pk: column(place).pk for pk, place in rows.items()}


def place_and_parts(municipality) -> list[int]:
    """The ids of the place and every place under it (a district's units): a filter by
    a district takes the appeals of its parts too. From the reference tables."""
    rows = municipalities_of(region_id=municipality.region_id)
    children = {}
    for row in rows.values():
        children.setdefault(row.parent_id, []).append(row.pk)
    ids, todo = [], [municipality.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo.extend(children.get(pk, ()))
    return ids


# Kinds named with the district or okrug they are part of: «муниципальный округ
# Коломна» alone does not say it is in the Адмиралтейский район.
_NAMED_WITH_PARENT = {
    Municipality.Kind.INTRACITY,
    Municipality.Kind.SETTLEMENT,
    Municipality.Kind.URBAN_OKRUG,
}


def place_label(*, region_id: int, municipality_id: int | None) -> str:
    """An appeal's place as lists show it, «муниципальный округ Коломна, Адмиралтейский
    район», from the reference tables: no query, whatever the page's length."""
    if not municipality_id:
        return ""
    rows = municipalities_of(region_id=region_id)
    place = rows.get(municipality_id)
    if place is None:
        return ""
    parent = rows.get(place.parent_id)
    if parent is not None and place.kind in _NAMED_WITH_PARENT and not parent.is_admin_centre:
        return f"{place.display_name}, {parent.display_name}"
    return place.display_name


def municipality_groups(rows: dict) -> list:
    """A region's places for a chooser, as option groups: each place that has parts
    heads a group of itself («… — целиком») and its parts; deeper parts head their own
    group after it (Moscow: the city, then each okrug with its districts). Places with
    no parts and no parent close the list. [(group label, [(pk, label), ...]), ...]"""
    children = {}
    for row in rows.values():
        children.setdefault(row.parent_id, []).append(row)
    groups, loose = [], []

    def walk(place):
        parts = children.get(place.pk, [])
        whole = _("%(place)s — all of it") % {"place": place.display_name}
        groups.append(
            (
                place.display_name,
                [(place.pk, whole)]
                + [(p.pk, p.display_name) for p in parts if p.pk not in children],
            )
        )
        for part in parts:
            if part.pk in children:
                walk(part)

    for root in children.get(None, []):
        if root.pk in children:
            walk(root)
        else:
            loose.append((root.pk, root.display_name))
    if loose:
        groups.append((_("Other municipalities") if groups else "", loose))
    return groups


def region_list():
    return Region.objects.annotate(
        deputies_count=Count("deputies", filter=Q(deputies__accepts_appeals=True))
    ).order_by("code")


def region_get(*, code: str) -> Region:
    return get_object_or_404(Region, code=code)


def region_bodies(*, region: Region):
    return Body.objects.filter(region=region).order_by("level", "name")


def name_matches(query: str) -> Q:
    """A deputy's name containing `query` in any letter case. SQLite folds only ASCII
    case, so Cyrillic spellings are tried explicitly."""
    match = Q()
    for variant in {query, query.lower(), query.capitalize(), query.title()}:
        match |= Q(full_name__icontains=variant)
    return match


def deputy_list(*, region: Region, body_id: int | None = None, query: str = ""):
    qs = (
        Deputy.objects.filter(region=region)
        .select_related("body", "district")
        .order_by("full_name", "pk")
    )
    if body_id:
        qs = qs.filter(body_id=body_id)
    if query:
        qs = qs.filter(name_matches(query))
    return qs


def deputy_get(*, pk: int) -> Deputy:
    """Deputies are public: any visitor may open one."""
    municipalities = Municipality.objects.order_by("-is_admin_centre", "name")
    return get_object_or_404(
        Deputy.objects.select_related(
            "region", "body", "body__municipality", "district"
        ).prefetch_related(Prefetch("district__municipalities", queryset=municipalities)),
        pk=pk,
    )


# --- choosing whom to write to ------------------------------------------------------


def deputy_to_write(*, pk) -> Deputy | None:
    """A deputy a citizen may address an appeal to (accepts appeals, can act on them),
    or None."""
    if not str(pk).isdigit():
        return None
    return Deputy.objects.accepting().select_related("body", "district").filter(pk=pk).first()


def deputies_covering(*, region_id: int, municipality_id: int, level: str = "") -> list[Deputy]:
    """The deputies who take appeals and whose electoral district covers the
    municipality, in the order routing tries them (fewest open appeals first, then the
    one assigned longest ago): appeals.routing's district rule, read without claiming."""
    qs = Deputy.objects.accepting().filter(
        region_id=region_id, district__municipalities=municipality_id
    )
    if level:
        qs = qs.filter(body__level=level)
    return list(
        qs.select_related("body", "district").order_by(
            "open_appeals", F("last_assigned_at").asc(nulls_first=True), "pk"
        )[:COVERING_SHOWN]
    )


def region_takes_appeals(*, region_id: int, level: str = "") -> bool:
    """Whether any deputy of the region (at the level) takes appeals now."""
    qs = Deputy.objects.accepting().filter(region_id=region_id)
    if level:
        qs = qs.filter(body__level=level)
    return qs.exists()


def deputies_to_write(*, region_id: int, query: str = ""):
    """The region's deputies who take appeals, by name: the finder's name search."""
    qs = Deputy.objects.accepting().filter(region_id=region_id)
    if query:
        qs = qs.filter(name_matches(query))
    return qs.select_related("body", "district").order_by("full_name", "pk")


def me_summary(*, user) -> dict:
    """Who the caller is, as the API's /me tells it: the role, and the region one works
    in (a deputy's, or the region whose committee the account serves), from the relations
    `scope_for` has already read."""
    scope = access.scope_for(user)
    region_id = access.work_region_id(scope, user)
    region = None
    if region_id is not None:
        region = regions_by_id().get(region_id) or Region.objects.filter(pk=region_id).first()
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "region": region,
        "deputy_id": scope.deputy_id,
        "language": (get_language() or settings.LANGUAGE_CODE)[:2],
    }
