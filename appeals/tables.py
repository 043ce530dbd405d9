"""The appeal pages' django-tables2 tables."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData

from core.templatetags.ui import deadline_badge, status_tag


class OrderedRows(TableListData):
    """A page of rows the database has ordered: the table shows the order in its header
    and leaves the rows as they are."""

    def order_by(self, aliases):
        pass


class DeputyQueueTable(tables.Table):
    """The deputy's queue, one page of it: the page's rows come already filtered, ordered
    and cut by the view (its paginator counts what the index answers), and the table
    draws them. Only the orders an index serves are sortable."""

    number = tables.Column(
        verbose_name=_("Number"), orderable=False, attrs={"td": {"class": "appeal-number"}}
    )
    subject = tables.Column(verbose_name=_("Subject and topic"), orderable=False)
    place = tables.Column(
        verbose_name=_("Municipality and address"),
        accessor="municipality",
        orderable=False,
        empty_values=(),
    )
    status = tables.Column(verbose_name=_("Status"), orderable=False)
    deadline = tables.Column(
        verbose_name=_("Deadline"), order_by=("deadline", "pk"), attrs={"td": {"class": "nowrap"}}
    )
    registered = tables.Column(
        verbose_name=_("Received"),
        accessor="registered_at",
        order_by=("registered_at", "pk"),
        attrs={"td": {"class": "nowrap"}},
    )

    caption = _("Appeals")

    class Meta:
        template_name = "components/table.html"
        order_by_field = "ordering"
        attrs = {"id": "queue", "class": "table table-hover align-middle queue-table"}
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def __init__(self, rows, *, new_messages=frozenset(), today=None, **kwargs):
        super().__init__(OrderedRows(list(rows)), **kwargs)
        self.new_messages = new_messages
        self.today = today

    def render_number(self, record):
        return format_html(
            '<a href="{}" class="appeal-number">{}</a>', record.get_absolute_url(), record.number
        )

    def render_subject(self, record, value):
        """The subject with its topic under it, and the mark of a citizen's message the
        deputy has not answered yet."""
        mark = (
            format_html(
                '<span class="new-message-mark">{}</span>', _("New message from the citizen")
            )
            if record.pk in self.new_messages
            else ""
        )
        return format_html(
            '<span class="queue-subject">{}</span><span class="queue-topic">{}</span>{}',
            value,
            record.topic.display_name,
            mark,
        )

    def render_place(self, record):
        place = record.municipality.display_name if record.municipality_id else "—"
        if not record.address:
            return place
        return format_html('{}<br><span class="text-muted small">{}</span>', place, record.address)

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def render_deadline(self, record):
        badge = deadline_badge({"today": self.today}, record.deadline, record.is_open)
        date = date_format(record.deadline, "d.m.Y")
        return format_html("{}<br>{}", date, badge) if badge else date

    def render_registered(self, record):
        return date_format(timezone.localtime(record.registered_at), "d.m.Y")
