"""The table of the citizen's appeals (django-tables2): its cells reuse the design
system's status tag and deadline badge."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.templatetags.ui import deadline_badge, status_tag
from deputies.selectors import place_label

from .. import search


class MyAppealsTable(tables.Table):
    number = tables.Column(
        verbose_name=_("Number"),
        linkify=True,
        order_by=("registered_at", "pk"),
        attrs={"td": {"class": "appeal-number"}},
    )
    subject = tables.Column(verbose_name=_("Subject"), attrs={"td": {"class": "appeal-subject"}})
    deputy = tables.Column(
        verbose_name=_("Deputy"),
        accessor="deputy__full_name",
        default=_("not yet assigned"),
        order_by=("deputy__full_name", "pk"),
    )
    place = tables.Column(
        verbose_name=_("Municipality"), accessor="municipality_id", orderable=False, default="—"
    )
    status = tables.Column(verbose_name=_("Status"))
    days_left = tables.Column(
        verbose_name=_("Days left"),
        accessor="deadline",
        order_by=("deadline", "pk"),
        attrs={"td": {"class": "nowrap"}},
    )
    last_activity = tables.DateTimeColumn(
        verbose_name=_("Last activity"),
        format="d.m.Y H:i",
        attrs={"td": {"class": "nowrap"}},
    )

    class Meta:
        attrs = {"class": "table table-hover align-middle my-appeals", "id": "my-appeals"}
        row_attrs = {"class": lambda record: "unread" if record.unread else None}
        empty_text = _("No appeals match the search.")
        template_name = "appeals/includes/table.html"

    def __init__(self, *args, query=None, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.query, self.scope = query, scope

    def render_subject(self, value, record):
        cell = value
        if record.unread:
            cell = format_html(
                '{} <span class="unread-mark badge rounded-pill">{}</span>',
                value,
                _("new reply"),
            )
        if self.query:
            # The searched words in their place, marked (appeals.search.fragments).
            piece = search.fragments([record], self.query, scope=self.scope).get(record.pk)
            if piece:
                cell = format_html('{}<span class="search-fragment">{}</span>', cell, piece)
        return cell

    def render_place(self, value, record):
        return place_label(region_id=record.region_id, municipality_id=value) or "—"

    def render_status(self, value, record):
        return status_tag(record.status, record.get_status_display())

    def render_days_left(self, value, record):
        return deadline_badge({"today": self.today}, value, record.is_open) or "—"
