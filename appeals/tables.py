"""The appeal pages' django-tables2 tables."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData


class OrderedRows(TableListData):
    """A page of rows the database has ordered: the table shows the order in its header
    and leaves the rows as they are."""

    def order_by(self, aliases):
        pass


class DeputyQueueTable(tables.Table):
    """The deputy's queue, one page of it: the page's rows come already filtered, ordered
    and cut by the view (its paginator counts what the index answers). The table gives
    the header, its sorting and the container; its rows are drawn by
    `appeals/queue_table.html` from each appeal, in these columns' order. Only the orders
    an index serves are sortable."""

    number = tables.Column(verbose_name=_("Number"), orderable=False)
    subject = tables.Column(verbose_name=_("Subject and topic"), orderable=False)
    place = tables.Column(verbose_name=_("Municipality and address"), orderable=False)
    status = tables.Column(verbose_name=_("Status"), orderable=False)
    deadline = tables.Column(verbose_name=_("Deadline"), order_by=("deadline", "pk"))
    registered = tables.Column(verbose_name=_("Received"), order_by=("registered_at", "pk"))

    caption = _("Appeals")

    class Meta:
        template_name = "appeals/queue_table.html"
        order_by_field = "ordering"
        attrs = {"id": "queue", "class": "table table-hover align-middle queue-table"}

    def __init__(self, rows, *, new_messages=frozenset(), today=None, **kwargs):
        super().__init__(OrderedRows(list(rows)), **kwargs)
        self.new_messages = new_messages
        self.today = today
