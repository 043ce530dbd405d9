"""The design system's small components, drawn once per table row, so tags and not
included templates (an include costs a template lookup and a context push per row)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# Status value → the tag's tone; the label comes from the model's choices.
TONES = {
    "submitted": "waiting",
    "assigned": "active",
    "in_progress": "active",
    "answered": "done",
    "closed": "closed",
    "rejected": "refused",
    "withdrawn": "closed",
}


@register.simple_tag
def status_tag(value, label):
    return format_html(
        '<span class="status-tag status-{}" data-status="{}">{}</span>',
        TONES.get(value, "closed"),
        value,
        label,
    )


def deadline_text(deadline: datetime.date, today: datetime.date) -> tuple[str, str]:
    days = (deadline - today).days
    if days > 0:
        tone = "soon" if days <= 3 else "ok"
        return tone, ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
    if days == 0:
        return "soon", _("last day today")
    late = -days
    return "late", ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late}


@register.simple_tag(takes_context=True)
def deadline_badge(context, deadline, is_open=True):
    """«осталось 12 дней» / «просрочено на 3 дня» for an open appeal, nothing otherwise."""
    if not deadline or not is_open:
        return ""
    today = context.get("today") or timezone.localdate()
    tone, text = deadline_text(deadline, today)
    return format_html(
        '<span class="deadline-badge deadline-{}"><time datetime="{}">{}</time></span>',
        tone,
        deadline.isoformat(),
        text,
    )


@register.filter
def day(value) -> str:
    """A table's date as dd.mm.yyyy (a moment in the current time zone): the `date`
    filter looks the language's formats up on every call, 25 rows × 2 dates a page."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d.%m.%Y")
