from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
AT_LEAST_ONE = [MinValueValidator(1)]
# The weights are stored exactly, but SQLite adds them as floats (0.3 + 0.7 ≠ 1 there).
WEIGHT_SUM_TOLERANCE = 1e-9


class RatingFormula(models.Model):
    """A version of the rating's parameters. The newest version in effect applies: one
    takes effect from its `effective_from` day (empty: from when it was saved, as
    versions made before dates existed), so it can be previewed before it counts."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    window_days = models.PositiveIntegerField(
        _("window, days"), default=365, validators=AT_LEAST_ONE
    )
    weight_speed = models.DecimalField(
        _("weight of speed"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=WEIGHT_VALIDATORS,
    )
    weight_quality = models.DecimalField(
        _("weight of quality"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=WEIGHT_VALIDATORS,
    )
    prior_speed = models.PositiveIntegerField(
        _("prior weight of speed (appeals)"), default=10, validators=AT_LEAST_ONE
    )
    prior_quality = models.PositiveIntegerField(
        _("prior weight of quality (feedback)"), default=10, validators=AT_LEAST_ONE
    )
    min_sample = models.PositiveIntegerField(
        _("minimum matured appeals"), default=10, validators=AT_LEAST_ONE
    )
    note = models.TextField(_("what changed"), blank=True)
    effective_from = models.DateField(
        _("takes effect from"),
        null=True,
        blank=True,
        help_text=_(
            "The first day whose recomputes use this version. Until then its effect can be "
            "previewed beside the current table."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("rating formula")
        verbose_name_plural = _("rating formulas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_speed__gte=0, weight_quality__gte=0)
                & models.Q(weight_speed__lte=1, weight_quality__lte=1),
                name="formula_weights_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1), name="formula_window_positive"
            ),
            # Weights summing to 1 keep the score within 0..100.
            models.CheckConstraint(
                condition=models.Q(
                    GreaterThanOrEqual(
                        models.F("weight_speed") + models.F("weight_quality"),
                        Value(1 - WEIGHT_SUM_TOLERANCE),
                    ),
                    LessThanOrEqual(
                        models.F("weight_speed") + models.F("weight_quality"),
                        Value(1 + WEIGHT_SUM_TOLERANCE),
                    ),
                ),
                name="formula_weights_sum_to_one",
                violation_error_message=_(
                    "The weights of speed and quality must add up to 1 (for example 0.6 and 0.4)."
                ),
            ),
            # A zero prior weight would let one lucky answer top the table.
            models.CheckConstraint(
                condition=models.Q(prior_speed__gte=1, prior_quality__gte=1),
                name="formula_priors_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(min_sample__gte=1), name="formula_min_sample_positive"
            ),
        ]

    def __str__(self):
        return _("Formula v%(version)s") % {"version": self.version}

    def clean(self):
        super().clean()
        # Tables already computed name the version they used: a new one cannot reach back.
        past = self.effective_from is not None and self.effective_from < timezone.localdate()
        if self._state.adding and past:
            raise ValidationError(
                {"effective_from": _("A new version cannot take effect in the past.")}
            )

    def in_effect_on(self, day) -> bool:
        return self.effective_from is None or self.effective_from <= day


class RatingRunQuerySet(models.QuerySet):
    def complete(self):
        return self.filter(status=RatingRun.Status.COMPLETE)

    def covering(self, region_id=None):
        """Complete runs that hold a table of this region: every full run, and the
        region's own event runs. Without a region: full runs only."""
        complete = self.complete()
        if region_id is None:
            return complete.filter(region__isnull=True)
        return complete.filter(models.Q(region__isnull=True) | models.Q(region_id=region_id))

    def current(self, region_id=None):
        """The run readers see: the newest complete one covering the region."""
        return self.covering(region_id).order_by("-finished_at", "-pk").first()


class RatingRun(models.Model):
    """One computation. Its snapshots become visible together when it is complete; the
    partial unique constraint lets only one run be `running` at a time."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        EVENT = "event", _("Answer or feedback")
        MANUAL = "manual", _("Manual")

    formula = models.ForeignKey(RatingFormula, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    # Empty for a full run; a region for a recompute after an answer or feedback there.
    region = models.ForeignKey(
        "deputies.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    national_speed = models.FloatField(_("national mean speed"), null=True, blank=True)
    national_quality = models.FloatField(_("national mean quality"), null=True, blank=True)
    deputies_count = models.PositiveIntegerField(_("deputies"), default=0)

    objects = RatingRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("rating run")
        verbose_name_plural = _("rating runs")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="rating_one_run_at_a_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["-finished_at"],
                condition=models.Q(status="complete"),
                name="run_complete_idx",
            )
        ]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} v{self.formula_id}"


class RatingSnapshot(models.Model):
    run = models.ForeignKey(RatingRun, on_delete=models.CASCADE, related_name="snapshots")
    formula = models.ForeignKey(RatingFormula, on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="rating_snapshots"
    )
    region = models.ForeignKey("deputies.Region", on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey("deputies.Body", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField(_("computed at"))
    # Inputs
    appeals_count = models.PositiveIntegerField(_("appeals"), default=0)
    matured_count = models.PositiveIntegerField(_("matured appeals"), default=0)
    on_time_count = models.PositiveIntegerField(_("answered on time"), default=0)
    feedback_voices = models.PositiveIntegerField(_("citizens who rated"), default=0)
    median_days = models.FloatField(_("median days to the final answer"), null=True, blank=True)
    solved_share = models.FloatField(_("share solved"), null=True, blank=True)
    average_feedback = models.FloatField(_("average feedback"), null=True, blank=True)
    # Components
    speed_raw = models.FloatField(_("speed, own mean"), null=True, blank=True)
    speed = models.FloatField(_("speed"))
    quality_raw = models.FloatField(_("quality, own mean"), null=True, blank=True)
    quality = models.FloatField(_("quality"))
    on_time_low = models.FloatField(
        _("on-time share, lower bound of the 95 percent interval"), null=True, blank=True
    )
    on_time_high = models.FloatField(
        _("on-time share, upper bound of the 95 percent interval"), null=True, blank=True
    )
    score = models.FloatField(_("score"))
    previous_score = models.FloatField(_("score in the previous table"), null=True, blank=True)
    enough_data = models.BooleanField(_("enough data"), default=False)
    rank_region = models.PositiveIntegerField(_("rank in the region"), null=True, blank=True)
    rank_body = models.PositiveIntegerField(_("rank in the body"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating snapshot")
        verbose_name_plural = _("rating snapshots")
        constraints = [
            models.UniqueConstraint(fields=["run", "deputy"], name="snapshot_one_per_run"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="snapshot_score_0_100"
            ),
            models.CheckConstraint(
                condition=models.Q(speed__gte=0, speed__lte=1, quality__gte=0, quality__lte=1),
                name="snapshot_components_0_1",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "region", "rank_region"], name="snapshot_region_idx"),
            models.Index(fields=["deputy", "computed_at"], name="snapshot_deputy_idx"),
        ]

    def __str__(self):
        return f"{self.deputy_id} {self.score:.1f}"

    @property
    def change(self):
        """Score change since the previous table, for rated deputies."""
        if not self.enough_data or self.previous_score is None:
            return None
        return round(self.score - self.previous_score, 2)

    @property
    def on_time_share(self):
        return self.on_time_count / self.matured_count if self.matured_count else None


class RecomputeRequest(models.Model):
    """The outbox of event recomputes. An answer or a feedback writes a row in its own
    transaction, so a request never talks to the broker and nothing is lost while Redis
    is away; a beat job runs what is due. At most one row per region waits at a time
    (later changes ride along), which is the debounce."""

    region = models.ForeignKey("deputies.Region", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("due at"))
    claim = models.UUIDField(_("claimed by"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    run = models.ForeignKey(
        RatingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        verbose_name = _("recompute request")
        verbose_name_plural = _("recompute requests")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(taken_at__isnull=True),
                name="recompute_one_waiting_per_region",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True),
                name="recompute_due_idx",
            )
        ]

    def __str__(self):
        return f"{self.region_id} {self.requested_at:%Y-%m-%d %H:%M:%S}"


class HotSpotAlertQuerySet(models.QuerySet):
    def visible_to(self, scope):
        from deputies.access import hot_spot_filter

        return self.filter(hot_spot_filter(scope))


class HotSpotAlert(models.Model):
    """A municipality × topic whose week rose well above its own previous weeks
    (ratings/hotspots). Counts are people: one citizen's appeals in a cell-week count
    once. The job refreshes the numbers of an alert; the committee's decision stays."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    region = models.ForeignKey(
        "deputies.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    # The place the topic analytics shows: a unit counts in its city district.
    municipality = models.ForeignKey(
        "deputies.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
    )
    # A top topic folds its subtopics; a subtopic is its own row.
    topic = models.ForeignKey(
        "appeals.Topic", on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    week = models.DateField(_("week (its Monday)"))
    count = models.PositiveIntegerField(_("people who wrote"))
    baseline = models.FloatField(_("baseline, people a week"))
    p_value = models.FloatField(_("p-value"))
    score = models.FloatField(_("score (−log10 p)"))
    # The cell's weeks, oldest first, the alert's week last: the sparkline without a query.
    series = models.JSONField(_("weekly counts"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    mailed_at = models.DateTimeField(_("in a digest since"), null=True, blank=True)

    objects = HotSpotAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "-score"]
        verbose_name = _("hot spot alert")
        verbose_name_plural = _("hot spot alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "topic", "week"], name="hot_spot_one_per_cell_week"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "-week"], name="hot_spot_region_week_idx"),
            models.Index(
                fields=["region"],
                condition=models.Q(mailed_at__isnull=True),
                name="hot_spot_unmailed_idx",
            ),
        ]

    def __str__(self):
        return f"{self.municipality_id}/{self.topic_id} {self.week}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ratings:hot_spot", args=[self.pk])
