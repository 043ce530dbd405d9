"""Pages of the appeal's life. Each view parses input, calls one service or selector,
and renders; who may do what is decided in deputies.access and the services."""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.services import user_update_profile
from core.decorators import personal_page
from core.errors import ApplicationError, LimitReached
from deputies import access
from deputies.access import can_read_event_reason, scope_for
from deputies.models import Region

from . import selectors, services
from .forms import (
    AppealForm,
    AssignForm,
    EmptyForm,
    EraseForm,
    ExtendForm,
    MessageForm,
    QueueFilterForm,
    RedirectForm,
    RejectForm,
    ReplyForm,
    WithdrawForm,
)
from .notifications import notifications_mark_read
from .personal_data import personal_data_erase as erase
from .personal_data import personal_data_export
from .throttling import filing_allowed

PER_PAGE = 25


def apply_errors(form, error: ValidationError):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


# --- citizen ------------------------------------------------------------------


@personal_page
@login_required
def appeal_create(request):
    scope = scope_for(request.user)
    if not access.may_file_appeal(scope):
        messages.error(request, _("Appeals are filed from a citizen's account."))
        return redirect("home")
    if not request.user.email_confirmed:
        return render(request, "appeals/appeal_confirm_first.html")
    repeat_of = None
    repeat_number = request.POST.get("repeat_of") or request.GET.get("repeat_of")
    if repeat_number:
        # Only the citizen's own appeal: 404 alike for a missing one and another's.
        repeat_of = selectors.appeal_own_for_repeat(scope=scope, number=repeat_number)
        refusal = services.repeat_refusal(citizen=request.user, original=repeat_of)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(repeat_of)
        region = repeat_of.region
    else:
        code = request.POST.get("region") or request.GET.get("region")
        region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        return render(
            request, "appeals/appeal_region.html", {"regions": Region.objects.order_by("code")}
        )

    form = AppealForm(
        request.POST or None,
        request.FILES or None,
        region=region,
        user=request.user,
        repeat_of=repeat_of,
        initial={"token": secrets.token_urlsafe(24)},
    )
    context = {"form": form, "region": region, "repeat_of": repeat_of}
    if request.method == "POST" and form.is_valid():
        allowed, wait = filing_allowed(request)
        if not allowed:
            form.add_error(
                None,
                _(
                    "Too many appeals in a short time. "
                    "Please wait %(seconds)s seconds and send again."
                )
                % {"seconds": wait},
            )
            response = render(request, "appeals/appeal_form.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        data = form.cleaned_data
        try:
            if data.get("full_name"):
                user_update_profile(
                    user=request.user, full_name=data["full_name"], phone=request.user.phone
                )
            appeal, created = services.appeal_file(
                citizen=request.user,
                region=region,
                municipality=data["municipality"],
                topic=data["topic"],
                subject=data["subject"],
                text=data["text"],
                address=data["address"],
                chosen_deputy=data["deputy"],
                level=data.get("level", ""),
                files=data["attachments"],
                consent=data["consent"],
                idempotency_key=data["token"],
                repeat_of=repeat_of,
            )
        except ValidationError as error:
            apply_errors(form, error)
        except LimitReached as error:
            form.add_error(None, error.message)
            return render(request, "appeals/appeal_form.html", context, status=429)
        else:
            if created:
                messages.success(
                    request,
                    _("Your appeal is registered as No. %(number)s. The answer is due by %(date)s.")
                    % {"number": appeal.number, "date": appeal.deadline.strftime("%d.%m.%Y")},
                )
            return redirect(appeal)
    return render(request, "appeals/appeal_form.html", context)


@personal_page
@login_required
def appeal_list(request):
    page = _page(request, selectors.appeal_list(scope=scope_for(request.user)))
    return render(request, "appeals/appeal_list.html", {"page": page})


def appeal_page_context(scope, appeal, **forms):
    thread, history, initial_files = selectors.appeal_thread(appeal=appeal)
    for event in history:
        event.shown_reason = (
            event.reason if can_read_event_reason(scope, appeal, event.type) else ""
        )
    can = access.appeal_actions(scope, appeal, now=timezone.now())
    context = {
        "appeal": appeal,
        "thread": thread,
        "history": history,
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
    context.update(forms)
    return context


@personal_page
@login_required
def appeal_detail(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
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


def _deputies_for(appeal):
    return selectors.deputies_to_take_over(appeal=appeal, today=timezone.localdate())


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
def dashboard(request):
    scope = scope_for(request.user)
    if not access.may_use_dashboard(scope):
        raise Http404
    deputy = request.user.deputy
    form = QueueFilterForm(request.GET or None, region_id=deputy.region_id)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.deputy_queue(
        deputy_id=deputy.pk,
        status=filters.get("status") or "",
        topic_id=filters["topic"].pk if filters.get("topic") else None,
        municipality_id=filters["municipality"].pk if filters.get("municipality") else None,
        overdue=filters.get("overdue", False),
        ordering=filters.get("ordering") or "deadline",
    )
    query = request.GET.copy()
    query.pop("page", None)
    page = _page(request, queue)
    return render(
        request,
        "appeals/dashboard.html",
        {
            "deputy": deputy,
            "counters": selectors.deputy_counters(deputy_id=deputy.pk),
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            # The rendered rows are reused while none of what they show has changed;
            # "overdue" depends on the day as well.
            "rows_state": [
                (a.pk, a.status, a.deadline, a.topic_id, a.municipality_id)
                for a in page.object_list
            ],
            "today": timezone.localdate(),
        },
    )


# --- committee ----------------------------------------------------------------


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
            % {"number": appeal.number, "name": deputy.full_name},
        )
    return redirect("appeals:committee_queue")


# --- shared -------------------------------------------------------------------


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


@personal_page
@login_required
def personal_data_download(request):
    data = personal_data_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="izbiratel-my-data.json"'
    return response


@personal_page
@login_required
def personal_data_erase(request):
    form = EraseForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase(scope=scope_for(request.user), user=request.user)
        logout(request)
        messages.success(request, _("Your personal data is erased. Thank you for using Izbiratel."))
        return redirect("home")
    return render(request, "appeals/personal_data_erase.html", {"form": form})
