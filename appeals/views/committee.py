"""The committee's queue: the region's unassigned and overdue appeals, and assigning
them to a deputy."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.decorators import personal_page
from core.errors import ApplicationError
from deputies import access
from deputies.access import scope_for
from deputies.models import Region
from deputies.names import dative

from .. import selectors, services
from ..forms import AssignForm
from ._common import _page


@dataclass(frozen=True)
class QueueRow:
    appeal: object
    why: str
    days_waiting: int
    days_left: int  # of the committee's 7; below zero when the committee is late

    @property
    def days_late(self):
        return -self.days_left


def _queue_row(appeal, today, *, region_accepts: bool) -> QueueRow:
    """Why an appeal waits and how long it has: an unassigned one since registration,
    an overdue one since its deputy's deadline."""
    if appeal.deputy_id is None:
        why = (
            _("No deputy of the region accepted appeals when it was filed")
            if region_accepts
            else _("No deputy of the region accepts appeals")
        )
        since = timezone.localdate(appeal.registered_at)
    else:
        late = (today - appeal.deadline).days
        why = ngettext(
            "The deputy's deadline passed %(days)s day ago",
            "The deputy's deadline passed %(days)s days ago",
            late,
        ) % {"days": late}
        since = appeal.deadline
    waiting = (today - since).days
    return QueueRow(appeal, why, waiting, selectors.COMMITTEE_QUEUE_DAYS - waiting)


@personal_page
@login_required
def committee_queue(request):
    """The committee's unassigned and overdue appeals, each with why it waits and the
    deputies it may go to; a POST assigns one and comes back here."""
    scope = scope_for(request.user)
    if not access.may_clear_queue(scope):
        raise Http404
    region = Region.objects.get(pk=scope.region_id)
    assignees = selectors.committee_assignees(region_id=region.pk)
    if request.method == "POST":
        return _committee_assign(request, scope, assignees)
    today = timezone.localdate()
    page = _page(request, selectors.committee_queue(region_id=region.pk, today=today))
    assignees = list(assignees)
    region_accepts = any(deputy.accepts_appeals for deputy in assignees)
    page.object_list = [
        _queue_row(appeal, today, region_accepts=region_accepts) for appeal in page.object_list
    ]
    return render(
        request,
        "appeals/committee_queue.html",
        {
            "region": region,
            "page": page,
            "assignees": assignees,
            "some_not_accepting": any(not deputy.accepts_appeals for deputy in assignees),
            "queue_days": selectors.COMMITTEE_QUEUE_DAYS,
        },
    )


def _committee_assign(request, scope, assignees):
    appeal = selectors.appeal_get_for(scope=scope, number=request.POST.get("appeal", ""))
    form = AssignForm(request.POST, deputies=assignees)
    if not form.is_valid():
        messages.error(request, _("Choose a deputy of the region to assign the appeal to."))
        return redirect("appeals:committee_queue")
    deputy = form.cleaned_data["deputy"]
    try:
        services.appeal_assign(scope=scope, appeal=appeal, actor=request.user, to_deputy=deputy)
    except ApplicationError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Appeal No. %(number)s is assigned to %(name)s.")
            % {"number": appeal.number, "name": dative(deputy.full_name)},
        )
    return redirect("appeals:committee_queue")
