"""Removes the demo data so a seed can start again."""

from accounts.models import User
from appeals.models import Appeal, AppealEvent, AppealNumberSequence, Attachment, Message
from deputies.models import Body, CommitteeMembership, Deputy, District
from feedback.models import Feedback
from ratings.models import RatingRun, RatingSnapshot

from .common import DEMO_DOMAIN


def flush_demo():
    """Remove everything but the reference data (regions, their places and bodies, topics)."""
    for model in (Feedback, AppealEvent, Message, Attachment):
        model.objects.all()._raw_delete(model.objects.db)
    Appeal.objects.all()._raw_delete(Appeal.objects.db)
    AppealNumberSequence.objects.all().delete()
    RatingSnapshot.objects.all()._raw_delete(RatingSnapshot.objects.db)
    RatingRun.objects.all().delete()
    Deputy.objects.all().delete()
    District.objects.all().delete()
    CommitteeMembership.objects.all().delete()
    Body.objects.filter(level=Body.Level.MUNICIPAL, municipality__is_admin_centre=False).delete()
    User.objects.filter(email__endswith="@" + DEMO_DOMAIN).delete()
