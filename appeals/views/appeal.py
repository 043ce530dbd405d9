"""The appeal's page and its actions, its attachments, and the notifications about
appeals. Who may do what is decided in deputies.access and the services."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.decorators import personal_page
from core.errors import ApplicationError
from deputies.access import scope_for

from .. import selectors, services
from ..forms import (
    AssignForm,
    EmptyForm,
    ExtendForm,
    MessageForm,
    RedirectForm,
    RejectForm,
    ReplyForm,
    TopicCorrectionForm,
    WithdrawForm,
)
from ..notifications import notifications_mark_read
from ._common import _deputies_for, _page, appeal_page_context, apply_errors


@personal_page
@login_required
def appeal_detail(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    # Opening the appeal reads what was notified about it: the header's count drops and
    # "my appeals" no longer marks it as having an unread reply.
    notifications_mark_read(user=request.user, appeal=appeal)
    return render(request, "appeals/appeal_detail.html", appeal_page_context(scope, appeal))


@dataclass(frozen=True)
class Action:
    service: str  # the name services.appeal_act knows it by
    form: type
    form_name: str  # the context name the appeal page renders the form under
    success: str
    choices_of_deputies: bool = False
    # Where to go after it; by default the appeal's page. After a redirect the appeal is
    # no longer the deputy's to see.
    then: str = ""


ACTIONS = {
    "withdraw": Action(
        "withdraw", WithdrawForm, "withdraw_form", gettext_lazy("The appeal is withdrawn.")
    ),
    "follow-up": Action(
        "follow_up",
        MessageForm,
        "message_form",
        gettext_lazy("Your message is sent to the deputy."),
    ),
    "take": Action("take", EmptyForm, "take_form", gettext_lazy("The appeal is in your work.")),
    "reply": Action(
        "reply", ReplyForm, "reply_form", gettext_lazy("The reply is sent to the citizen.")
    ),
    "redirect": Action(
        "redirect",
        RedirectForm,
        "redirect_form",
        gettext_lazy("The appeal is redirected."),
        choices_of_deputies=True,
        then="appeals:dashboard",
    ),
    "supplement": Action(
        "supplement",
        MessageForm,
        "supplement_form",
        gettext_lazy("The supplementary answer is sent to the citizen."),
    ),
    "extend": Action(
        "extend", ExtendForm, "extend_form", gettext_lazy("The deadline is extended.")
    ),
    "reject": Action(
        "reject",
        RejectForm,
        "reject_form",
        gettext_lazy("The appeal is rejected; the citizen is told why."),
    ),
    "assign": Action(
        "assign",
        AssignForm,
        "assign_form",
        gettext_lazy("The appeal is assigned."),
        choices_of_deputies=True,
    ),
    "topic": Action(
        "correct_topic",
        TopicCorrectionForm,
        "topic_form",
        gettext_lazy("The topic is corrected."),
    ),
}


@personal_page
@login_required
@require_POST
def appeal_action(request, number, action):
    """One action from the appeal page: bad input shows the page again with the errors
    and what was typed; an illegal transition is explained and changes nothing."""
    spec = ACTIONS[action]
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    kwargs = {"deputies": _deputies_for(appeal)} if spec.choices_of_deputies else {}
    form = spec.form(request.POST, request.FILES or None, **kwargs)
    if form.is_valid():
        try:
            services.appeal_act(
                action=spec.service,
                scope=scope,
                appeal=appeal,
                actor=request.user,
                data=form.cleaned_data,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(appeal)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, spec.success)
            return redirect(spec.then) if spec.then else redirect(appeal)
    context = appeal_page_context(scope, appeal, **{spec.form_name: form})
    return render(request, "appeals/appeal_detail.html", context, status=400)


@personal_page
@login_required
def attachment_download(request, number, token):
    attachment = selectors.attachment_get_for(
        scope=scope_for(request.user), number=number, token=token
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@personal_page
@login_required
def notification_list(request):
    page = _page(request, selectors.notification_list(user=request.user))
    response = render(request, "appeals/notification_list.html", {"page": page})
    notifications_mark_read(user=request.user)
    return response
