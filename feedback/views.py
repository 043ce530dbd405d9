from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appeals.selectors import appeal_get_for
from appeals.views import appeal_page_context, apply_errors
from core.decorators import personal_page
from core.errors import ApplicationError
from deputies.access import scope_for

from . import services
from .forms import FeedbackForm


@personal_page  # a refused form shows the appeal page again
@login_required
@require_POST
def feedback_leave(request, number):
    scope = scope_for(request.user)
    appeal = appeal_get_for(scope=scope, number=number)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_leave(
                scope=scope, appeal=appeal, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(appeal)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your rating is saved."))
            return redirect(appeal)
    context = appeal_page_context(scope, appeal, feedback_form=form)
    return render(request, "appeals/appeal_detail.html", context, status=400)
