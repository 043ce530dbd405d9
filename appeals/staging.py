"""Attachments held between the "check your appeal" step and the confirmation.

A browser cannot send a file twice without the person choosing it again, so the files
of a form that passed its checks are kept on the server, under the account, until the
citizen confirms (they become the appeal's attachments and leave here), edits (they
stay, or are removed one by one), or walks away (they are swept after a day). The page
carries a signed list of them, bound to the account and to the form's idempotency
token: a list from another person's or another filing's form is not read.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

SALT = "appeals.staging"
KEEP = timedelta(days=1)
# At most this many files wait under one account: two filings in two tabs.
MAX_WAITING = 10


@dataclass(frozen=True)
class Staged:
    key: str  # the stored file's name: random, never the citizen's
    name: str  # the citizen's name of the file, shown on the pages
    size: int


def _folder(user_id: int) -> str:
    return f"staging/{user_id}"


def _path(user_id: int, key: str) -> str:
    return f"{_folder(user_id)}/{key}"


def stage(*, user, checked) -> list[Staged]:
    """Keep uploads that passed appeals.attachments.validate_uploads."""
    staged = []
    for upload, _content_type in checked:
        key = secrets.token_hex(16)
        upload.seek(0)
        default_storage.save(_path(user.pk, key), upload)
        name = upload.name.replace("/", "_").replace("\\", "_")[-200:]
        staged.append(Staged(key=key, name=name, size=upload.size))
    _sweep(user.pk, keep={s.key for s in staged})
    return staged


def sign(*, user, token: str, staged: list[Staged]) -> str:
    if not staged:
        return ""
    files = [[s.key, s.name, s.size] for s in staged]
    return signing.dumps({"u": user.pk, "t": token, "f": files}, salt=SALT, compress=True)


def unsign(value: str, *, user, token: str) -> list[Staged]:
    """The files a page names, if the list is this account's and this filing's and
    younger than a day; otherwise none."""
    if not value:
        return []
    try:
        data = signing.loads(value, salt=SALT, max_age=KEEP)
    except signing.BadSignature:
        return []
    if data.get("u") != user.pk or data.get("t") != token:
        return []
    return [Staged(key=key, name=name, size=size) for key, name, size in data["f"]]


def open_files(*, user, staged: list[Staged]) -> list:
    """The kept files, opened, each under the citizen's name of it. The caller closes
    them. Raises ValidationError if one is gone (swept after a day)."""
    opened = []
    try:
        for item in staged:
            handle = default_storage.open(_path(user.pk, item.key), "rb")
            handle.name = item.name
            opened.append(handle)
    except FileNotFoundError:
        close(opened)
        raise ValidationError(
            {"attachments": _("The attached files were kept for a day only: attach them again.")}
        ) from None
    return opened


def close(files) -> None:
    for handle in files:
        handle.close()


def discard(*, user, staged: list[Staged]) -> None:
    for item in staged:
        default_storage.delete(_path(user.pk, item.key))


def erase(*, user_id: int) -> None:
    """Every kept file of the account: its personal data is being erased."""
    _sweep(user_id, keep=set(), older_than=timedelta(0))


def _sweep(user_id: int, *, keep: set, older_than: timedelta = KEEP) -> None:
    """Files of the account older than `older_than`, and the oldest beyond MAX_WAITING."""
    folder = _folder(user_id)
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    now = timezone.now()
    dated = sorted(
        ((default_storage.get_modified_time(f"{folder}/{name}"), name) for name in names),
        reverse=True,
    )
    for position, (modified, name) in enumerate(dated):
        if name in keep:
            continue
        if position >= MAX_WAITING or now - modified >= older_than:
            default_storage.delete(f"{folder}/{name}")
            log.debug("staged file %s of user %s swept", name, user_id)
