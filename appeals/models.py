from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies import access
from deputies.models import LocalizedNameMixin


class Topic(LocalizedNameMixin, models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


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
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
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
            models.Index(fields=["deputy", "registered_at"], name="appeal_deputy_reg_idx"),
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


class Message(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim reply")
        ANSWER = "answer", _("Final answer")
        SUPPLEMENTARY = "supplementary", _("Supplementary answer")
        FOLLOW_UP = "follow_up", _("Citizen's follow-up")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["interim", "answer", "supplementary", "follow_up"]),
                name="message_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["appeal", "created_at"], name="message_appeal_idx")]

    def __str__(self):
        return f"{self.appeal_id} {self.kind}"


def attachment_path(instance, filename):
    # The stored name never comes from the user; the original is kept in a field.
    return f"appeals/{instance.appeal_id}/{instance.token}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="attachment_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(size__lte=10 * 1024 * 1024), name="attachment_size_max_10mb"
            ),
        ]

    def __str__(self):
        return self.original_name


class AppealEvent(models.Model):
    """Append-only history of an appeal; written only by appeals.events."""

    class Type(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ROUTED = "routed", _("Routed")
        QUEUED = "queued", _("Waiting in the committee's queue")
        ASSIGNED = "assigned", _("Assigned")
        TAKEN = "taken", _("Taken into work")
        INTERIM_REPLY = "interim_reply", _("Interim reply")
        FOLLOW_UP = "follow_up", _("Citizen's follow-up")
        ANSWERED = "answered", _("Answered")
        SUPPLEMENTARY = "supplementary", _("Supplementary answer")
        REPEAT_FILED = "repeat_filed", _("Repeat appeal filed")
        REDIRECTED = "redirected", _("Redirected")
        EXTENDED = "extended", _("Deadline extended")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FEEDBACK = "feedback", _("Feedback left")
        CLOSED = "closed", _("Closed")

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, db_index=False, related_name="events"
    )  # event_appeal_idx starts with it
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"))
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        indexes = [models.Index(fields=["appeal", "created_at"], name="event_appeal_idx")]

    def __str__(self):
        return f"{self.appeal_id} {self.type}"


class Notification(models.Model):
    """An on-site notification; the same event also goes out by e-mail.

    `key` makes a reminder idempotent: a job that runs twice finds its row and sends
    nothing the second time.
    """

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Your appeal was assigned to a deputy")
        REDIRECTED = "redirected", _("Your appeal was redirected")
        EXTENDED = "extended", _("The deadline of your appeal was extended")
        ANSWERED = "answered", _("Your appeal was answered")
        REJECTED = "rejected", _("Your appeal was rejected")
        FEEDBACK_REMINDER = "feedback_reminder", _("Please rate the answer")
        NEW_APPEAL = "new_appeal", _("A new appeal for you")
        NEW_MESSAGE = "new_message", _("A new message in the appeal")
        DUE_SOON = "due_soon", _("An appeal is due in 5 days")
        OVERDUE = "overdue", _("An appeal is overdue")
        ASSIGNED_FROM_QUEUE = (
            "assigned_from_queue",
            _("Your appeal was assigned to a deputy from the queue"),
        )
        REASSIGNED = "reassigned", _("Your appeal was handed to another deputy")
        QUEUE_DAY_3 = "queue_day_3", _("An appeal has waited 3 days for a deputy")
        QUEUE_DAY_7 = "queue_day_7", _("An appeal has waited 7 days for a deputy: assign it today")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,  # notification_user_idx starts with it
        related_name="notifications",
    )
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The notification table is also the e-mail outbox: null until the letter is sent.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "appeal", "kind", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"


class ContactAccessLog(models.Model):
    """Each time committee or central-office staff are shown a citizen's contacts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="contact_views")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewed_at = models.DateTimeField(_("viewed at"))
    via = models.CharField(_("via"), max_length=10)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("contact access")
        verbose_name_plural = _("contact access log")
        indexes = [models.Index(fields=["appeal", "-viewed_at"], name="contact_log_appeal_idx")]

    def __str__(self):
        return f"{self.user_id} → {self.appeal_id}"
