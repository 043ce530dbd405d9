"""Collective appeals (SPEC, Domain): appeals of several citizens about one problem,
joined by their deputy or the region's committee and answered once. The answer goes to
each member through `appeal_reply`, so each keeps its number, deadline, notifications
and feedback, and counts on its own in the rating."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import ApplicationError
from deputies import access

from .. import events, selectors
from ..models import Appeal, CollectiveAppeal
from ._common import _locked, _require_assigned_deputy
from .life import appeal_reply


@dataclass
class Outcome:
    """What a collective action did: the appeals it reached and those it skipped, each
    with the reason the page shows."""

    collective: CollectiveAppeal | None = None
    done: list[Appeal] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


def _refusal(scope, collective, appeal) -> str | None:
    if not access.may_join_collective(scope, appeal):
        return _("it is closed or not yours to join")
    if appeal.deputy_id != collective.deputy_id:
        return _("it is with another deputy")
    if appeal.collective_id and appeal.collective_id != collective.pk:
        return _("it is in another collective appeal")
    return None


@transaction.atomic
def collective_join(*, scope, actor, appeal: Appeal, numbers) -> Outcome:
    """Join `appeal` and the appeals numbered `numbers` (among those the scope sees) into
    `appeal`'s collective appeal, made now if it has none."""
    anchor = _locked(appeal)
    if not access.may_join_collective(scope, anchor):
        raise PermissionDenied(_("Only an open appeal of yours can be joined with others."))
    wanted = [n for n in dict.fromkeys(numbers) if n != anchor.number]
    if not wanted:
        raise ValidationError({"appeals": _("Choose the appeals to join.")})
    others = {
        a.number: a
        for a in Appeal.objects.visible_to(scope)
        .select_for_update(of=("self",))
        .filter(number__in=wanted)
        .order_by("pk")
    }
    outcome = Outcome()
    collective = anchor.collective
    if collective is None:
        collective = CollectiveAppeal.objects.create(
            region_id=anchor.region_id,
            deputy_id=anchor.deputy_id,
            # Named by its first member's number, not its subject: a subject is the
            # citizen's words, erased with their data.
            title=anchor.number,
            created_by=actor,
            created_at=timezone.now(),
        )
        _join(anchor, collective, actor)
        outcome.done.append(anchor)
    outcome.collective = collective
    for number in wanted:
        other = others.get(number)
        why = _("not found") if other is None else _refusal(scope, collective, other)
        if other is not None and other.collective_id == collective.pk:
            continue
        if why:
            outcome.skipped.append((number, why))
            continue
        _join(other, collective, actor)
        outcome.done.append(other)
    return outcome


def _join(appeal, collective, actor):
    appeal.collective = collective
    appeal.save(update_fields=["collective", "updated_at"])
    events.collective_joined(appeal, actor=actor, collective=collective)


@transaction.atomic
def collective_leave(*, scope, actor, appeal: Appeal) -> Appeal:
    """Take an open appeal out of its collective appeal: it is answered on its own."""
    appeal = _locked(appeal)
    if not access.may_join_collective(scope, appeal):
        raise PermissionDenied(_("Only an open appeal of yours can leave a collective appeal."))
    if appeal.collective_id is None:
        raise ApplicationError(_("The appeal is not part of a collective appeal."))
    collective = appeal.collective
    appeal.collective = None
    appeal.save(update_fields=["collective", "updated_at"])
    events.collective_left(appeal, actor=actor, collective=collective)
    return appeal


def collective_answer(*, scope, actor, appeal: Appeal, text: str) -> Outcome:
    """The final answer to every member of `appeal`'s collective appeal, each through
    `appeal_reply` in its own transaction: one member that cannot be answered (closed
    meanwhile, redirected) is skipped with the reason and the others still get it."""
    appeal = Appeal.objects.select_related("collective").get(pk=appeal.pk)
    _require_assigned_deputy(scope, appeal)
    if appeal.collective_id is None:
        raise ApplicationError(_("The appeal is not part of a collective appeal."))
    if not text or not text.strip():
        raise ValidationError({"text": _("Write the text of the message.")})
    members = list(selectors.collective_members(scope=scope, appeal=appeal))
    outcome = Outcome(collective=appeal.collective)
    for member in members:
        try:
            appeal_reply(scope=scope, appeal=member, actor=actor, text=text, final=True)
        except (ApplicationError, PermissionDenied) as error:
            message = getattr(error, "message", None) or str(error)
            outcome.skipped.append((member.number, message))
        else:
            outcome.done.append(member)
    hidden = Appeal.objects.filter(collective_id=appeal.collective_id).count() - len(members)
    if hidden:
        # Redirected or reassigned since they were joined: their new deputy answers them.
        outcome.skipped.append(
            (
                "",
                ngettext(
                    "%(count)s member is now with another deputy",
                    "%(count)s members are now with other deputies",
                    hidden,
                )
                % {"count": hidden},
            )
        )
    return outcome
