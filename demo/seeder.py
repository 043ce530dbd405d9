"""Fills a database with a consistent demo: regions' municipalities and districts,
deputies with accounts, committee staff, citizens, and appeals in every state with
their messages, events and feedback.

Appeals are generated oldest first, in chunks written with bulk inserts, so memory
stays flat and a million appeals take minutes. The same seed and the same `now`
give the same data.
"""

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.otp import STAFF_ROLES, demo_authenticators_create
from appeals.models import (
    Appeal,
    AppealEvent,
    AppealNumberSequence,
    Attachment,
    Message,
    Topic,
)
from deputies.models import Body, CommitteeMembership, Deputy, District, Municipality, Region
from feedback.models import Feedback
from ratings.models import RatingRun, RatingSnapshot

from . import texts

DEMO_DOMAIN = "demo.test"
# The documented password of the demo accounts; never used outside demo data.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
# The documented TOTP key (base32) of every demo staff account's authenticator: its code
# is `oathtool --totp -b IZBIRATELDEMOIZBIRATELDEMO234567`, or any app given this key.
DEMO_TOTP_SECRET = "IZBIRATELDEMOIZBIRATELDEMO234567"  # noqa: S105  # nosec B105
# Appeals written per transaction: big enough for fast inserts, small enough for flat memory.
CHUNK = 2000
# Regions that get three times the deputies and citizens of the others.
BIG_REGIONS = {
    "77",
    "50",
    "78",
    "23",
    "66",
    "16",
    "02",
    "61",
    "52",
    "74",
    "54",
    "63",
    "24",
    "59",
    "36",
    "34",
    "26",
    "38",
    "05",
}
# A region whose deputies do not accept appeals: shows the committee's unassigned queue.
QUIET_REGION = "87"
TOPIC_WEIGHTS = {
    "housing": 26,
    "roads": 14,
    "landscaping": 13,
    "healthcare": 9,
    "education": 7,
    "social": 10,
    "environment": 4,
    "safety": 5,
    "economy": 4,
    "culture": 3,
    "other": 5,
}
FACTION = "Фракция «Народный выбор»"
DAY = timedelta(days=1)
OPEN = Appeal.OPEN_STATUSES


@dataclass
class Counts:
    deputies: int = 0
    citizens: int = 0
    appeals: int = 0
    events: int = 0
    messages: int = 0
    feedback: int = 0
    by_status: dict = field(default_factory=dict)


def demo_email(kind, number=None):
    return f"{kind}@{DEMO_DOMAIN}" if number is None else f"{kind}-{number}@{DEMO_DOMAIN}"


def flush_demo():
    """Remove everything but the reference data (regions, their centres and bodies, topics)."""
    for model in (Feedback, AppealEvent, Message, Attachment):
        model.objects.all()._raw_delete(model.objects.db)
    Appeal.objects.all()._raw_delete(Appeal.objects.db)
    AppealNumberSequence.objects.all().delete()
    RatingSnapshot.objects.all()._raw_delete(RatingSnapshot.objects.db)
    RatingRun.objects.all().delete()
    Deputy.objects.all().delete()
    District.objects.all().delete()
    CommitteeMembership.objects.all().delete()
    Body.objects.filter(level=Body.Level.MUNICIPAL, municipality__is_admin_centre=False).delete()
    Municipality.objects.filter(is_admin_centre=False).delete()
    User.objects.filter(email__endswith="@" + DEMO_DOMAIN).delete()


class DemoSeeder:
    def __init__(self, *, deputies, appeals, citizens, seed, now, progress=None):
        self.n_deputies = deputies
        self.n_appeals = appeals
        self.n_citizens = citizens
        # Seeded on purpose: the same seed gives the same demo; nothing secret is drawn.
        self.rng = random.Random(seed)  # nosec B311
        self.now = now
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.progress = progress or (lambda n: None)
        self.counts = Counts()
        self.password = make_password(DEMO_PASSWORD)
        self.sequences = {}

    # --- people and places --------------------------------------------------

    def run(self):
        with transaction.atomic():
            self._places()
            self._deputies()
            self._staff()
            self._authenticators()
            self._citizens()
        self._appeals()
        with transaction.atomic():
            self._finish()
        self._analyze()
        return self.counts

    @staticmethod
    def _analyze():
        # Fresh statistics after millions of inserts, or the planner guesses badly
        # (a hash join over all users for one appeal's history) until autovacuum runs;
        # and the visibility map and hint bits a database in service has, or the first
        # requests that read each row write it back.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM cannot run in a transaction (a test's, say); ANALYZE then.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")

    def _places(self):
        self.regions = list(Region.objects.order_by("code"))
        self.region_weight = {r.pk: 3 if r.code in BIG_REGIONS else 1 for r in self.regions}
        extra = []
        for region in self.regions:
            for name in self.rng.sample(texts.EXTRA_MUNICIPALITIES, 4):
                extra.append(Municipality(region=region, name=name))
        Municipality.objects.bulk_create(extra, ignore_conflicts=True)
        self.municipalities = {}
        for m in Municipality.objects.order_by("region_id", "-is_admin_centre", "name"):
            self.municipalities.setdefault(m.region_id, []).append(m)
        self.bodies = {}
        for body in Body.objects.order_by("region_id", "level"):
            self.bodies.setdefault(body.region_id, {})[body.level] = body

    def _person(self):
        rng = self.rng
        surname = rng.choice(texts.SURNAMES)
        stem, suffix = rng.choice(texts.PATRONYMIC_STEMS)
        if rng.random() < 0.5:
            return f"{surname} {rng.choice(texts.MALE_FIRST)} {stem}{suffix}ич", "m"
        female_suffix = "ев" if suffix == "ев" else "ов"
        return f"{surname}а {rng.choice(texts.FEMALE_FIRST)} {stem}{female_suffix}на", "f"

    def _user(self, email, full_name, role, joined):
        return User(
            email=email,
            full_name=full_name,
            phone=f"+7 9{self.rng.randint(10, 99)} {self.rng.randint(100, 999)}-"
            f"{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}",
            role=role,
            password=self.password,
            date_joined=joined,
            email_confirmed_at=joined,
        )

    def _deputies(self):
        rng = self.rng
        per_region = dict.fromkeys((r.pk for r in self.regions), 0)
        regions = [r.pk for r in self.regions]
        weights = [self.region_weight[pk] for pk in regions]
        if self.n_deputies >= len(regions):
            for pk in regions:
                per_region[pk] = 1
            rest = self.n_deputies - len(regions)
        else:
            rest = self.n_deputies
        for pk in rng.choices(regions, weights=weights, k=rest):
            per_region[pk] += 1

        districts = []
        for region in self.regions:
            regional = self.bodies[region.pk]["regional"]
            for number, municipality in enumerate(self.municipalities[region.pk], start=1):
                districts.append(
                    (
                        District(
                            body=regional,
                            name=f"Одномандатный избирательный округ № {number}",
                            number=number,
                        ),
                        municipality,
                    )
                )
        District.objects.bulk_create([d for d, _ in districts])
        District.municipalities.through.objects.bulk_create(
            [
                District.municipalities.through(district_id=d.pk, municipality_id=m.pk)
                for d, m in districts
            ]
        )
        free_districts = {}
        for d, _ in districts:
            free_districts.setdefault(d.body.region_id, []).append(d)

        joined = self.now - timedelta(days=420)
        deputies, users = [], []
        number = itertools.count(1)
        for region in self.regions:
            bodies = self.bodies[region.pk]
            for _ in range(per_region[region.pk]):
                full_name, _sex = self._person()
                n = next(number)
                municipal = "municipal" in bodies and rng.random() < 0.6
                district = None
                if not municipal and free_districts[region.pk]:
                    district = free_districts[region.pk].pop(0)
                user = self._user(demo_email("deputy", f"{n:05d}"), full_name, "deputy", joined)
                users.append(user)
                deputies.append(
                    Deputy(
                        full_name=full_name,
                        region=region,
                        body=bodies["municipal" if municipal else "regional"],
                        district=district,
                        faction=FACTION,
                        accepts_appeals=region.code != QUIET_REGION and rng.random() > 0.02,
                        bio="Член постоянной комиссии по социальной политике. Приём граждан "
                        "по вторникам.",
                    )
                )
        if users:
            users[0].email = demo_email("deputy")
        User.objects.bulk_create(users, batch_size=1000)
        for deputy, user in zip(deputies, users, strict=True):
            deputy.user = user
        Deputy.objects.bulk_create(deputies, batch_size=1000)
        self.counts.deputies = len(deputies)

        self.deputies_by_region = {}
        for deputy in deputies:
            if deputy.accepts_appeals:
                self.deputies_by_region.setdefault(deputy.region_id, []).append(deputy)
        # Some deputies work better than others, so the rating has something to show.
        self.diligence = {d.pk: rng.uniform(0.25, 1.0) for d in deputies}
        self.popularity = {}
        for region_id, group in self.deputies_by_region.items():
            cumulative = list(itertools.accumulate(rng.lognormvariate(0, 0.6) for _ in group))
            self.popularity[region_id] = cumulative
        self.district_deputy = {}
        for deputy in deputies:
            if deputy.district_id and deputy.accepts_appeals:
                self.district_deputy[deputy.district_id] = deputy
        self.municipality_district = {
            m_id: d_id
            for d_id, m_id in District.municipalities.through.objects.filter(
                district__body__region__in=self.regions
            ).values_list("district_id", "municipality_id")
        }

    def _staff(self):
        joined = self.now - timedelta(days=420)
        users, memberships = [], []
        moscow = next((r for r in self.regions if r.code == "77"), self.regions[0])
        for region in self.regions:
            full_name, _ = self._person()
            email = demo_email("committee", region.code)
            if region.pk == moscow.pk:
                email = demo_email("committee")
            user = self._user(email, full_name, "committee", joined)
            users.append(user)
            memberships.append(CommitteeMembership(user=user, region=region, position="Аналитик"))
        federal_name, _ = self._person()
        users.append(self._user(demo_email("federal"), federal_name, "federal", joined))
        admin = self._user(demo_email("admin"), "Администратор демо", "admin", joined)
        admin.is_staff = admin.is_superuser = True
        users.append(admin)
        User.objects.bulk_create(users)
        CommitteeMembership.objects.bulk_create(memberships)

    def _authenticators(self):
        """Staff sign in with a second factor; the demo's all share the documented key."""
        staff = User.objects.filter(
            email__endswith="@" + DEMO_DOMAIN, role__in=sorted(STAFF_ROLES)
        ).values_list("pk", flat=True)
        demo_authenticators_create(user_ids=list(staff), secret=DEMO_TOTP_SECRET)

    def _citizens(self):
        rng = self.rng
        regions = [r.pk for r in self.regions]
        weights = [self.region_weight[pk] for pk in regions]
        home = rng.choices(regions, weights=weights, k=self.n_citizens)
        users = []
        for n in range(self.n_citizens):
            full_name, _ = self._person()
            joined = self.now - timedelta(days=rng.uniform(400, 430))
            email = demo_email("citizen") if n == 0 else demo_email("citizen", f"{n:07d}")
            users.append(self._user(email, full_name, "citizen", joined))
        User.objects.bulk_create(users, batch_size=2000)
        self.citizens = [(u.pk, region_id) for u, region_id in zip(users, home, strict=True)]
        self.counts.citizens = len(users)

    # --- appeals ------------------------------------------------------------

    def _appeals(self):
        rng = self.rng
        topics = list(Topic.objects.order_by("position"))
        self.topics = topics
        self.topic_weights = list(
            itertools.accumulate(TOPIC_WEIGHTS.get(t.slug, 3) for t in topics)
        )
        self.region_code = {r.pk: r.code for r in self.regions}
        # Registration times, oldest first, so numbers grow with time within a region.
        offsets = sorted((rng.uniform(0, 400) for _ in range(self.n_appeals)), reverse=True)
        for start in range(0, self.n_appeals, CHUNK):
            batch = offsets[start : start + CHUNK]
            with transaction.atomic():
                self._appeal_chunk(batch)
            # With DEBUG on, Django keeps every statement; bulk inserts would pile up in memory.
            reset_queries()
            self.progress(len(batch))

    def _number(self, region_id, when):
        year = when.astimezone(self.tz).year
        key = (region_id, year)
        value = self.sequences.get(key, 0) + 1
        self.sequences[key] = value
        return f"{self.region_code[region_id]}-{year}-{value:06d}"

    def _deadline(self, start, extra_days=0):
        # The law counts calendar days from registration.
        return start.astimezone(self.tz).date() + timedelta(days=30 + extra_days)

    def _appeal_chunk(self, offsets):
        rng = self.rng
        now = self.now
        plans = []
        for age in offsets:
            citizen_id, region_id = rng.choice(self.citizens)
            registered = now - timedelta(days=age)
            plans.append(self._plan(citizen_id, region_id, registered))

        appeals = [p["appeal"] for p in plans]
        Appeal.objects.bulk_create(appeals)
        events, messages, feedbacks = [], [], []
        for plan in plans:
            appeal = plan["appeal"]
            for kwargs in plan["events"]:
                events.append(AppealEvent(appeal_id=appeal.pk, **kwargs))
            for kwargs in plan["messages"]:
                messages.append(Message(appeal_id=appeal.pk, **kwargs))
            if plan["feedback"]:
                feedbacks.append(Feedback(appeal_id=appeal.pk, **plan["feedback"]))
            status = appeal.status
            self.counts.by_status[status] = self.counts.by_status.get(status, 0) + 1
        AppealEvent.objects.bulk_create(events)
        Message.objects.bulk_create(messages)
        Feedback.objects.bulk_create(feedbacks)
        self.counts.appeals += len(appeals)
        self.counts.events += len(events)
        self.counts.messages += len(messages)
        self.counts.feedback += len(feedbacks)

    def _route(self, region_id, municipality):
        """Mimics the routing rule: chosen, district, otherwise the region's busiest mix."""
        group = self.deputies_by_region.get(region_id)
        if not group:
            return None, None, ""
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            deputy = rng.choice(group)
            return deputy, deputy, f"выбран гражданином: {deputy.full_name}"
        district_id = self.municipality_district.get(municipality.pk) if municipality else None
        deputy = self.district_deputy.get(district_id)
        if deputy is not None and roll < 0.4:
            return deputy, None, f"{deputy.full_name}: округ включает {municipality.name}"
        cumulative = self.popularity[region_id]
        index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
        deputy = group[min(index, len(group) - 1)]
        return deputy, None, f"{deputy.full_name}: меньше всего открытых обращений в регионе"

    def _plan(self, citizen_id, region_id, registered):
        rng = self.rng
        now = self.now
        topic = self.topics[
            bisect.bisect(self.topic_weights, rng.random() * self.topic_weights[-1])
        ]
        municipality = rng.choice(self.municipalities[region_id]) if rng.random() < 0.85 else None
        subject = rng.choice(texts.SUBJECTS.get(topic.slug, texts.SUBJECTS["other"]))
        address = f"{rng.choice(texts.STREETS)}, д. {rng.randint(1, 120)}"
        text = " ".join(
            [
                rng.choice(texts.TEXT_OPENINGS).format(
                    subject=subject, subject_lower=subject.lower(), address=address
                ),
                *rng.sample(texts.TEXT_BODIES, 2),
            ]
        )
        appeal = Appeal(
            number=self._number(region_id, registered),
            citizen_id=citizen_id,
            region_id=region_id,
            municipality=municipality,
            address=address if rng.random() < 0.7 else "",
            topic=topic,
            subject=subject,
            text=text,
            registered_at=registered,
            clock_started_at=registered,
            deadline=self._deadline(registered),
            consent_at=registered,
            consent_version=settings.PERSONAL_DATA_CONSENT_VERSION,
        )
        events = [
            {
                "type": "registered",
                "actor_id": citizen_id,
                "created_at": registered,
                "to_status": "submitted",
            }
        ]
        messages, feedback = [], None
        plan = {"appeal": appeal, "events": events, "messages": messages, "feedback": None}

        deputy, chosen, reason = self._route(region_id, municipality)
        if deputy is None:
            events.append(
                {
                    "type": "queued",
                    "created_at": registered,
                    "reason": "в регионе нет депутатов, принимающих обращения",
                }
            )
            return plan

        appeal.deputy = deputy
        appeal.chosen_deputy = chosen
        appeal.status = "assigned"
        appeal.assigned_at = registered
        events.append(
            {
                "type": "routed",
                "created_at": registered,
                "from_status": "submitted",
                "to_status": "assigned",
                "deputy_id": deputy.pk,
                "reason": reason,
            }
        )

        group = self.deputies_by_region[region_id]
        if len(group) > 1 and rng.random() < 0.03:
            # Arrived at another deputy first and was redirected within the 7 days.
            first = rng.choice([d for d in group[:8] if d.pk != deputy.pk] or [deputy])
            moved = registered + timedelta(days=rng.uniform(0.5, 6.5))
            if moved < now and first.pk != deputy.pk:
                events[-1]["deputy_id"] = first.pk
                events[-1]["reason"] = f"{first.full_name}: меньше всего открытых обращений"
                events.append(
                    {
                        "type": "redirected",
                        "actor_id": first.user_id,
                        "created_at": moved,
                        "deputy_id": deputy.pk,
                        "from_status": "assigned",
                        "to_status": "assigned",
                        "reason": rng.choice(texts.REDIRECT_REASONS),
                        "params": {"from_deputy": first.pk},
                    }
                )
                appeal.clock_started_at = moved
                appeal.assigned_at = moved
                appeal.deadline = self._deadline(moved)
        start = appeal.clock_started_at
        diligence = self.diligence[deputy.pk]
        actor = deputy.user_id

        taken = start + timedelta(days=rng.uniform(0.05, 3.0) * (1.6 - diligence))
        if taken > now:
            return plan
        appeal.status = "in_progress"
        appeal.taken_at = taken
        events.append(
            {
                "type": "taken",
                "actor_id": actor,
                "created_at": taken,
                "from_status": "assigned",
                "to_status": "in_progress",
            }
        )

        roll = rng.random()
        if roll < 0.04:
            when = taken + timedelta(days=rng.uniform(0.1, 3))
            if when < now:
                reason = rng.choice(Appeal.RejectionReason.values)
                appeal.status, appeal.closed_at = "rejected", when
                appeal.rejection_reason = reason
                events.append(
                    {
                        "type": "rejected",
                        "actor_id": actor,
                        "created_at": when,
                        "from_status": "in_progress",
                        "to_status": "rejected",
                        "reason": Appeal.RejectionReason(reason).label,
                        "params": {"reason": reason},
                    }
                )
            return plan
        if roll < 0.07:
            when = taken + timedelta(days=rng.uniform(0.1, 10))
            if when < now:
                appeal.status, appeal.closed_at = "withdrawn", when
                events.append(
                    {
                        "type": "withdrawn",
                        "actor_id": citizen_id,
                        "created_at": when,
                        "from_status": "in_progress",
                        "to_status": "withdrawn",
                        "reason": "Вопрос решён до ответа",
                    }
                )
            return plan

        allowed = 30
        if rng.random() < 0.05:
            extension = rng.randint(10, 30)
            when = start + timedelta(days=rng.uniform(15, 28))
            if when < now:
                allowed += extension
                appeal.extended_days = extension
                appeal.extension_reason = rng.choice(texts.EXTENSION_REASONS)
                appeal.deadline = self._deadline(start, extension)
                events.append(
                    {
                        "type": "extended",
                        "actor_id": actor,
                        "created_at": when,
                        "reason": appeal.extension_reason,
                        "params": {"days": extension},
                    }
                )
        if rng.random() < 0.12:
            messages.append(
                {
                    "author_id": citizen_id,
                    "kind": "follow_up",
                    "text": rng.choice(texts.FOLLOW_UPS),
                    "created_at": taken + DAY * 0.5,
                }
            )
            if taken + DAY * 0.5 > now:
                messages.pop()
            else:
                events.append(
                    {"type": "follow_up", "actor_id": citizen_id, "created_at": taken + DAY * 0.5}
                )

        if rng.random() < 0.04 + 0.12 * (1 - diligence):
            return plan  # never answered: overdue once the deadline passes
        if rng.random() < 0.72 + 0.26 * diligence:
            days = min(allowed - 0.1, rng.expovariate(1 / (3 + 20 * (1 - diligence))) + 0.2)
        else:
            days = allowed + rng.uniform(1, 25)
        answered = start + timedelta(days=days)
        if answered > now:
            return plan
        if days > 4 and rng.random() < 0.3:
            interim = taken + (answered - taken) / 2
            messages.append(
                {
                    "author_id": actor,
                    "kind": "interim",
                    "text": rng.choice(texts.INTERIM_REPLIES),
                    "created_at": interim,
                }
            )
            events.append({"type": "interim_reply", "actor_id": actor, "created_at": interim})
        messages.append(
            {
                "author_id": actor,
                "kind": "answer",
                "text": rng.choice(texts.ANSWERS),
                "created_at": answered,
            }
        )
        events.append(
            {
                "type": "answered",
                "actor_id": actor,
                "created_at": answered,
                "from_status": "in_progress",
                "to_status": "answered",
            }
        )
        appeal.status, appeal.answered_at = "answered", answered

        rated = answered + timedelta(days=rng.uniform(0.2, 7))
        if rng.random() < 0.5 and rated < now:

            def score(mean):
                return max(1, min(5, round(rng.gauss(mean, 0.9))))

            solved_roll = rng.random()
            feedback = {
                "citizen_id": citizen_id,
                "deputy_id": deputy.pk,
                "overall": score(1.6 + 3.2 * diligence),
                "solved": "yes"
                if solved_roll < 0.15 + 0.6 * diligence
                else ("partly" if solved_roll < 0.4 + 0.5 * diligence else "no"),
                "speed": score(5.2 - days / 8),
                "personal": score(1.5 + 3.3 * diligence),
                "comment": rng.choice(texts.FEEDBACK_COMMENTS),
                "created_at": rated,
                "updated_at": rated,
            }
            plan["feedback"] = feedback
            events.append({"type": "feedback", "actor_id": citizen_id, "created_at": rated})
            closed = rated
        else:
            closed = answered + timedelta(days=14)
        if closed < now:
            appeal.status, appeal.closed_at = "closed", closed
            events.append(
                {
                    "type": "closed",
                    "created_at": closed,
                    "from_status": "answered",
                    "to_status": "closed",
                    "reason": "оценка гражданина" if plan["feedback"] else "14 дней после ответа",
                }
            )
        return plan

    # --- derived state ------------------------------------------------------

    def _finish(self):
        AppealNumberSequence.objects.bulk_create(
            [
                AppealNumberSequence(region_id=region_id, year=year, last=last)
                for (region_id, year), last in self.sequences.items()
            ]
        )
        open_count = (
            Appeal.objects.filter(deputy=OuterRef("pk"), status__in=OPEN)
            .order_by()
            .values("deputy")
            .annotate(n=Count("pk"))
            .values("n")
        )
        last_assigned = (
            Appeal.objects.filter(deputy=OuterRef("pk"))
            .order_by()
            .values("deputy")
            .annotate(at=Max("assigned_at"))
            .values("at")
        )
        Deputy.objects.update(
            open_appeals=Coalesce(Subquery(open_count), Value(0)),
            last_assigned_at=Subquery(last_assigned),
        )


def demo_now():
    """Today at noon, Moscow time: reruns on the same day give the same data."""
    tz = ZoneInfo(settings.TIME_ZONE)
    today = datetime.now(tz).date()
    return datetime(today.year, today.month, today.day, 12, 0, tzinfo=tz)


def consistency_problems():
    """Checks the invariants the demo promises; returns a list of what is wrong."""
    checks = {
        "appeal routed to a deputy of another region": Appeal.objects.filter(
            deputy__isnull=False
        ).exclude(deputy__region=F("region")),
        "worked appeal without a deputy": Appeal.objects.filter(
            deputy__isnull=True, status__in=["assigned", "in_progress", "answered", "closed"]
        ),
        "answered appeal without an answer": Appeal.objects.filter(
            status__in=["answered", "closed"]
        ).exclude(messages__kind="answer"),
        "feedback on an unanswered appeal": Feedback.objects.exclude(
            appeal__status__in=["answered", "closed"]
        ),
        "feedback by someone other than the appeal's citizen": Feedback.objects.exclude(
            citizen=F("appeal__citizen")
        ),
        "feedback deputy differs from the appeal's": Feedback.objects.exclude(
            deputy=F("appeal__deputy")
        ),
        "appeal without its registration event": Appeal.objects.exclude(events__type="registered"),
        "deputy open-appeal counter out of date": Deputy.objects.annotate(
            real=Count("appeals", filter=Q(appeals__status__in=OPEN))
        ).exclude(open_appeals=F("real")),
    }
    return [problem for problem, qs in checks.items() if qs.exists()]
