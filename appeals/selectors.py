from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from core import reference
from core.months import last_months, month_of, month_start
from deputies import access
from deputies.access import (
    Scope,
    can_read_appeal_text,
    can_read_event_reason,
    can_read_first_appeal,
    get_for,
)
from deputies.models import Deputy
from deputies.selectors import regions_by_id

from .history import event_reason
from .models import Appeal, AppealEvent, Attachment, Message, Notification, Topic
from .services._common import QUEUE_DAYS

Status = Appeal.Status
DUE_SOON_DAYS = 5


def appeal_list(*, scope: Scope):
    # What the list page and the API list show; the API gives the municipality's id.
    return (
        Appeal.objects.visible_to(scope)
        .select_related("region", "topic", "deputy")
        .order_by("-registered_at", "-pk")
    )


def appeal_search_list(*, scope: Scope, region_id: int | None):
    """What the committee's search reads: the appeals the scope sees, of one region
    (federal staff without one: all), with what its rows show."""
    appeals = Appeal.objects.all()
    if region_id:
        # First, and as a bigint: PostgreSQL keeps the first of equal constants, and the
        # (region, head vector) GIN index (btree_gin, appeals 0013) compares a bigint
        # with a bigint only; with the gate's integer it read the region's every appeal.
        appeals = appeals.filter(region_id=Cast(Value(region_id), BigIntegerField()))
    return appeals.visible_to(scope).select_related("topic", "municipality", "deputy")


# Notifications that tell of a message or an answer in the appeal's thread: unread, they
# mark the appeal in its reader's list until the appeal's page is opened.
THREAD_NOTIFICATIONS = (Notification.Kind.ANSWERED, Notification.Kind.NEW_MESSAGE)


def my_appeal_list(*, scope: Scope):
    """The citizen's appeals for their list page: each with the time of its latest
    history entry (every message and status change writes one) and whether a message
    or an answer waits unread; one query for a page, whatever its length."""
    latest = AppealEvent.objects.filter(appeal=OuterRef("pk")).order_by("-created_at", "-id")
    unread = Notification.objects.filter(
        user_id=scope.user_id,
        appeal=OuterRef("pk"),
        kind__in=THREAD_NOTIFICATIONS,
        read_at__isnull=True,
    )
    return (
        Appeal.objects.visible_to(scope)
        .select_related("deputy")
        .annotate(last_activity=Subquery(latest.values("created_at")[:1]), unread=Exists(unread))
        .order_by("-registered_at", "-pk")
    )


def topics_active() -> dict:
    """The topics a citizen chooses from, in their order, from the per-process reference
    tables: the filing form draws and checks its list without a query. A subtopic is
    active only with its parent; each knows its parent row (Topic.full_name)."""
    rows = reference.table(
        "active topics by id",
        lambda: (
            Topic.objects.filter(is_active=True)
            .exclude(parent__is_active=False)
            .order_by("position", "name")
        ),
        "pk",
    )
    return _with_parents(rows)


def topics_by_id() -> dict:
    """Every topic, active or not, each knowing its parent row."""
    return _with_parents(reference.table("topics by id", Topic.objects.all(), "pk"))


def _with_parents(rows: dict) -> dict:
    for row in rows.values():
        if row.parent_id and row.parent_id in rows and not Topic.parent.is_cached(row):
            row.parent = rows[row.parent_id]
    return rows


def topic_tree(rows: dict) -> list[tuple]:
    """(top topic, [its subtopics]) in the order of the tree, from topic rows by id."""
    children = {}
    for row in rows.values():
        if row.parent_id:
            children.setdefault(row.parent_id, []).append(row)
    return [(row, children.get(row.pk, [])) for row in rows.values() if not row.parent_id]


def appeal_filed_with(*, citizen, idempotency_key: str) -> Appeal | None:
    """The citizen's appeal filed with this form token, if any."""
    if not idempotency_key:
        return None
    return Appeal.objects.filter(citizen=citizen, idempotency_key=idempotency_key).first()


def appeal_receipt_for(*, scope: Scope, number: str) -> Appeal:
    """The appeal's receipt is its citizen's: 404 for anyone else, as for a missing
    appeal. With the files sent with it."""
    appeal = get_for(
        scope,
        Appeal.objects.select_related("municipality", "deputy", "repeat_of").defer(
            "repeat_of__text"
        ),
        number=number,
    )
    if not access.is_appeal_citizen(scope, appeal):
        raise Http404
    appeal.initial_files = list(
        Attachment.objects.filter(appeal=appeal, message__isnull=True).order_by("pk")
    )
    return with_reference_rows(appeal)


def appeal_get_for(*, scope: Scope, number: str) -> Appeal:
    """404 alike for a missing appeal and for one the scope may not see. Region and
    topic come from memory, and only what the page shows is joined: PostgreSQL spent
    longer planning the former eight-table join (2.8 ms) than reading the rows."""
    appeal = get_for(
        scope,
        Appeal.objects.select_related("municipality", "deputy", "citizen", "feedback"),
        number=number,
    )
    return with_reference_rows(appeal)


def with_reference_rows(appeal: Appeal) -> Appeal:
    """Attach the appeal's region and topic from the per-process reference tables
    (`core.reference`); one not there yet is read from the database when used."""
    region = regions_by_id().get(appeal.region_id)
    topics = topics_by_id()
    topic = topics.get(appeal.topic_id)
    if appeal.citizen_topic_id in topics:
        appeal.citizen_topic = topics[appeal.citizen_topic_id]
    if region is not None:
        appeal.region = region
    if topic is not None:
        appeal.topic = topic
    return appeal


def appeal_for_action(*, scope: Scope, number: str) -> Appeal:
    """The appeal an API action names, for access only: the service re-reads it under
    a row lock, so nothing is joined here (404 alike for missing and not-yours)."""
    return get_for(scope, Appeal.objects.all(), number=number)


def appeal_thread(*, appeal: Appeal):
    """Messages with their authors and attachments, and the history, in three queries."""
    messages = (
        Message.objects.filter(appeal=appeal)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    history = AppealEvent.objects.filter(appeal=appeal).select_related("actor", "deputy")
    initial = Attachment.objects.filter(appeal=appeal, message__isnull=True).order_by("pk")
    return list(messages), list(history), list(initial)


@dataclass(frozen=True)
class TimelineItem:
    """One entry of the appeal's history as the timeline component draws it."""

    created_at: datetime
    title: str
    note: str
    type: str


def appeal_timeline(*, scope: Scope, appeal: Appeal, history) -> list[TimelineItem]:
    """The history for this scope, worded in the reader's language (appeals.history):
    everyone who sees the appeal sees what happened and when; a reason typed by the
    citizen only those who may read the appeal's text."""
    return [
        TimelineItem(
            created_at=event.created_at,
            title=event.get_type_display(),
            note=event_reason(event, appeal)
            if can_read_event_reason(scope, appeal, event.type)
            else "",
            type=event.type,
        )
        for event in history
    ]


def appeal_first_thread(*, scope: Scope, appeal: Appeal) -> dict | None:
    """The appeal a repeat disputes, with its letter and thread, for the repeat's page.
    Read by the repeat's link, not through `visible_to`: the rule is
    `can_read_first_appeal`, and it opens nothing but this view."""
    if not can_read_first_appeal(scope, appeal):
        return None
    first = Appeal.objects.filter(pk=appeal.repeat_of_id).select_related("deputy").first()
    if first is None:
        return None
    messages, _history, initial = appeal_thread(appeal=first)
    return {
        "appeal": with_reference_rows(first),
        "thread": messages,
        "initial_files": initial,
        # Whether the page may link to it: the citizen, or the deputy who answered it.
        "visible": Appeal.objects.visible_to(scope).filter(pk=first.pk).exists(),
    }


def appeal_active_repeat(*, scope: Scope, appeal: Appeal) -> Appeal | None:
    """The repeat filed on this appeal (not a withdrawn one), if this scope may open it."""
    return (
        Appeal.objects.visible_to(scope)
        .filter(repeat_of_id=appeal.pk)
        .exclude(status=Status.WITHDRAWN)
        .only("number", "status", "repeat_of_id")
        .first()
    )


def appeal_own_for_repeat(*, scope: Scope, number: str) -> Appeal:
    """The citizen's own appeal a repeat would dispute: 404 alike for missing and not yours."""
    if not access.may_file_appeal(scope):
        raise Http404
    return with_reference_rows(
        get_for(scope, Appeal.objects.select_related("municipality", "deputy"), number=number)
    )


def appeal_filed_with_key(*, citizen, key: str) -> Appeal | None:
    """The appeal the citizen filed with this idempotency key, if any (one indexed read:
    the unique constraint on citizen and key)."""
    return Appeal.objects.filter(citizen=citizen, idempotency_key=key).first()


def attachment_get_for(*, scope: Scope, number: str, token: str) -> Attachment:
    """Only those who may read the appeal's text may open its files; a repeat's reader
    also those of the appeal it disputes, through the repeat's number."""
    appeal = appeal_get_for(scope=scope, number=number)
    owners = [appeal.pk]
    if can_read_first_appeal(scope, appeal):
        owners.append(appeal.repeat_of_id)
    attachment = Attachment.objects.filter(appeal_id__in=owners, token=token).first()
    if attachment is None or not can_read_appeal_text(scope, appeal):
        raise Http404
    return attachment


def deputy_counters(*, deputy_id: int, today=None) -> dict:
    today = today or timezone.localdate()
    # Every counter is of open appeals and counts a column of the index on (deputy,
    # status, deadline), never null: the index then answers alone, without reading the
    # appeals themselves (counting ids made PostgreSQL read every one).
    return Appeal.objects.filter(deputy_id=deputy_id, status__in=Appeal.OPEN_STATUSES).aggregate(
        new=Count("status", filter=Q(status=Status.ASSIGNED)),
        in_progress=Count("status", filter=Q(status=Status.IN_PROGRESS)),
        due_soon=Count(
            "status",
            filter=Q(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)),
        ),
        overdue=Count("status", filter=Q(deadline__lt=today)),
    )


def deputy_answered_since(*, deputy_id: int, since) -> int:
    """Final answers the deputy gave since a moment (the month's start, for the
    dashboard). Only a final answer sets `answered_at`, and nothing reopens an answered
    appeal, so no status is read: the count is the index's alone."""
    return Appeal.objects.filter(deputy_id=deputy_id, answered_at__gte=since).count()


def deputy_appeals(*, deputy_id: int):
    """Every appeal of the deputy's, with what the dashboard's rows show; the page's
    FilterSet (appeals.filters.DeputyQueueFilter) narrows and orders them."""
    return Appeal.objects.filter(deputy_id=deputy_id).select_related("topic", "municipality")


def deputy_appeals_by_ids(*, deputy_id: int, ids: list[int]) -> list:
    """These appeals of the deputy's, in the order of `ids` (a page of the dashboard)."""
    found = deputy_appeals(deputy_id=deputy_id).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def appeals_with_new_messages(*, appeal_ids) -> set[int]:
    """Of these appeals, those where the citizen wrote after the deputy's last message
    (or wrote and the deputy has not replied yet). One grouped query for a page of rows,
    through the index on (appeal, created_at)."""
    if not appeal_ids:
        return set()
    follow_up = Q(kind=Message.Kind.FOLLOW_UP)
    rows = (
        Message.objects.filter(appeal_id__in=appeal_ids)
        .values("appeal_id")
        .annotate(
            citizen=Max("created_at", filter=follow_up), deputy=Max("created_at", filter=~follow_up)
        )
        .filter(citizen__isnull=False)
        .order_by()
    )
    return {
        row["appeal_id"] for row in rows if row["deputy"] is None or row["citizen"] > row["deputy"]
    }


LOAD_MONTHS = 12  # the deputy's load chart: this month and the eleven before


@dataclass(frozen=True)
class MonthLoad:
    month: date  # its first day
    received: int  # appeals that came to the deputy in the month (assigned or redirected)
    answered: int  # of the deputy's appeals, given their final answer in the month
    open_at_end: int  # neither answered nor closed at the month's end (now, this month)


def deputy_load(*, deputy_id: int, months: int = LOAD_MONTHS, now=None) -> list[MonthLoad]:
    """A deputy's load per month, for the last `months` months, every month present (a
    month without an appeal is a month of zeros).

    Counts the appeals the deputy holds now: one redirected away, or taken over by the
    committee, is no longer theirs. One grouped query whatever the number of appeals:
    the deputy's appeals open at some time of the window, counted by the month each came,
    was answered and stopped being open (answered, or closed without an answer); the
    months are read off that small histogram.
    """
    now = now or timezone.now()
    firsts = last_months(timezone.localdate(now), months)
    window_start = month_start(firsts[0])
    histogram = (
        Appeal.objects.filter(deputy_id=deputy_id, assigned_at__lt=now)
        .filter(Q(answered_at__isnull=True) | Q(answered_at__gte=window_start))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=window_start))
        .annotate(
            came=TruncMonth("assigned_at"),
            answered=TruncMonth("answered_at"),
            # An answered appeal closes later, so the answer is when it stopped being open.
            left=TruncMonth(Coalesce("answered_at", "closed_at")),
        )
        .values("came", "answered", "left")
        .annotate(n=Count("pk"))
        .order_by()
    )
    received, answered, still_open = defaultdict(int), defaultdict(int), defaultdict(int)
    for row in histogram:
        came, left, n = month_of(row["came"]), month_of(row["left"]), row["n"]
        received[came] += n
        if row["answered"] is not None:
            answered[month_of(row["answered"])] += n
        for month in firsts:
            if came <= month and (left is None or left > month):
                still_open[month] += n
    return [
        MonthLoad(
            month=month,
            received=received[month],
            answered=answered[month],
            open_at_end=still_open[month],
        )
        for month in firsts
    ]


def committee_queue(*, region_id: int, today=None):
    """Unassigned appeals of the region, then open ones past their deadline."""
    today = today or timezone.localdate()
    return (
        Appeal.objects.filter(region_id=region_id, status__in=Appeal.OPEN_STATUSES)
        .filter(Q(deputy__isnull=True) | Q(deadline__lt=today))
        # The deputy's account: the queue says when nobody can read the appeal.
        .select_related("topic", "municipality", "deputy__user", "citizen")
        .order_by("deadline", "pk")
    )


# The committee clears an appeal from its queue within this many days (SPEC): the
# services' rule, read here for the queue page.
COMMITTEE_QUEUE_DAYS = QUEUE_DAYS


def committee_assignees(*, region_id: int):
    """Every deputy of the region who can act, for the committee's manual assignment:
    those who take appeals automatically first."""
    return (
        Deputy.objects.able_to_act()
        .filter(region_id=region_id)
        .select_related("body", "user")  # the services check the account of the one chosen
        .order_by("-accepts_appeals", "full_name", "pk")
    )


def deputies_to_take_over(*, appeal, today):
    """Whom an appeal may go to by a redirect or an assignment (access.may_take_over):
    from the committee's queue any deputy of the region who can act, otherwise one who
    takes appeals."""
    if access.waits_for_committee(appeal, today):
        return committee_assignees(region_id=appeal.region_id).exclude(pk=appeal.deputy_id)
    return region_deputies_for_choice(region_id=appeal.region_id, exclude_id=appeal.deputy_id)


def region_deputies_for_choice(*, region_id: int, exclude_id: int | None = None):
    qs = Deputy.objects.accepting().filter(region_id=region_id).select_related("body", "user")
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("full_name", "pk")


def notification_list(*, user):
    return Notification.objects.filter(user=user).select_related("appeal")


UNREAD_SECONDS = 60


def unread_notifications(*, user) -> int:
    """The header's count on every page: kept in the cache, dropped whenever the person's
    notifications change (appeals.notifications); at worst a minute behind when a
    change and a count cross."""
    key = Notification.unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


# What the API's answer shows of an appeal's relations, besides region and topic (from
# memory). Each table joined costs PostgreSQL planning time on every read.
API_RELATED = ("deputy", "citizen")


def appeal_for_api(*, scope: Scope, number: str) -> Appeal:
    """The appeal with its thread and history prefetched, for the API's detail."""
    appeal = get_for(scope, Appeal.objects.select_related(*API_RELATED), number=number)
    return _with_thread(appeal)


def appeal_with_thread(*, appeal: Appeal) -> Appeal:
    """Re-read after an action: the caller acted on it a moment ago, though after a
    redirect it may no longer be theirs (the serializer then hides the text)."""
    return _with_thread(Appeal.objects.select_related(*API_RELATED).get(pk=appeal.pk))


def _with_thread(appeal: Appeal) -> Appeal:
    with_reference_rows(appeal)
    messages = Message.objects.order_by("created_at", "id").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    events = AppealEvent.objects.order_by("created_at", "id")
    prefetch_related_objects(
        [appeal], Prefetch("messages", queryset=messages), Prefetch("events", queryset=events)
    )
    return appeal


def appeal_just_filed(*, appeal: Appeal) -> Appeal:
    """A new appeal as `appeal_with_thread` would read it, without reading it: it has no
    messages yet and the filing wrote its history a moment ago. Spares the busiest
    request of the API three queries."""
    appeal._prefetched_objects_cache = {
        # Lists, as for the events: an empty queryset would still be compiled to be read.
        "messages": [],
        "events": list(appeal.filing_events),
    }
    return appeal


def contacts_for(*, scope: Scope, appeal: Appeal, via: str):
    """The citizen's contacts if this scope may see them; staff views are logged."""
    from deputies.access import can_see_citizen_contacts

    from .models import ContactAccessLog

    if not can_see_citizen_contacts(scope, appeal) or appeal.citizen is None:
        return None
    if access.logs_contact_views(scope):
        ContactAccessLog.objects.create(
            user_id=scope.user_id,
            appeal=appeal,
            citizen_id=appeal.citizen_id,
            viewed_at=timezone.now(),
            via=via,
        )
    citizen = appeal.citizen
    return {"full_name": citizen.full_name, "email": citizen.email, "phone": citizen.phone}


def topic_suggestions(*, text: str) -> list[dict]:
    """The topic model's suggestions for the text as the form offers them: the topic
    row (top or sub) with its parent, and the words that suggested it. Topics no longer
    active are left out."""
    from . import suggestions

    rows = topics_active()
    by_slug = {row.slug: row for row in rows.values()}
    found = []
    for candidate in suggestions.suggest(text):
        topic = by_slug.get(candidate.slug) or by_slug.get(candidate.top)
        if topic is not None and all(item["topic"].pk != topic.pk for item in found):
            found.append({"topic": topic, "words": candidate.words})
    return found


def collective_members(*, scope, appeal):
    """The members of the appeal's collective appeal the scope may see, oldest first."""
    return (
        Appeal.objects.visible_to(scope)
        .filter(collective_id=appeal.collective_id)
        .select_related("deputy")
        .order_by("registered_at", "pk")
    )
