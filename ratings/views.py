from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.selectors import deputy_load
from deputies import access
from deputies.access import scope_for
from deputies.models import Body
from feedback.selectors import formulaic_share

from . import charts, exports, selectors, services
from .tables import RatingTable, RegionsTable, regions_table_rows


def _as_of(request) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return None


def _body_id(request):
    value = request.GET.get("body", "")
    return int(value) if value.isdigit() else None


@login_required
def region_table(request):
    scope = scope_for(request.user)
    if not access.may_read_ratings(scope):
        raise Http404
    region = selectors.region_for(scope=scope, code=request.GET.get("region"))
    as_of, body_id = _as_of(request), _body_id(request)
    ordering = request.GET.get("sort", "rank")
    if ordering not in selectors.TABLE_ORDERINGS:
        ordering = "rank"
    run = selectors.run_as_of(as_of, region_id=region.pk)
    # Read only if the page's cached table misses, or for an export.
    rows = (
        selectors.rating_table(run=run, region_id=region.pk, body_id=body_id, ordering=ordering)
        if run
        else []
    )
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        if run:
            rows = selectors.with_bands_and_load(
                rows, run=run, region_id=region.pk, whole_region=not body_id
            )
        table = exports.table_rows(rows)
        name = (
            f"rating-{region.code}-{run.finished_at:%Y-%m-%d}" if run else f"rating-{region.code}"
        )
        if export == "csv":
            response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(table, title=region.code),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("format", None)
    now = timezone.now()
    queue = selectors.queue_figures(
        since=selectors.queue_window_start(run=run, now=now),
        today=timezone.localdate(now),
        region_id=region.pk,
    ).get(region.pk, selectors.QueueFigures())

    def table():
        # Called by the template only when its cached table misses.
        return RatingTable(
            selectors.with_bands_and_load(
                rows, run=run, region_id=region.pk, whole_region=not body_id
            ),
            order_by=ordering,
            request=request,
        )

    return render(
        request,
        "ratings/region_table.html",
        {
            "region": region,
            "run": run,
            "rows": rows,
            "table": table,
            "bodies": Body.objects.filter(region=region).order_by("level", "name"),
            "body_id": body_id,
            "as_of": as_of,
            "ordering": ordering,
            "query": query.urlencode(),
            "queue": queue,
            "queue_url": f"{reverse('appeals:committee_queue')}?region={region.code}",
            "queue_window_days": selectors.queue_window_days(run=run),
        },
    )


def _deputy_page(request, deputy, template, *, own=False):
    run = selectors.run_as_of(None, region_id=deputy.region_id)
    snapshot = selectors.deputy_snapshot(run=run, deputy_id=deputy.pk)
    if snapshot is not None:
        (snapshot,) = selectors.with_bands_and_load([snapshot], run=run, region_id=deputy.region_id)
    history = selectors.deputy_history(deputy_id=deputy.pk)
    # Formulaic answers over the rating's own window; shown beside the score, never in it.
    since = timezone.now() - timedelta(days=run.formula.window_days) if run else None
    return render(
        request,
        template,
        {
            "deputy": deputy,
            "run": run,
            "snapshot": snapshot,
            "history": history,
            "history_chart": charts.rating_history(history),
            "load_chart": charts.deputy_load(deputy_load(deputy_id=deputy.pk)),
            "formulaic": formulaic_share(deputy_id=deputy.pk, since=since),
            "own_page": own,
        },
    )


@login_required
def deputy_rating(request, pk):
    deputy = selectors.deputy_for(scope=scope_for(request.user), pk=pk)
    return _deputy_page(request, deputy, "ratings/deputy_rating.html")


@login_required
def my_rating(request):
    scope = scope_for(request.user)
    if not access.may_read_own_rating(scope):
        raise Http404
    deputy = selectors.deputy_for(scope=scope, pk=scope.deputy_id)
    return _deputy_page(request, deputy, "ratings/deputy_rating.html", own=True)


@login_required
def regions_comparison(request):
    scope = scope_for(request.user)
    if not access.may_compare_regions(scope):
        raise Http404
    run = selectors.run_as_of(_as_of(request))
    rows = selectors.regions_comparison_with_queue(run=run, now=timezone.now())
    ordering = request.GET.get("sort") or "region"
    flat = regions_table_rows(rows)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        table = RegionsTable(flat, order_by=ordering, request=request)
        computed_on = timezone.localdate(run.finished_at) if run else None
        lines = exports.regions_rows(table.data.data, computed_on=computed_on)
        name = f"regions-{computed_on:%Y-%m-%d}" if computed_on else "regions"
        if export == "csv":
            content = exports.to_csv(lines, header=exports.regions_columns())
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exports.to_xlsx(lines, title=_("Regions"), header=exports.regions_columns()),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "ratings/regions_comparison.html",
        {
            "run": run,
            "rows": rows,
            # Drawn only when the cached table misses: its key is every figure it shows.
            "table": lambda: RegionsTable(flat, order_by=ordering, request=request),
            "rows_state": [tuple(row.values()) for row in flat],
            "query": query.urlencode(),
            "full_query": request.GET.urlencode(),
            "title": _("Regions compared"),
            "regions_chart": charts.regions_compared(rows),
        },
    )


@login_required
def formula_preview(request):
    """A formula version's table beside the current one, for a region: its committee,
    and federal staff (operators among them) for the region they choose."""
    scope = scope_for(request.user)
    if not access.may_read_ratings(scope):
        raise Http404
    code = request.GET.get("region")
    every_region = access.may_read_every_region(scope)
    # Federal staff first choose a region; anyone else reads their own (or gets a 404).
    region = selectors.region_for(scope=scope, code=code) if code or not every_region else None
    versions = selectors.formula_versions()
    candidate = selectors.formula_to_preview(
        versions=versions, asked=request.GET.get("version"), today=timezone.localdate()
    )
    preview = (
        services.formula_preview(candidate=candidate, region_id=region.pk)
        if region is not None and candidate is not None
        else None
    )
    return render(
        request,
        "ratings/formula_preview.html",
        {
            "region": region,
            "regions": selectors.regions_sorted() if every_region else [],
            "versions": versions,
            "candidate": candidate,
            "preview": preview,
        },
    )


@login_required
def topic_analytics(request):
    scope = scope_for(request.user)
    if not access.may_read_ratings(scope):
        raise Http404
    region = selectors.region_for(scope=scope, code=request.GET.get("region"))
    until = timezone.now()
    try:
        months = min(24, max(1, int(request.GET.get("months", "12"))))
    except ValueError:
        months = 12
    since = until - timedelta(days=30 * months)
    level = request.GET.get("level")
    level = level if level in selectors.LEVELS else "top"
    table = selectors.topic_analytics(region_id=region.pk, since=since, until=until, level=level)
    return render(
        request,
        "ratings/topic_analytics.html",
        {
            "region": region,
            "months": months,
            **table,
            "months_chart": charts.topic_months(
                months=table["chart_months"],
                topics=table["chart_topics"],
                published=table["by_months"],
            ),
        },
    )
