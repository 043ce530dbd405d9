"""Filing an appeal from the pages: the region, the letter with whom it goes to, the
"check your appeal" step, the confirmation and the receipt; and the finder of one's
deputy (region → municipality → the deputy whose district covers it).

The form is posted twice: first to be checked (nothing is registered; attached files
are kept aside, appeals.staging), then, from the check page, with `confirm` to be
filed. The form's idempotency token travels both ways, so a double click on "send"
files one appeal. `edit` on the check page posts everything back to the form.
"""

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.services import user_update_profile
from core.decorators import personal_page
from core.errors import LimitReached
from deputies import access
from deputies import selectors as deputy_selectors
from deputies.access import scope_for
from deputies.models import Body

from .. import routing, selectors, services, similar, staging
from ..attachments import validate_uploads
from ..forms import AppealForm
from ..services import deadline_from
from ..throttling import filing_allowed, topic_suggestion_allowed
from ._common import apply_errors

# What the check page carries back in hidden fields, as the citizen typed it: the
# confirmation (or "edit") posts the same form again and it is checked again.
CARRIED = ("region", "municipality", "level", "deputy", "topic", "subject", "text", "address",
           "full_name", "consent", "token", "repeat_of")  # fmt: skip
FOUND_PER_PAGE = 20


@personal_page
@login_required
def appeal_create(request):
    scope = scope_for(request.user)
    if not access.may_file_appeal(scope):
        messages.error(request, _("Appeals are filed from a citizen's account."))
        return redirect("home")
    if not request.user.email_confirmed:
        return render(request, "appeals/appeal_confirm_first.html")
    params = request.POST if request.method == "POST" else request.GET
    repeat_of, chosen = None, None
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
        code = params.get("region")
        region = deputy_selectors.region_by_code(code) if code else None
        if region is None and request.method == "GET" and params.get("deputy"):
            # "Write to this deputy" on a deputy's page: the region is the deputy's.
            chosen = deputy_selectors.deputy_to_write(pk=params["deputy"])
            if chosen is not None:
                region = deputy_selectors.regions_by_id().get(chosen.region_id)
    if region is None:
        return render(
            request, "appeals/appeal_region.html", {"regions": deputy_selectors.regions_sorted()}
        )
    if request.method == "POST":
        return _posted(request, region=region, repeat_of=repeat_of)
    return _blank_form(request, region=region, repeat_of=repeat_of, chosen=chosen)


def _blank_form(request, *, region, repeat_of, chosen):
    """The form as a link opens it: from the region step, the finder, a deputy's page
    or the first appeal's "не согласен с ответом"."""
    params = request.GET
    initial = {"token": secrets.token_urlsafe(24)}
    municipality = deputy_selectors.municipalities_of(region_id=region.pk).get(
        _int(params.get("municipality"))
    )
    if municipality is not None:
        initial["municipality"] = municipality.pk
    level = params.get("level", "")
    if level in Body.Level.values:
        initial["level"] = level
    wanted = params.get("deputy")
    if wanted and chosen is None:
        chosen = deputy_selectors.deputy_to_write(pk=wanted)
    if chosen is not None and chosen.region_id != region.pk:
        chosen = None
    if wanted and chosen is None:
        messages.warning(
            request,
            _(
                "This deputy does not accept appeals in the region now: your appeal will "
                "go as explained below."
            ),
        )
    if chosen is not None:
        initial["deputy"] = chosen.pk
    form = AppealForm(initial=initial, region=region, user=request.user, repeat_of=repeat_of)
    return _form_page(
        request,
        form,
        region=region,
        repeat_of=repeat_of,
        chosen=chosen,
        municipality=municipality,
        level=initial.get("level", ""),
        # Nothing chosen yet: the fields are the region's alone (the template keeps them).
        blank=initial.keys() == {"token"} and repeat_of is None,
    )


def _posted(request, *, region, repeat_of):
    token = request.POST.get("token", "")
    staged = staging.unsign(request.POST.get("staged", ""), user=request.user, token=token)
    form = AppealForm(
        request.POST,
        request.FILES or None,
        region=region,
        user=request.user,
        repeat_of=repeat_of,
        staged=staged,
    )
    valid = form.is_valid()
    if "edit" in request.POST:
        # Back to the form with everything kept (the files too, listed with "remove").
        return _form_page(request, form, region=region, repeat_of=repeat_of, **_choice(form))
    if not valid:
        form = _keeping_files(request, form, region=region, repeat_of=repeat_of)
        return _form_page(request, form, region=region, repeat_of=repeat_of, **_choice(form))
    if "confirm" in request.POST:
        return _confirmed(request, form, region=region, repeat_of=repeat_of)
    return _check_page(request, form, region=region, repeat_of=repeat_of)


def _keeping_files(request, form, *, region, repeat_of):
    """A form sent back with errors keeps the good files it brought, as the check step
    does, so the citizen does not choose them again."""
    uploads = form.cleaned_data.get("attachments")
    if not uploads:
        return form
    try:
        new = staging.stage(user=request.user, checked=validate_uploads(uploads))
    except ValidationError as error:
        form.add_error("attachments", error.messages)
        return form
    files = [*form.staged, *new]
    data = request.POST.copy()
    data["staged"] = staging.sign(user=request.user, token=data.get("token", ""), staged=files)
    kept = AppealForm(data, region=region, user=request.user, repeat_of=repeat_of, staged=files)
    kept.is_valid()
    return kept


def _check_page(request, form, *, region, repeat_of):
    """Nothing is registered: the new files are kept aside and everything is shown."""
    data = form.cleaned_data
    try:
        new = staging.stage(user=request.user, checked=validate_uploads(data["attachments"]))
    except ValidationError as error:
        form.add_error("attachments", error.messages)
        return _form_page(request, form, region=region, repeat_of=repeat_of, **_choice(form))
    staging.discard(user=request.user, staged=data["dropped"])
    files = [*data["kept"], *new]
    recipient = _recipient(region, repeat_of, **_choice(form))
    carried = [(name, request.POST[name]) for name in CARRIED if request.POST.get(name)]
    signed = staging.sign(user=request.user, token=data["token"], staged=files)
    if signed:
        carried.append(("staged", signed))
    return render(
        request,
        "appeals/appeal_check.html",
        {
            "region": region,
            "repeat_of": repeat_of,
            "data": data,
            "full_name": data.get("full_name") or request.user.full_name,
            "files": files,
            "recipient": recipient,
            # A deputy's 30 days run from the filing; from the committee's queue, from
            # the assignment.
            "deadline": deadline_from(timezone.now()) if recipient.rule != "committee" else None,
            "carried": carried,
            # The citizen's own near-identical appeal of the last 30 days (they may still
            # send); a repeat appeal is meant to resemble its first one.
            "own_similar": similar.own_similar(
                citizen=request.user,
                text=data["text"],
                address=data["address"],
                region=region,
                now=timezone.now(),
            )
            if repeat_of is None
            else [],
        },
    )


def _confirmed(request, form, *, region, repeat_of):
    data = form.cleaned_data

    def form_again(status=200):
        # Only when the filing is refused: the page says again whom it goes to.
        context = _form_context(form, region=region, repeat_of=repeat_of, **_choice(form))
        return render(request, "appeals/appeal_form.html", context, status=status)

    allowed, wait = filing_allowed(request)
    if not allowed:
        form.add_error(
            None,
            ngettext(
                "Too many appeals in a short time. Please wait %(seconds)s second and send again.",
                "Too many appeals in a short time. Please wait %(seconds)s seconds and send again.",
                wait,
            )
            % {"seconds": wait},
        )
        response = form_again(status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        files = staging.open_files(user=request.user, staged=data["kept"])
    except ValidationError as error:
        # A second click on "send" after the first filed it: its files left for the appeal.
        filed = selectors.appeal_filed_with(citizen=request.user, idempotency_key=data["token"])
        if filed is not None:
            return redirect("appeals:appeal_receipt", number=filed.number)
        apply_errors(form, error)
        return form_again()
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
            files=[*files, *data["attachments"]],
            consent=data["consent"],
            idempotency_key=data["token"],
            repeat_of=repeat_of,
        )
    except ValidationError as error:
        apply_errors(form, error)
    except LimitReached as error:
        form.add_error(None, error.message)
        return form_again(status=429)
    else:
        if created:
            staging.discard(user=request.user, staged=data["kept"])
        # A second click on "send" (the same token) lands on the same receipt.
        return redirect("appeals:appeal_receipt", number=appeal.number)
    finally:
        staging.close(files)
    return form_again()


def _choice(form) -> dict:
    """Whom a checked form addresses: its deputy, municipality and level, those valid."""
    data = form.cleaned_data
    return {
        "chosen": data.get("deputy"),
        "municipality": data.get("municipality"),
        "level": data.get("level") or "",
    }


def _recipient(region, repeat_of, *, chosen, municipality, level):
    same = None
    if repeat_of is not None and chosen is None:
        same = repeat_of.deputy
        if same is None or not same.accepts_appeals or same.region_id != region.pk:
            same = None
    return routing.preview(
        region_id=region.pk,
        municipality=municipality,
        chosen=chosen,
        level=level,
        same_deputy=same,
    )


def _form_context(form, *, region, repeat_of, chosen, municipality, level, blank=False) -> dict:
    # The rule in words costs a query or two: said exactly once a municipality or a
    # deputy is known, in general words on the blank form (the page of every filing).
    known = chosen is not None or municipality is not None or repeat_of is not None
    recipient = None
    if known:
        recipient = _recipient(
            region, repeat_of, chosen=chosen, municipality=municipality, level=level
        )
    if chosen is None and repeat_of is None:
        form.live_recipient(reverse("appeals:appeal_recipient"))
    query = {"region": region.code}
    if municipality is not None:
        query["municipality"] = municipality.pk
    if repeat_of is not None:
        query["repeat_of"] = repeat_of.number
    return {
        "form": form,
        "blank": blank,
        "region": region,
        "repeat_of": repeat_of,
        "chosen": chosen,
        "recipient": recipient,
        "finder_url": f"{reverse('appeals:appeal_finder')}?{urlencode(query)}",
        "automatic_url": f"{reverse('appeals:appeal_create')}?{urlencode(query)}",
    }


def _form_page(request, form, **choice):
    return render(request, "appeals/appeal_form.html", _form_context(form, **choice))


@personal_page
@login_required
@require_POST
def topic_suggestion(request):
    """The topic the text seems to be about, while the citizen types (htmx, debounced
    on the form): the best topic and two alternatives, with the words that suggested
    them. Nothing to say (no model, too little text, the rate spent): an empty answer,
    and the form works the same."""
    if not access.may_file_appeal(scope_for(request.user)):
        raise PermissionDenied
    # An empty answer empties the slot (htmx swaps nothing on a 204): an earlier
    # suggestion must not stay beside a text that no longer says it.
    if not topic_suggestion_allowed(request):
        return HttpResponse("")
    text = f"{request.POST.get('subject', '')[:200]}. {request.POST.get('text', '')[:3000]}"
    suggested = selectors.topic_suggestions(text=text)
    if not suggested:
        return HttpResponse("")
    return render(request, "appeals/includes/topic_suggestion.html", {"suggested": suggested})


# --- the receipt ---------------------------------------------------------------------


@personal_page
@login_required
def appeal_receipt(request, number):
    appeal = selectors.appeal_receipt_for(scope=scope_for(request.user), number=number)
    return render(request, "appeals/appeal_receipt.html", {"appeal": appeal})


# --- finding one's deputy --------------------------------------------------------------


def appeal_finder(request):
    """Region → municipality → the deputies whose district covers it, or the automatic
    choice in words; or a deputy of the region by name. Public, GET only: each step is a
    link or a GET form, and with htmx the results alone are swapped."""
    params = request.GET
    region = deputy_selectors.region_by_code(params.get("region", ""))
    if region is None:
        return render(
            request, "appeals/appeal_finder.html", {"regions": deputy_selectors.regions_sorted()}
        )
    municipalities = deputy_selectors.municipalities_of(region_id=region.pk)
    municipality = municipalities.get(_int(params.get("municipality")))
    query = params.get("q", "").strip()[:100]
    carry = {"region": region.code}
    if municipality is not None:
        carry["municipality"] = municipality.pk
    if params.get("repeat_of"):
        carry["repeat_of"] = params["repeat_of"][:20]
    found = None
    if query:
        found = Paginator(
            deputy_selectors.deputies_to_write(region_id=region.pk, query=query), FOUND_PER_PAGE
        ).get_page(params.get("page"))
    context = {
        "region": region,
        "municipality_groups": deputy_selectors.municipality_groups(municipalities),
        "municipality": municipality,
        "query": query,
        "found": found,
        "recipient": routing.preview(region_id=region.pk, municipality=municipality),
        "write_query": urlencode(carry),
        "page_query": urlencode({**carry, "q": query}),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "appeals/includes/finder_results.html", context)
    return render(request, "appeals/appeal_finder.html", context)


def appeal_recipient(request):
    """The form's "who will get it", told again when the municipality or the level
    changes (htmx). Without JavaScript the finder and the check step tell it."""
    params = request.GET
    region = deputy_selectors.region_by_code(params.get("region", ""))
    if region is None or not request.htmx:
        return redirect(f"{reverse('appeals:appeal_finder')}?{params.urlencode()}")
    municipality = deputy_selectors.municipalities_of(region_id=region.pk).get(
        _int(params.get("municipality"))
    )
    level = params.get("level", "")
    recipient = routing.preview(
        region_id=region.pk,
        municipality=municipality,
        level=level if level in Body.Level.values else "",
    )
    return render(request, "appeals/includes/recipient.html", {"recipient": recipient})


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 12 else None
