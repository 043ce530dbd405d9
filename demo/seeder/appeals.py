"""Appeals with their messages, events and feedback, generated oldest first in chunks written
with bulk inserts; then the state derived from them (number sequences, deputies' counters)."""

import bisect
import itertools
from datetime import timedelta

from django.conf import settings
from django.db import reset_queries, transaction
from django.db.models import Count, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from appeals.events import Why
from appeals.models import Appeal, AppealEvent, AppealNumberSequence, Message, Topic
from appeals.search import document as search_document
from demo import texts
from deputies.models import Deputy
from feedback.models import Feedback

from .common import OPEN

# Appeals written per transaction: big enough for fast inserts, small enough for flat memory.
CHUNK = 2000
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
    "trade": 6,
    "other": 5,
}
# Most citizens pick a subtopic; the rest leave the top topic alone.
SUBTOPIC_SHARE = 0.85
DAY = timedelta(days=1)


class AppealsSeeding:
    """DemoSeeder's steps for appeals; needs the places, deputies and citizens made before."""

    def _appeals(self):
        rng = self.rng
        every = list(Topic.objects.filter(is_active=True).order_by("position"))
        topics = [t for t in every if t.parent_id is None]
        self.subtopics = {t.pk: [s for s in every if s.parent_id == t.pk] for t in topics}
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
            return None, None, Why.NO_DEPUTY
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            deputy = rng.choice(group)
            return deputy, deputy, Why.CHOSEN
        district_id = self.municipality_district.get(municipality.pk) if municipality else None
        deputy = self.district_deputy.get(district_id)
        if deputy is not None and roll < 0.4:
            return deputy, None, Why.DISTRICT
        cumulative = self.popularity[region_id]
        index = bisect.bisect(cumulative, rng.random() * cumulative[-1])
        deputy = group[min(index, len(group) - 1)]
        return deputy, None, Why.LEAST_LOADED

    def _plan(self, citizen_id, region_id, registered):
        rng = self.rng
        now = self.now
        topic = self.topics[
            bisect.bisect(self.topic_weights, rng.random() * self.topic_weights[-1])
        ]
        municipality = rng.choice(self.municipalities[region_id]) if rng.random() < 0.85 else None
        children = self.subtopics.get(topic.pk)
        about = rng.choice(children) if children else topic  # what the letter is about
        if children and rng.random() < SUBTOPIC_SHARE:
            topic = about
        letters = texts.TOPIC_TEXTS.get(about.slug)
        if letters:
            subject, letter = rng.choice(letters)
        else:  # a topic added in the admin, without texts of its own
            subject, letter = rng.choice(texts.SUBJECTS["other"]), ""
        address = f"{rng.choice(texts.STREETS)}, д. {rng.randint(1, 120)}"
        text = " ".join(
            [
                rng.choice(texts.TEXT_OPENINGS).format(
                    subject=subject, subject_lower=subject.lower(), address=address
                ),
                letter,
                rng.choice(texts.TEXT_BODIES),
            ]
        ).replace("  ", " ")
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
        appeal.search_lemmas = search_document(
            appeal.number, appeal.subject, appeal.text, appeal.address
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

        deputy, chosen, why = self._route(region_id, municipality)
        if deputy is None:
            events.append({"type": "queued", "created_at": registered, "params": {"why": why}})
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
                "params": {"why": why},
            }
        )

        group = self.deputies_by_region[region_id]
        if len(group) > 1 and rng.random() < 0.03:
            # Arrived at another deputy first and was redirected within the 7 days.
            first = rng.choice([d for d in group[:8] if d.pk != deputy.pk] or [deputy])
            moved = registered + timedelta(days=rng.uniform(0.5, 6.5))
            if moved < now and first.pk != deputy.pk:
                events[-1]["deputy_id"] = first.pk
                events[-1]["params"] = {"why": Why.LEAST_LOADED}
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
                    "params": {"why": Why.RATED if plan["feedback"] else Why.NO_FEEDBACK},
                }
            )
        return plan

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
