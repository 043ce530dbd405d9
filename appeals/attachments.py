"""Uploads are judged by their content, never by their name or the browser's word."""

import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models import Attachment

MAX_FILES = 5
MAX_SIZE = 10 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _image_is_whole(upload) -> bool:
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)
    return True


def validate_uploads(files) -> list[tuple[object, str]]:
    """Return (file, content type) pairs, or raise one ValidationError listing every problem."""
    files = [f for f in files if f]
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("Attach at most %(max)s files.") % {"max": MAX_FILES}, code="too_many"
        )
    checked, errors = [], []
    for upload in files:
        name = upload.name[-100:]
        if upload.size > MAX_SIZE:
            errors.append(_("%(name)s is larger than 10 MB.") % {"name": name})
            continue
        content_type = _sniff(upload)
        if content_type is None or (
            content_type.startswith("image/") and not _image_is_whole(upload)
        ):
            errors.append(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": name})
            continue
        checked.append((upload, content_type))
    if errors:
        raise ValidationError(errors, code="bad_file")
    return checked


def attachments_save(*, appeal, message, uploaded_by, checked) -> list[Attachment]:
    saved = []
    for upload, content_type in checked:
        attachment = Attachment(
            appeal=appeal,
            message=message,
            uploaded_by=uploaded_by,
            token=secrets.token_hex(16),
            original_name=upload.name.replace("/", "_").replace("\\", "_")[-200:],
            content_type=content_type,
            size=upload.size,
            created_at=timezone.now(),
        )
        upload.seek(0)
        attachment.file.save(attachment.token, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved
