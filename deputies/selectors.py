from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import reference

from . import access
from .models import Body, Deputy, Region


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


def region_list():
    return Region.objects.annotate(
        deputies_count=Count("deputies", filter=Q(deputies__accepts_appeals=True))
    ).order_by("code")


def region_get(*, code: str) -> Region:
    return get_object_or_404(Region, code=code)


def region_bodies(*, region: Region):
    return Body.objects.filter(region=region).order_by("level", "name")


def deputy_list(*, region: Region, body_id: int | None = None, query: str = ""):
    qs = (
        Deputy.objects.filter(region=region)
        .select_related("body", "district")
        .order_by("full_name", "pk")
    )
    if body_id:
        qs = qs.filter(body_id=body_id)
    if query:
        # SQLite folds only ASCII case, so Cyrillic spellings are tried explicitly.
        variants = {query, query.lower(), query.capitalize(), query.title()}
        match = Q()
        for variant in variants:
            match |= Q(full_name__icontains=variant)
        qs = qs.filter(match)
    return qs


def deputy_get(*, pk: int) -> Deputy:
    """Deputies are public: any visitor may open one."""
    return get_object_or_404(
        Deputy.objects.select_related("region", "body", "body__municipality", "district"), pk=pk
    )
