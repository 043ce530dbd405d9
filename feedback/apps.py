from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from appeals.signals import (
            final_answer_given,
            personal_data_collected,
            personal_data_erased,
        )

        from . import personal_data, tasks

        personal_data_collected.connect(personal_data.collect, dispatch_uid="feedback-export")
        personal_data_erased.connect(personal_data.erase, dispatch_uid="feedback-erase")
        final_answer_given.connect(tasks.answer_given, dispatch_uid="feedback-formulaic")
