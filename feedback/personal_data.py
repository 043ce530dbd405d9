"""Feedback's part of a citizen's data export and erasure (appeals.personal_data asks
for it through its signals): the scores stay, so the rating does not change; the
comment, the citizen's own words, goes."""

from .models import Feedback


def collect(sender, *, user, **kwargs) -> dict:
    return {
        f.appeal_id: {
            "feedback": {
                "overall": f.overall,
                "solved": f.solved,
                "speed": f.speed,
                "personal": f.personal,
                "comment": f.comment,
            }
        }
        for f in Feedback.objects.filter(citizen=user)
    }


def erase(sender, *, user, **kwargs) -> None:
    Feedback.objects.filter(citizen=user).update(comment="")
