"""Pages of the appeal's life, by who uses them. Each view parses input, calls one
service or selector, and renders; who may do what is decided in deputies.access and
the services.

filing: filing (first and repeat: the form, the check step, the receipt) and the
finder of one's deputy; citizen: my appeals, my personal data; deputy: the
dashboard; committee: the committee's queue; appeal: the appeal's page and its
actions, attachments, notifications; _common: paging, form errors and the appeal
page's context. appeals/urls.py and feedback's page import from here.
"""

from ._common import PER_PAGE, appeal_page_context, apply_errors
from .appeal import (
    ACTIONS,
    Action,
    appeal_action,
    appeal_detail,
    attachment_download,
    notification_list,
)
from .citizen import appeal_list, personal_data_download, personal_data_erase
from .collective import collective_answer, collective_join, collective_leave
from .committee import QueueRow, committee_queue, committee_search
from .deputy import dashboard
from .filing import (
    appeal_create,
    appeal_finder,
    appeal_receipt,
    appeal_recipient,
    topic_suggestion,
)

__all__ = [
    "ACTIONS",
    "PER_PAGE",
    "Action",
    "QueueRow",
    "appeal_action",
    "appeal_create",
    "appeal_detail",
    "appeal_finder",
    "appeal_list",
    "appeal_page_context",
    "appeal_receipt",
    "appeal_recipient",
    "apply_errors",
    "attachment_download",
    "collective_answer",
    "collective_join",
    "collective_leave",
    "committee_queue",
    "committee_search",
    "dashboard",
    "notification_list",
    "personal_data_download",
    "personal_data_erase",
    "topic_suggestion",
]
