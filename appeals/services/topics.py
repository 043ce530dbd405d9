"""The deputy's correction of an appeal's topic. The citizen's own choice stays in
Appeal.citizen_topic: the corrections are counted per topic (ratings' topic analytics)
and a corrected topic teaches the topic model (appeals.services.topic_model)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from deputies import access

from .. import events
from ..models import Appeal, Topic
from ._common import _locked


@transaction.atomic
def appeal_correct_topic(*, scope, appeal: Appeal, actor, topic: Topic) -> Appeal:
    appeal = _locked(appeal)
    if not access.may_correct_topic(scope, appeal):
        raise PermissionDenied(_("Only the deputy the appeal is assigned to may do this."))
    if topic.pk == appeal.topic_id:
        return appeal  # nothing changed: no history entry
    old = Topic.objects.get(pk=appeal.topic_id)
    appeal.topic = topic
    appeal.save(update_fields=["topic", "updated_at"])
    events.topic_changed(appeal, actor=actor, old_topic=old, new_topic=topic)
    return appeal
