"""The appeal page's "similar appeals" and "collective appeal" blocks."""

from deputies import access

from .. import selectors, similar
from ..forms import CollectiveAnswerForm, CollectiveJoinForm


def collective_context(scope, appeal) -> dict:
    """The appeal page's "similar appeals" and "collective appeal" blocks."""
    if not access.may_see_similar(scope):
        return {}
    found = similar.appeal_similar(scope=scope, appeal=appeal)
    context = {"similar": found, "show_similar": True}
    context["may_join"] = access.may_join_collective(scope, appeal)
    if context["may_join"]:
        # Those already in this collective appeal are listed as its members instead.
        joinable = [
            s.appeal.number
            for s in found
            if not appeal.collective_id or s.appeal.collective_id != appeal.collective_id
        ]
        if joinable:
            context["join_form"] = CollectiveJoinForm(numbers=joinable)
            context["joinable"] = set(joinable)
    if appeal.collective_id:
        context["members"] = list(selectors.collective_members(scope=scope, appeal=appeal))
        if access.is_appeal_deputy(scope, appeal) and any(m.is_open for m in context["members"]):
            context["collective_answer_form"] = CollectiveAnswerForm()
    return context
