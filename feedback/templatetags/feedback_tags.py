from django import template

from feedback.forms import FeedbackForm
from feedback.services import feedback_can_leave

register = template.Library()


@register.inclusion_tag("feedback/includes/feedback_block.html", takes_context=True)
def feedback_block(context, appeal, form=None):
    """The feedback an appeal has and, for its citizen, the form to leave or change it."""
    scope = context["scope"]
    existing = getattr(appeal, "feedback", None)  # RelatedObjectDoesNotExist is an AttributeError
    can_leave = feedback_can_leave(scope=scope, appeal=appeal)
    if can_leave and not form:
        initial = (
            {f: getattr(existing, f) for f in ("overall", "solved", "speed", "personal", "comment")}
            if existing
            else None
        )
        form = FeedbackForm(initial=initial)
    return {
        "appeal": appeal,
        "feedback": existing,
        "form": form if can_leave else None,
        "csrf_token": context.get("csrf_token"),
    }
