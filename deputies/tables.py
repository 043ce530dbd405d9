import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Region


class RegionTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"), attrs={"td": {"class": "nowrap"}})
    name = tables.Column(verbose_name=_("Region"), accessor="display_name", linkify=True,
                         order_by=("name",))  # fmt: skip
    deputies_count = tables.Column(
        verbose_name=_("Deputies accepting appeals"),
        attrs={"th": {"class": "num text-wrap"}, "td": {"class": "num"}},
    )

    class Meta:
        model = Region
        fields = ["code", "name", "deputies_count"]
        attrs = {"class": "table table-hover align-middle", "aria-labelledby": "regions-title"}
        empty_text = _("No regions.")
