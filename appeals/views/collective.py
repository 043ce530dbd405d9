"""Similar appeals and collective appeals on the appeal page: the block's context, and
joining, leaving and answering (appeals.services.collective decides what is allowed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.decorators import personal_page
from core.errors import ApplicationError
from deputies import access
from deputies.access import scope_for

from .. import selectors, similar
from ..forms import CollectiveAnswerForm, CollectiveJoinForm
from ..services import collective as services
from ._common import appeal_page_context, apply_errors


def _outcome_messages(request, outcome, done_text):
    if outcome.done:
        messages.success(request, done_text(len(outcome.done)))
    for number, why in outcome.skipped:
        if number:
            messages.warning(
                request, _("No. %(number)s is skipped: %(why)s.") % {"number": number, "why": why}
            )
        else:
            messages.warning(request, why)


@personal_page
@login_required
@require_POST
def collective_join(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    if not access.may_join_collective(scope, appeal):
        raise PermissionDenied  # as the service would, before the form is read
    numbers = [s.appeal.number for s in similar.appeal_similar(scope=scope, appeal=appeal)]
    form = CollectiveJoinForm(request.POST, numbers=numbers)
    return _collective_action(
        request, scope, appeal, form, form_name="join_form",
        act=lambda data: services.collective_join(
            scope=scope, actor=request.user, appeal=appeal, numbers=data["appeals"]
        ),
        done=lambda n: ngettext(
            "%(count)s appeal is in the collective appeal.",
            "%(count)s appeals are in the collective appeal.",
            n,
        ) % {"count": n},
    )  # fmt: skip


@personal_page
@login_required
@require_POST
def collective_leave(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    try:
        services.collective_leave(scope=scope, actor=request.user, appeal=appeal)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The appeal has left the collective appeal."))
    return redirect(appeal)


@personal_page
@login_required
@require_POST
def collective_answer(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    form = CollectiveAnswerForm(request.POST)
    return _collective_action(
        request, scope, appeal, form, form_name="collective_answer_form",
        act=lambda data: services.collective_answer(
            scope=scope, actor=request.user, appeal=appeal, text=data["text"]
        ),
        done=lambda n: ngettext(
            "The answer is sent to %(count)s appeal.",
            "The answer is sent to %(count)s appeals.",
            n,
        ) % {"count": n},
    )  # fmt: skip


def _collective_action(request, scope, appeal, form, *, form_name, act, done):
    """Back to the appeal saying what was done and what was skipped; or the appeal page
    again with the form's errors (400), nothing lost."""
    if form.is_valid():
        try:
            outcome = act(form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(appeal)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _outcome_messages(request, outcome, done)
            return redirect(appeal)
    context = appeal_page_context(scope, appeal)
    context[form_name] = form
    return render(request, "appeals/appeal_detail.html", context, status=400)
