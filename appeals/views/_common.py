"""What the appeal pages share: paging, form errors from a service, and the appeal
page's context (also rendered by feedback's page)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies import access

from .. import selectors, services
from ..forms import (
    AssignForm,
    ExtendForm,
    MessageForm,
    RedirectForm,
    RejectForm,
    ReplyForm,
    TopicCorrectionForm,
    WithdrawForm,
)
from ._similar import collective_context

PER_PAGE = 25


def apply_errors(form, error: ValidationError):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _deputies_for(appeal):
    return selectors.deputies_to_take_over(appeal=appeal, today=timezone.localdate())


def appeal_page_context(scope, appeal, **forms):
    thread, history, initial_files = selectors.appeal_thread(appeal=appeal)
    can = access.appeal_actions(scope, appeal, now=timezone.now())
    context = {
        "appeal": appeal,
        "thread": thread,
        "timeline": selectors.appeal_timeline(scope=scope, appeal=appeal, history=history),
        "initial_files": initial_files,
        "actions": can,
        "contacts": selectors.contacts_for(scope=scope, appeal=appeal, via="page"),
    }
    if appeal.repeat_of_id:
        context["first"] = selectors.appeal_first_thread(scope=scope, appeal=appeal)
    if appeal.answered_at is not None:
        context["repeat"] = selectors.appeal_active_repeat(scope=scope, appeal=appeal)
    if can.repeat:
        context["can_repeat_until"] = services.repeat_allowed_until(appeal)
    if can.supplement:
        context["supplement_form"] = MessageForm()
    if can.reply:
        context["reply_form"] = ReplyForm()
        context["extend_form"] = ExtendForm()
        context["reject_form"] = RejectForm()
    elif can.reject:
        context["reject_form"] = RejectForm()
    if can.redirect or can.assign:
        deputies = _deputies_for(appeal)
        if can.redirect and not deputies.exists():
            # Say why instead of offering a form nobody can be chosen in.
            context["redirect_unavailable"] = _(
                "There is no other deputy in the region who accepts appeals."
            )
        elif can.redirect:
            context["redirect_form"] = RedirectForm(deputies=deputies)
        if can.assign:
            context["assign_form"] = AssignForm(deputies=deputies)
    if can.follow_up:
        context["message_form"] = MessageForm()
    if can.withdraw:
        context["withdraw_form"] = WithdrawForm()
    if can.correct_topic:
        context["topic_form"] = TopicCorrectionForm(initial={"topic": appeal.topic_id})
    context.update(collective_context(scope, appeal))
    context.update(forms)
    return context
