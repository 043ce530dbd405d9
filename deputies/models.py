from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedNameMixin:
    """Reference data carries a Russian and an English name; pages show the current one."""

    @property
    def display_name(self):
        if (get_language() or "ru").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Region(LocalizedNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("deputies:region_detail", kwargs={"code": self.code})


class Municipality(LocalizedNameMixin, models.Model):
    """A municipal formation or a part of a city: the federal cities' okrugs, districts
    and intra-city units, a region's centre and its city districts; the rest of the
    country from the OKTMO classifier (manage.py load_oktmo). A deputy's electoral
    district that covers a place covers the places under it."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        CITY_DISTRICT = "city_district", _("city district")
        ADMIN_OKRUG = "admin_okrug", _("administrative okrug")
        DISTRICT = "district", _("district")
        INTRACITY = "intracity", _("intra-city municipality")
        MUNICIPAL_DISTRICT = "municipal_district", _("municipal district")
        MUNICIPAL_OKRUG = "municipal_okrug", _("municipal okrug")
        URBAN_OKRUG = "urban_okrug", _("urban okrug")
        SETTLEMENT = "settlement", _("settlement")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    # The official classifier's code (OKTMO), 8 digits, or 11 for a settlement's place.
    oktmo = models.CharField(_("OKTMO code"), max_length=11, blank=True)
    is_admin_centre = models.BooleanField(_("administrative centre"), default=False)

    class Meta:
        ordering = ["region__code", "-is_admin_centre", "name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            # Names repeat across a region (a «Ленинский сельсовет» in many districts),
            # never among the places of one parent.
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=models.Q(parent__isnull=True),
                name="municipality_unique_name",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=models.Q(parent__isnull=False),
                name="municipality_unique_name_in_parent",
            ),
            models.UniqueConstraint(
                fields=["oktmo"], condition=~models.Q(oktmo=""), name="municipality_unique_oktmo"
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(is_admin_centre=True),
                name="municipality_one_admin_centre",
            ),
        ]

    def __str__(self):
        return self.name


class Body(LocalizedNameMixin, models.Model):
    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional legislature")
        MUNICIPAL = "municipal", _("Municipal council")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="bodies")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)

    class Meta:
        ordering = ["region__code", "level", "name"]
        verbose_name = _("representative body")
        verbose_name_plural = _("representative bodies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["regional", "municipal"]), name="body_level_valid"
            ),
            # A council belongs to a municipality; a legislature to the region as a whole.
            models.CheckConstraint(
                condition=(
                    models.Q(level="regional", municipality__isnull=True)
                    | models.Q(level="municipal", municipality__isnull=False)
                ),
                name="body_municipality_matches_level",
            ),
            models.UniqueConstraint(fields=["region", "name"], name="body_unique_name"),
        ]

    def __str__(self):
        return self.name


class District(LocalizedNameMixin, models.Model):
    """An electoral district of a body; a deputy elected there answers its municipalities."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="districts")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="districts", blank=True, verbose_name=_("municipalities")
    )

    class Meta:
        ordering = ["body", "number", "name"]
        verbose_name = _("electoral district")
        verbose_name_plural = _("electoral districts")
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="district_unique_name"),
        ]

    def __str__(self):
        return self.name


class DeputyQuerySet(models.QuerySet):
    def able_to_act(self):
        """Deputies with a working account: the committee may give them an appeal."""
        from .access import DEPUTY_CAN_ACT

        return self.filter(DEPUTY_CAN_ACT)

    def accepting(self):
        """Routing and the citizen's choice: those who take appeals and can act on them."""
        return self.able_to_act().filter(accepts_appeals=True)

    def count_open(self, delta: int, *, assigned_now=None) -> int:
        """Move the open-appeal counters routing reads; `assigned_now` also marks an
        assignment. Never below zero: a counter that drifted must not make an answer
        fail."""
        changes = {"open_appeals": Greatest(models.F("open_appeals") + delta, 0)}
        if assigned_now is not None:
            changes["last_assigned_at"] = assigned_now
        return self.update(**changes)


class Deputy(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="deputies")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="deputies")
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="deputies"
    )
    faction = models.CharField(_("faction"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="deputies/", blank=True)
    bio = models.TextField(_("about"), blank=True)
    accepts_appeals = models.BooleanField(_("accepts appeals"), default=True)
    # PROTECT: deleting the account of a deputy who accepts appeals would leave them
    # routed appeals nobody can read; unlink or deactivate it first.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("account"),
    )
    # Routing reads these instead of counting appeals; the appeal services keep them current.
    open_appeals = models.PositiveIntegerField(_("open appeals"), default=0)
    last_assigned_at = models.DateTimeField(_("last assigned at"), null=True, blank=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        indexes = [
            # Routing: the least-loaded active deputy of a region, oldest assignment first.
            models.Index(
                fields=["region", "accepts_appeals", "open_appeals", "last_assigned_at"],
                name="deputy_routing_idx",
            ),
            models.Index(fields=["region", "full_name"], name="deputy_region_name_idx"),
        ]
        constraints = [
            # Routed appeals must reach someone who can read them. The body's region
            # lives in another table, so clean() checks that one.
            models.CheckConstraint(
                condition=models.Q(accepts_appeals=False) | models.Q(user__isnull=False),
                name="deputy_accepting_has_account",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("deputies:deputy_detail", kwargs={"pk": self.pk})

    def clean(self):
        from .access import deputy_can_act

        errors = {}
        if self.body_id and self.region_id and self.body.region_id != self.region_id:
            errors["body"] = _(
                "This body belongs to another region: %(region)s. Choose a body of the "
                "deputy's region."
            ) % {"region": self.body.region}
        if self.district_id and self.body_id and self.district.body_id != self.body_id:
            errors["district"] = _("This electoral district belongs to another body.")
        if self.accepts_appeals and not deputy_can_act(self):
            errors["accepts_appeals"] = _(
                "A deputy accepts appeals only with an active deputy account linked: "
                "otherwise the appeals routed to them would go unread. Link the account "
                "or clear the flag."
            )
        if errors:
            raise ValidationError(errors)


class CommitteeMembership(models.Model):
    """Binds a committee account to the one region whose executive committee it works for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_membership"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="committee_members")
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")

    def __str__(self):
        return f"{self.user} — {self.region}"
