from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CollectiveAppeal(models.Model):
    """Appeals of several citizens about one problem, joined by their deputy or the
    region's committee and answered once: each member keeps its number, deadline and
    feedback (appeals.services.collective)."""

    region = models.ForeignKey("deputies.Region", on_delete=models.PROTECT, related_name="+")
    # The deputy who answers every member: members are that deputy's appeals.
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="collective_appeals"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("collective appeal")
        verbose_name_plural = _("collective appeals")

    def __str__(self):
        return self.title


class AppealFingerprint(models.Model):
    """What duplicate detection keeps of an appeal (appeals.duplicates): the MinHash
    signature of its text's lemma shingles, the numbers in it, and its normalised
    house-level address. Written after the filing commits, never on the request."""

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    signature = models.BinaryField()
    # The text's numbers (house, flat, route), sorted: «дом 5» and «дом 7» differ.
    numbers = models.CharField(max_length=200, blank=True)
    # "<region code>|<street>|<house>", or "" when the address names no house.
    address_key = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["address_key"],
                condition=~models.Q(address_key=""),
                name="fingerprint_address_idx",
            )
        ]

    def __str__(self):
        return f"{self.appeal_id}"


class AppealBand(models.Model):
    """One LSH band of an appeal's signature: appeals sharing a band are candidates,
    found through the index on `band`, never by scanning a region."""

    appeal = models.ForeignKey(
        "appeals.Appeal", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    band = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["band", "appeal"], name="band_lookup_idx"),
            models.Index(fields=["appeal"], name="band_appeal_idx"),
        ]

    def __str__(self):
        return f"{self.appeal_id}: {self.band}"
