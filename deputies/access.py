"""The one place that decides who may see what.

A request's user becomes a Scope; querysets filter by it (`visible_to`) and
single-object fetches go through `get_for`, which answers 404 alike for
"missing" and "not yours", so existence never leaks.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from accounts.models import User

Role = User.Role


@dataclass(frozen=True)
class Scope:
    role: str | None  # None: anonymous
    user_id: int | None = None
    region_id: int | None = None
    deputy_id: int | None = None
    staff: bool = False  # Django's is_staff: the admin site's own gate

    @property
    def is_anonymous(self):
        return self.role is None

    @property
    def is_citizen(self):
        return self.role == Role.CITIZEN

    @property
    def is_deputy(self):
        return self.role == Role.DEPUTY and self.deputy_id is not None

    @property
    def is_committee(self):
        return self.role == Role.COMMITTEE and self.region_id is not None

    @property
    def is_federal(self):
        return self.role in (Role.FEDERAL, Role.ADMIN)

    @property
    def sees_ratings(self):
        return self.is_committee or self.is_federal

    def sees_region(self, region_id):
        """Committee pages: a committee its own region, federal staff every region."""
        return self.is_federal or (self.is_committee and self.region_id == region_id)


ANONYMOUS = Scope(role=None)


def scope_for(user) -> Scope:
    """Cached on the user object: at most one query per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    role = user.role
    scope = Scope(role=role, user_id=user.pk, staff=user.is_staff)
    # Through the user's own relations, which keep the row: a view that needs the
    # deputy (the dashboard) reads it from there instead of asking again.
    if role == Role.DEPUTY:
        deputy = getattr(user, "deputy", None)
        scope = replace(scope, deputy_id=deputy.pk if deputy else None)
    elif role == Role.COMMITTEE:
        membership = getattr(user, "committee_membership", None)
        scope = replace(scope, region_id=membership.region_id if membership else None)
    user._access_scope = scope
    return scope


NOTHING = Q(pk__in=[])

# Deputies who can act on an appeal: they read and answer it through their own active
# deputy account. Routing's SQL (appeals/routing.py) writes the same condition out.
DEPUTY_CAN_ACT = Q(user__isnull=False, user__is_active=True, user__role=Role.DEPUTY)


def deputy_can_act(deputy) -> bool:
    """An appeal given to a deputy without a working account would wait unread."""
    user = deputy.user if deputy.user_id else None
    return user is not None and user.is_active and user.role == Role.DEPUTY


def waits_for_committee(appeal, today) -> bool:
    """The committee's queue: open appeals with no deputy, or past their deadline."""
    return appeal.deputy_id is None or appeal.deadline < today


def may_take_over(deputy, appeal, today) -> bool:
    """Who may be given an appeal by a redirect or an assignment: another deputy of its
    region who can act. Only appeals in the committee's queue may go to a deputy who
    does not take appeals automatically: the committee has asked them personally."""
    return (
        deputy.region_id == appeal.region_id
        and deputy.pk != appeal.deputy_id
        and deputy_can_act(deputy)
        and (deputy.accepts_appeals or waits_for_committee(appeal, today))
    )


def appeal_filter(scope: Scope) -> Q:
    """Which appeals a scope may open: a citizen their own, a deputy those assigned
    to them, a committee its region's, federal staff all."""
    if scope.is_federal:
        return Q()
    if scope.is_committee:
        return Q(region_id=scope.region_id)
    if scope.is_deputy:
        return Q(deputy_id=scope.deputy_id)
    if scope.is_citizen:
        return Q(citizen_id=scope.user_id)
    return NOTHING


def can_see_appeal(scope: Scope, appeal) -> bool:
    """`appeal_filter` for one appeal already read: who may know it exists and where
    it stands (its number, status, deputy), not its text."""
    if scope.is_federal:
        return True
    if scope.is_committee:
        return appeal.region_id == scope.region_id
    if scope.is_deputy:
        return appeal.deputy_id == scope.deputy_id
    if scope.is_citizen:
        return appeal.citizen_id == scope.user_id
    return False


def appeal_text_filter(scope: Scope) -> Q:
    """`can_read_appeal_text` as a filter: the appeals whose text the scope may read, so
    a search by words matches the text of those only (the rest by number and subject)."""
    if scope.is_citizen:
        return Q(citizen_id=scope.user_id)
    if scope.is_deputy:
        return Q(deputy_id=scope.deputy_id)
    if scope.is_committee:
        return Q(region_id=scope.region_id, deputy_id__isnull=True)
    return NOTHING


def reads_every_text_it_sees(scope: Scope) -> bool:
    """Whether the scope reads the text of every appeal `appeal_filter` lets it see."""
    return scope.is_citizen or scope.is_deputy


def is_appeal_deputy(scope: Scope, appeal) -> bool:
    """The deputy the appeal is assigned to: the one who works on it."""
    return scope.is_deputy and appeal.deputy_id == scope.deputy_id


def is_appeal_citizen(scope: Scope, appeal) -> bool:
    """The citizen who filed the appeal: they withdraw it, write to the deputy, rate it."""
    return scope.is_citizen and appeal.citizen_id == scope.user_id


def can_read_appeal_text(scope: Scope, appeal) -> bool:
    """The text is special-category personal data: only those who must act on it read it."""
    if scope.is_citizen:
        return appeal.citizen_id == scope.user_id
    if scope.is_deputy:
        return appeal.deputy_id == scope.deputy_id
    if scope.is_committee:
        # The committee acts on an appeal only while it waits in its unassigned queue.
        return appeal.region_id == scope.region_id and appeal.deputy_id is None
    return False


# History entries whose reason is the citizen's own free text (it may hold health or
# contacts); the other reasons are the deputy's, the committee's or the system's.
CITIZEN_WRITTEN_REASONS = frozenset({"withdrawn"})


def can_read_event_reason(scope: Scope, appeal, event_type: str) -> bool:
    """Everyone who sees the history sees what happened; the citizen's own words in it
    go only to those who may read the appeal's text."""
    if event_type in CITIZEN_WRITTEN_REASONS:
        return can_read_appeal_text(scope, appeal)
    return True


# A citizen who disagrees with the answer may file a repeat appeal within 30 days of it.
REPEAT_WINDOW_DAYS = 30


def repeat_allowed_until(appeal) -> date | None:
    """The last day (inclusive, calendar days as the law counts) a repeat may be filed."""
    if appeal.answered_at is None or appeal.status not in ("answered", "closed"):
        return None
    return timezone.localdate(appeal.answered_at) + timedelta(days=REPEAT_WINDOW_DAYS)


def can_file_repeat(scope: Scope, appeal, *, today: date) -> bool:
    """The appeal's citizen, once it has a final answer and for 30 days after it."""
    until = repeat_allowed_until(appeal)
    return is_appeal_citizen(scope, appeal) and until is not None and today <= until


def can_read_first_appeal(scope: Scope, repeat) -> bool:
    """Whoever reads a repeat appeal reads the thread it disputes, on the repeat's page
    only: this gives no access to the first appeal itself (a deputy a repeat was
    redirected to still gets 404 there)."""
    return repeat.repeat_of_id is not None and can_read_appeal_text(scope, repeat)


def is_appeal_committee(scope: Scope, appeal) -> bool:
    """The executive committee of the appeal's region."""
    return scope.is_committee and scope.region_id == appeal.region_id


def can_assign_appeal(scope: Scope, appeal, *, today) -> bool:
    """A committee (re)assigns an open appeal of its region only while it waits in the
    unassigned queue or is past its deadline: a deputy working on time keeps it."""
    return (
        is_appeal_committee(scope, appeal)
        and appeal.is_open
        and (appeal.deputy_id is None or appeal.deadline < today)
    )


def can_see_citizen_contacts(scope: Scope, appeal) -> bool:
    """Contacts go to the citizen, the deputy who answers, and a committee only for its
    unassigned queue (SPEC, Roles)."""
    return can_read_appeal_text(scope, appeal)


def get_for(scope: Scope, queryset, **lookup):
    """Fetch one object of a `visible_to`-aware queryset or raise 404."""
    try:
        return queryset.visible_to(scope).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


# --- pages and their menus ----------------------------------------------------


def may_file_appeal(scope: Scope) -> bool:
    """Appeals, first or repeat, are filed from a citizen's account only."""
    return scope.is_citizen


def may_use_dashboard(scope: Scope) -> bool:
    """The deputy's dashboard needs a deputy account linked to a Deputy record."""
    return scope.is_deputy


def may_clear_queue(scope: Scope) -> bool:
    """The unassigned and overdue queue belongs to a committee bound to a region."""
    return scope.is_committee


def may_read_queue(scope: Scope, region_id: int) -> bool:
    """A region's queue: its committee, and federal staff for any region, who read it
    but do not assign (SPEC: federal sees everything a committee sees)."""
    return scope.sees_region(region_id)


def may_search_regions(scope: Scope) -> bool:
    """The committee's search over its region's appeals; federal staff search them all.
    What each finds is `appeal_filter`, the text's words `appeal_text_filter`."""
    return scope.is_committee or scope.is_federal


def may_administer(scope: Scope) -> bool:
    """Only a link in the menu: the admin site checks is_staff itself."""
    return scope.staff


def logs_contact_views(scope: Scope) -> bool:
    """Staff who read a citizen's contacts leave a trace; the citizen and the deputy
    answering do not."""
    return scope.is_committee or scope.is_federal


# --- ratings and insight --------------------------------------------------------


def may_read_ratings(scope: Scope) -> bool:
    """Rating tables and topic analytics: a committee and federal staff."""
    return scope.sees_ratings


def may_read_own_rating(scope: Scope) -> bool:
    return scope.is_deputy


def may_compare_regions(scope: Scope) -> bool:
    return scope.is_federal


def may_read_every_region(scope: Scope) -> bool:
    """Federal staff choose the region a page shows; a committee always sees its own."""
    return scope.is_federal


def home_region_id(scope: Scope) -> int | None:
    """The region a committee's pages show when none is asked for."""
    return scope.region_id if scope.is_committee else None


def work_region_id(scope: Scope, user) -> int | None:
    """The region a person works in: a deputy's, or the one whose committee they serve
    (the API's /me). The deputy row is the one `scope_for` read, kept on the user."""
    if scope.is_deputy:
        return user.deputy.region_id
    return home_region_id(scope)


def may_read_region(scope: Scope, region_id: int) -> bool:
    """Committee pages: a committee its own region, federal staff every region."""
    return scope.sees_region(region_id)


def may_read_deputy_rating(scope: Scope, deputy) -> bool:
    """A deputy's rating: those who read the region's ratings, and the deputy."""
    return may_read_region(scope, deputy.region_id) or (
        scope.is_deputy and scope.deputy_id == deputy.pk
    )


def hot_spot_filter(scope: Scope) -> Q:
    """Hot-spot alerts: a committee its region's, federal staff every region's."""
    if scope.is_federal:
        return Q()
    if scope.is_committee:
        return Q(region_id=scope.region_id)
    return NOTHING


def may_read_hot_spots(scope: Scope) -> bool:
    return scope.sees_ratings


def may_decide_hot_spot(scope: Scope, alert) -> bool:
    """Confirming or dismissing is the region's committee's call; federal staff read."""
    return scope.is_committee and scope.region_id == alert.region_id


@dataclass(frozen=True)
class PagePermissions:
    """The scope-level answers the templates read, as `may` (deputies.context_processors)."""

    file_appeal: bool
    use_dashboard: bool
    clear_queue: bool
    read_ratings: bool
    read_own_rating: bool
    read_own_region: bool
    read_every_region: bool
    compare_regions: bool
    search_regions: bool
    read_hot_spots: bool
    administer: bool


def page_permissions(scope: Scope) -> PagePermissions:
    return PagePermissions(
        file_appeal=may_file_appeal(scope),
        use_dashboard=may_use_dashboard(scope),
        clear_queue=may_clear_queue(scope),
        read_ratings=may_read_ratings(scope),
        read_own_rating=may_read_own_rating(scope),
        read_own_region=home_region_id(scope) is not None and may_read_ratings(scope),
        read_every_region=may_read_every_region(scope),
        compare_regions=may_compare_regions(scope),
        search_regions=may_search_regions(scope),
        read_hot_spots=may_read_hot_spots(scope),
        administer=may_administer(scope),
    )


# --- feedback -------------------------------------------------------------------

# A citizen may change their feedback for 7 days after leaving it.
FEEDBACK_CHANGE_DAYS = 7


def may_leave_feedback(scope: Scope, appeal, *, now: datetime) -> bool:
    """The appeal's citizen rates its final answer, and may change the rating for 7 days."""
    if not is_appeal_citizen(scope, appeal):
        return False
    existing = getattr(appeal, "feedback", None)  # RelatedObjectDoesNotExist is an AttributeError
    if existing is not None:
        return now <= existing.created_at + timedelta(days=FEEDBACK_CHANGE_DAYS)
    return appeal.status == ANSWERED


def feedback_counts(user) -> bool:
    """A deputy or committee account rating an answer is not a citizen's voice."""
    from .models import CommitteeMembership, Deputy  # the models import this module

    if user.role != Role.CITIZEN:
        return False
    return not (
        Deputy.objects.filter(user=user).exists()
        or CommitteeMembership.objects.filter(user=user).exists()
    )


# --- the appeal page's actions --------------------------------------------------

# Appeal statuses, spelled out: deputies sits below appeals and does not import it
# (tests/test_access_gate.py checks they equal Appeal.Status).
SUBMITTED, ASSIGNED, IN_PROGRESS, ANSWERED = "submitted", "assigned", "in_progress", "answered"
OPEN_STATUSES = (SUBMITTED, ASSIGNED, IN_PROGRESS)
IN_WORK = (ASSIGNED, IN_PROGRESS)
# A deputy may redirect an appeal within 7 days of its registration.
REDIRECT_WINDOW_DAYS = 7


def redirect_window_open(appeal, *, now: datetime) -> bool:
    return now <= appeal.registered_at + timedelta(days=REDIRECT_WINDOW_DAYS)


def may_redirect(scope: Scope, appeal, *, now: datetime) -> bool:
    return (
        is_appeal_deputy(scope, appeal)
        and appeal.status in IN_WORK
        and redirect_window_open(appeal, now=now)
    )


def may_extend(scope: Scope, appeal, *, today: date) -> bool:
    """Once, while the deadline has not passed."""
    return (
        is_appeal_deputy(scope, appeal)
        and appeal.status in IN_WORK
        and not appeal.extended_days
        and appeal.deadline >= today
    )


@dataclass(frozen=True)
class AppealActions:
    """What the appeal page offers this scope on this appeal; the services refuse the
    rest with the same functions (a deputy's action, a citizen's, the committee's)."""

    take: bool
    reply: bool
    supplement: bool
    redirect: bool
    extend: bool
    reject: bool
    withdraw: bool
    follow_up: bool
    assign: bool
    feedback: bool
    repeat: bool
    read_text: bool
    correct_topic: bool = False


def appeal_actions(scope: Scope, appeal, *, now: datetime) -> AppealActions:
    today = timezone.localdate(now)
    deputy = is_appeal_deputy(scope, appeal)
    citizen = is_appeal_citizen(scope, appeal)
    return AppealActions(
        take=deputy and appeal.status == ASSIGNED,
        reply=deputy and appeal.status in IN_WORK,
        supplement=deputy and appeal.status == ANSWERED,
        redirect=may_redirect(scope, appeal, now=now),
        extend=may_extend(scope, appeal, today=today),
        reject=deputy and appeal.status in OPEN_STATUSES,
        withdraw=citizen and appeal.status in OPEN_STATUSES,
        follow_up=citizen and appeal.status in (*OPEN_STATUSES, ANSWERED),
        assign=can_assign_appeal(scope, appeal, today=today),
        feedback=may_leave_feedback(scope, appeal, now=now),
        repeat=can_file_repeat(scope, appeal, today=today),
        read_text=can_read_appeal_text(scope, appeal),
        correct_topic=may_correct_topic(scope, appeal),
    )


def may_correct_topic(scope: Scope, appeal) -> bool:
    """The deputy who holds the appeal corrects its topic (the citizen's choice is kept
    beside it), at any stage but a withdrawal: a closed appeal still counts by topic."""
    return is_appeal_deputy(scope, appeal) and appeal.status != "withdrawn"


# --- webhooks for integrators ---------------------------------------------------


def may_manage_webhooks(scope: Scope) -> bool:
    """Webhook subscriptions belong to organisation accounts: a regional executive
    committee (its region's system) or the central office (all regions). A citizen or a
    deputy integrates nothing: they read their own appeals on the site or through the API."""
    return scope.is_committee or scope.is_federal


def webhook_filter(scope: Scope) -> Q:
    """Each account sees and changes its own subscriptions only, staff included (the
    admin site is theirs for the rest)."""
    if may_manage_webhooks(scope):
        return Q(owner_id=scope.user_id)
    return NOTHING


def webhook_may_receive(scope: Scope, appeal) -> bool:
    """An event about `appeal` goes to a subscription whose owner may see the appeal
    now: the committee of its region, federal staff."""
    return may_manage_webhooks(scope) and can_see_appeal(scope, appeal)


# --- duplicates and collective appeals --------------------------------------------


def may_see_similar(scope: Scope) -> bool:
    """ "N similar appeals" of other citizens, among the appeals the scope sees: the
    deputy, the committee, federal staff. A citizen sees their own appeals only."""
    return scope.is_deputy or scope.is_committee or scope.is_federal


def may_join_collective(scope: Scope, appeal) -> bool:
    """An open appeal with a deputy joins a collective appeal (or leaves it) by the hand
    of that deputy or of the region's committee. Every member is one deputy's, who
    answers them all; federal staff read, they do not join."""
    return (
        (is_appeal_deputy(scope, appeal) or is_appeal_committee(scope, appeal))
        and appeal.status in OPEN_STATUSES
        and appeal.deputy_id is not None
    )
