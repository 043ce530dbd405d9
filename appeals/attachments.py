"""Uploads are judged by their content, never by their name or the browser's word."""

import secrets
import warnings

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError
from PIL.Image import DecompressionBombError, DecompressionBombWarning

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


class ImageTooLarge(Exception):
    pass


def _image_is_whole(upload) -> bool:
    """Raises ImageTooLarge for a picture whose header claims more pixels than Pillow's
    limit: a few kilobytes that would take gigabytes to open (a decompression bomb)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()
    except (DecompressionBombError, DecompressionBombWarning) as exc:
        raise ImageTooLarge from exc
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
            ngettext("Attach at most %(max)s file.", "Attach at most %(max)s files.", MAX_FILES)
            % {"max": MAX_FILES},
            code="too_many",
        )
    checked, errors = [], []
    for upload in files:
        name = upload.name[-100:]
        if upload.size > MAX_SIZE:
            errors.append(_("%(name)s is larger than 10 MB.") % {"name": name})
            continue
        content_type = _sniff(upload)
        try:
            whole = content_type is not None and (
                not content_type.startswith("image/") or _image_is_whole(upload)
            )
        except ImageTooLarge:
            errors.append(_("The image is too large: %(name)s.") % {"name": name})
            continue
        if not whole:
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
