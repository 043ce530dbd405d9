"""The appeals app's models, one module per responsibility; Django and callers import
them from here. `attachment_path` stays importable here: migration 0001 names it."""

from .appeal import Appeal, AppealNumberSequence, AppealQuerySet
from .collective import AppealBand, AppealFingerprint, CollectiveAppeal
from .contact_access import ContactAccessLog
from .event import AppealEvent
from .message import Attachment, Message, attachment_path
from .notification import Notification
from .synonym import SearchWord, Synonym
from .topic import Topic, TopicModel
from .webhook import WebhookDelivery, WebhookSubscription

__all__ = [
    "Appeal",
    "AppealBand",
    "AppealEvent",
    "AppealFingerprint",
    "AppealNumberSequence",
    "AppealQuerySet",
    "Attachment",
    "CollectiveAppeal",
    "ContactAccessLog",
    "Message",
    "Notification",
    "SearchWord",
    "Synonym",
    "Topic",
    "TopicModel",
    "WebhookDelivery",
    "WebhookSubscription",
    "attachment_path",
]
