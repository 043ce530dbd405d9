"""Pages of the appeal's life. Each view parses input, calls one service or selector,
and renders; who may do what is decided in deputies.access and the services."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import user_update_profile
from config.errors import ApplicationError
from deputies.access import scope_for
from deputies.models import Region

from . import selectors, services
from .forms import (
    AppealForm,
    AssignForm,
    ExtendForm,
    MessageForm,
    QueueFilterForm,
    RedirectForm,
    RejectForm,
    ReplyForm,
    WithdrawForm,
)
from .notifications import notifications_mark_read

PER_PAGE = 25


def apply_errors(form, error: ValidationError):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


# --- citizen ------------------------------------------------------------------


@login_required
def appeal_create(request):
    scope = scope_for(request.user)
    if not scope.is_citizen:
        messages.error(request, _("Appeals are filed from a citizen's account."))
        return redirect("home")
    if not request.user.email_confirmed:
        return render(request, "appeals/appeal_confirm_first.html")
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
        initial={"token": secrets.token_urlsafe(24)},
    )
    if request.method == "POST" and form.is_valid():
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
                level=data["level"],
                files=data["attachments"],
                consent=data["consent"],
                idempotency_key=data["token"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("Your appeal is registered as No. %(number)s. The answer is due by %(date)s.")
                    % {"number": appeal.number, "date": appeal.deadline.strftime("%d.%m.%Y")},
                )
            return redirect(appeal)
    return render(request, "appeals/appeal_form.html", {"form": form, "region": region})


@login_required
def appeal_list(request):
    page = _page(request, selectors.appeal_list(scope=scope_for(request.user)))
    return render(request, "appeals/appeal_list.html", {"page": page})


def _detail_context(scope, appeal, **forms):
    thread, history, initial_files = selectors.appeal_thread(appeal=appeal)
    can = services.can_act(scope, appeal)
    context = {
        "appeal": appeal,
        "thread": thread,
        "history": history,
        "initial_files": initial_files,
        "can": can,
    }
    if can["reply"]:
        context["reply_form"] = ReplyForm()
        context["extend_form"] = ExtendForm()
        context["reject_form"] = RejectForm()
    elif can["reject"]:
        context["reject_form"] = RejectForm()
    if can["redirect"] or can["assign"]:
        deputies = selectors.region_deputies_for_choice(
            region_id=appeal.region_id, exclude_id=appeal.deputy_id
        )
        if can["redirect"]:
            context["redirect_form"] = RedirectForm(deputies=deputies)
        if can["assign"]:
            context["assign_form"] = AssignForm(deputies=deputies)
    if can["follow_up"]:
        context["message_form"] = MessageForm()
    if can["withdraw"]:
        context["withdraw_form"] = WithdrawForm()
    context.update(forms)
    return context


@login_required
def appeal_detail(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    return render(request, "appeals/appeal_detail.html", _detail_context(scope, appeal))


def _act(request, number, form_class, call, *, form_name, form_kwargs=None, success=""):
    """Run one action from the appeal page: bad input shows the page again with the
    errors and what was typed; an illegal transition is explained and changes nothing."""
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    form = form_class(request.POST, request.FILES or None, **(form_kwargs or {}))
    if form.is_valid():
        try:
            call(scope, appeal, form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(appeal)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if success:
                messages.success(request, success)
            return redirect(appeal)
    context = _detail_context(scope, appeal, **{form_name: form})
    return render(request, "appeals/appeal_detail.html", context, status=400)


@login_required
@require_POST
def appeal_withdraw(request, number):
    return _act(
        request,
        number,
        WithdrawForm,
        lambda scope, appeal, data: services.appeal_withdraw(
            scope=scope, appeal=appeal, actor=request.user, reason=data["reason"]
        ),
        form_name="withdraw_form",
        success=_("The appeal is withdrawn."),
    )


@login_required
@require_POST
def appeal_follow_up(request, number):
    return _act(
        request,
        number,
        MessageForm,
        lambda scope, appeal, data: services.appeal_follow_up(
            scope=scope,
            appeal=appeal,
            actor=request.user,
            text=data["text"],
            files=data["attachments"],
        ),
        form_name="message_form",
        success=_("Your message is sent to the deputy."),
    )


# --- deputy -------------------------------------------------------------------


@login_required
@require_POST
def appeal_take(request, number):
    return _act(
        request,
        number,
        WithdrawForm,  # no fields needed; the empty form is always valid
        lambda scope, appeal, data: services.appeal_take(
            scope=scope, appeal=appeal, actor=request.user
        ),
        form_name="take_form",
        success=_("The appeal is in your work."),
    )


@login_required
@require_POST
def appeal_reply(request, number):
    return _act(
        request,
        number,
        ReplyForm,
        lambda scope, appeal, data: services.appeal_reply(
            scope=scope,
            appeal=appeal,
            actor=request.user,
            text=data["text"],
            final=data["final"],
            files=data["attachments"],
        ),
        form_name="reply_form",
        success=_("The reply is sent to the citizen."),
    )


@login_required
@require_POST
def appeal_redirect(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    deputies = selectors.region_deputies_for_choice(
        region_id=appeal.region_id, exclude_id=appeal.deputy_id
    )
    return _act(
        request,
        number,
        RedirectForm,
        lambda scope, appeal, data: services.appeal_redirect(
            scope=scope,
            appeal=appeal,
            actor=request.user,
            to_deputy=data["deputy"],
            reason=data["reason"],
        ),
        form_kwargs={"deputies": deputies},
        form_name="redirect_form",
        success=_("The appeal is redirected."),
    )


@login_required
@require_POST
def appeal_extend(request, number):
    return _act(
        request,
        number,
        ExtendForm,
        lambda scope, appeal, data: services.appeal_extend(
            scope=scope, appeal=appeal, actor=request.user, days=data["days"], reason=data["reason"]
        ),
        form_name="extend_form",
        success=_("The deadline is extended."),
    )


@login_required
@require_POST
def appeal_reject(request, number):
    return _act(
        request,
        number,
        RejectForm,
        lambda scope, appeal, data: services.appeal_reject(
            scope=scope,
            appeal=appeal,
            actor=request.user,
            reason=data["reason"],
            details=data["details"],
        ),
        form_name="reject_form",
        success=_("The appeal is rejected; the citizen is told why."),
    )


@login_required
def dashboard(request):
    scope = scope_for(request.user)
    if not scope.is_deputy:
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
    return render(
        request,
        "appeals/dashboard.html",
        {
            "deputy": deputy,
            "counters": selectors.deputy_counters(deputy_id=deputy.pk),
            "form": form,
            "page": _page(request, queue),
            "query_string": query.urlencode(),
        },
    )


# --- committee ----------------------------------------------------------------


@login_required
def committee_queue(request):
    scope = scope_for(request.user)
    if not scope.is_committee:
        raise Http404
    region = Region.objects.get(pk=scope.region_id)
    page = _page(request, selectors.committee_queue(region_id=region.pk))
    return render(request, "appeals/committee_queue.html", {"region": region, "page": page})


@login_required
@require_POST
def appeal_assign(request, number):
    scope = scope_for(request.user)
    appeal = selectors.appeal_get_for(scope=scope, number=number)
    deputies = selectors.region_deputies_for_choice(
        region_id=appeal.region_id, exclude_id=appeal.deputy_id
    )
    return _act(
        request,
        number,
        AssignForm,
        lambda scope, appeal, data: services.appeal_assign(
            scope=scope, appeal=appeal, actor=request.user, to_deputy=data["deputy"]
        ),
        form_kwargs={"deputies": deputies},
        form_name="assign_form",
        success=_("The appeal is assigned."),
    )


# --- shared -------------------------------------------------------------------


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


@login_required
def notification_list(request):
    page = _page(request, selectors.notification_list(user=request.user))
    response = render(request, "appeals/notification_list.html", {"page": page})
    notifications_mark_read(user=request.user)
    return response
