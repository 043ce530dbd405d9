from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies import access

from .topic import Topic


class AppealQuerySet(models.QuerySet):
    def visible_to(self, scope):
        return self.filter(access.appeal_filter(scope))

    def open(self):
        return self.filter(status__in=Appeal.OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(deadline__lt=today)


class Appeal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RejectionReason(models.TextChoices):
        # The grounds of 59-FZ, art. 11.
        NO_CONTACT = "no_contact", _("No name or postal/e-mail address to reply to")
        OBSCENE = "obscene", _("Obscene or offensive language, threats")
        UNREADABLE = "unreadable", _("The text cannot be read or does not show what is asked")
        REPEAT = "repeat", _("Repeats a question already answered on the merits")
        COURT_DECISION = "court_decision", _("Challenges a court decision")
        ANSWERED_PUBLICLY = "answered_publicly", _("The question was already answered publicly")

    OPEN_STATUSES = (Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS)

    number = models.CharField(_("number"), max_length=20)  # unique: appeal_number_unique
    # Foreign keys without their own index where a composite index below starts with them:
    # every index is paid on every filing.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        db_index=False,
        related_name="appeals",
        verbose_name=_("citizen"),
    )
    region = models.ForeignKey(
        "deputies.Region", on_delete=models.PROTECT, db_index=False, related_name="appeals"
    )
    municipality = models.ForeignKey(
        "deputies.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="appeals")
    # The topic the citizen chose when filing; `topic` may since have been corrected by
    # the deputy. What the topic model learns from and the corrections are counted by.
    citizen_topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # read only with the appeal, never searched by
        related_name="+",
        verbose_name=_("topic chosen by the citizen"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    # The lemmas of number, subject, text and address (appeals.search.document), written
    # with the row: word forms and vowel drops are one word to the search indexes.
    search_lemmas = models.TextField(_("search lemmas"), blank=True, default="", editable=False)
    chosen_deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deputy chosen by the citizen"),
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="appeals",
        verbose_name=_("deputy"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    registered_at = models.DateTimeField(_("registered at"))
    # When the current deputy's clock started: registration, or the last redirect.
    clock_started_at = models.DateTimeField(_("clock started at"))
    # The last day on which an answer is on time, inclusive.
    deadline = models.DateField(_("deadline"))
    extended_days = models.PositiveSmallIntegerField(_("extended by, days"), default=0)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken into work at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=32, choices=RejectionReason.choices, blank=True
    )
    rejection_details = models.TextField(_("rejection details"), blank=True)
    # The deputy for whom the appeal counts as missed (speed 0): the one it was taken
    # from when overdue, or who held it when it was rejected or withdrawn after the
    # deadline. Once set, the appeal counts in nobody else's speed.
    missed_by = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # appeal_missed_by_idx, partial: filings do not pay for it
        related_name="+",
        verbose_name=_("counted as missed for"),
    )
    # When the committee assigned it from the unassigned queue: the queue's days are
    # the committee's figure, not a deputy's.
    left_queue_at = models.DateTimeField(_("assigned from the queue at"), null=True, blank=True)
    consent_at = models.DateTimeField(_("personal-data consent given at"))
    consent_version = models.CharField(_("personal-data consent version"), max_length=20)
    # A repeat appeal ("не согласен с ответом") names the appeal whose answer it disputes.
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,  # appeal_repeat_of_idx: few appeals are repeats
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    # A member of a collective appeal: answered together with the others.
    collective = models.ForeignKey(
        "appeals.CollectiveAppeal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,  # appeal_collective_idx: few appeals are members
        related_name="appeals",
        verbose_name=_("collective appeal"),
    )
    # Set by the filing form or the Idempotency-Key header so a resubmission finds its appeal.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            # A constraint, not unique=True, which would add a second (LIKE) index on PostgreSQL.
            models.UniqueConstraint(fields=["number"], name="appeal_number_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "submitted",
                        "assigned",
                        "in_progress",
                        "answered",
                        "closed",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="appeal_status_valid",
            ),
            # The law allows one extension of at most 30 days.
            models.CheckConstraint(
                condition=models.Q(extended_days__lte=30), name="appeal_extension_max_30"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="appeal_rejection_has_reason",
            ),
            # Only an unassigned appeal may lack a deputy.
            models.CheckConstraint(
                condition=models.Q(status="submitted")
                | models.Q(status="withdrawn")
                | models.Q(status="rejected")
                | models.Q(deputy__isnull=False),
                name="appeal_worked_has_deputy",
            ),
            models.UniqueConstraint(
                fields=["citizen", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="appeal_idempotency_key_unique",
            ),
        ]
        indexes = [
            # Deputy dashboard: queue by status and deadline, counters.
            models.Index(fields=["deputy", "status", "deadline"], name="appeal_deputy_status_idx"),
            # The dashboard's table in any view: a page's ids are read from one of these
            # two alone (filters on the included columns), then its 25 rows by id, so a
            # deep page or all 20,000 appeals by deadline skip index entries, not rows.
            models.Index(
                fields=["deputy", "registered_at", "id"],
                include=["status", "topic", "municipality"],
                name="appeal_deputy_reg_idx",
            ),
            models.Index(
                fields=["deputy", "deadline", "id"],
                include=["status", "topic", "municipality"],
                name="appeal_deputy_deadline_idx",
            ),
            # Its filters by topic and by municipality, in the default order: the count
            # and any page from the index alone (3,573 of 20,000 appeals: 12 -> 1 ms).
            models.Index(
                fields=["deputy", "topic", "deadline", "id"],
                include=["status"],
                name="appeal_deputy_topic_idx",
            ),
            models.Index(
                fields=["deputy", "municipality", "deadline", "id"],
                include=["status"],
                name="appeal_deputy_municipality_idx",
            ),
            # The open queue in deadline order (the dashboard's default and overdue
            # views): a page is the first entries here, not a sort of the whole queue.
            models.Index(
                fields=["deputy", "deadline", "id"],
                condition=models.Q(status__in=["submitted", "assigned", "in_progress"]),
                name="appeal_deputy_open_idx",
            ),
            # Committee analytics and the rating window: a region over time. On PostgreSQL
            # it carries what a region's recompute and topic counts read, so they scan
            # the index alone instead of a heap page per appeal (0.2 s for Moscow).
            models.Index(
                fields=["region", "registered_at"],
                include=[
                    "deputy",
                    "topic",
                    "status",
                    "deadline",
                    "clock_started_at",
                    "answered_at",
                    "missed_by",
                    "id",
                ],
                name="appeal_region_window_idx",
            ),
            models.Index(
                fields=["missed_by"],
                condition=models.Q(missed_by__isnull=False),
                name="appeal_missed_by_idx",
            ),
            # The committee's figures: appeals that left its queue, by region and time.
            models.Index(
                fields=["region", "registered_at"],
                condition=models.Q(left_queue_at__isnull=False),
                name="appeal_left_queue_idx",
            ),
            # Reminders and overdue queues.
            models.Index(fields=["status", "deadline"], name="appeal_status_deadline_idx"),
            models.Index(fields=["citizen", "registered_at"], name="appeal_citizen_reg_idx"),
            # The committee's queue of unassigned appeals.
            models.Index(
                fields=["region", "registered_at"],
                condition=models.Q(deputy__isnull=True),
                name="appeal_unassigned_idx",
            ),
            models.Index(
                fields=["repeat_of"],
                condition=models.Q(repeat_of__isnull=False),
                name="appeal_repeat_of_idx",
            ),
            models.Index(
                fields=["collective"],
                condition=models.Q(collective__isnull=False),
                name="appeal_collective_idx",
            ),
            # The dashboard's "answered this month": the deputy's final answers by time,
            # counted from the index alone. A filing writes no entry (no answer yet).
            models.Index(
                fields=["deputy", "answered_at"],
                condition=models.Q(answered_at__isnull=False),
                name="appeal_deputy_answered_idx",
            ),
            # Auto-closing answered appeals 14 days after the answer.
            models.Index(
                fields=["answered_at"],
                condition=models.Q(status="answered"),
                name="appeal_answered_idx",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("appeals:appeal_detail", kwargs={"number": self.number})

    @property
    def status_label(self) -> str:
        # get_status_display() builds the choices' dict on each call: 2 ms a page of rows.
        return self.Status(self.status).label

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.deadline < timezone.localdate()


class AppealNumberSequence(models.Model):
    """The last issued public number per region and year; taken under a row lock."""

    region = models.ForeignKey("deputies.Region", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="appeal_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.region_id}-{self.year}: {self.last}"
