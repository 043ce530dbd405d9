import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from appeals import services
from appeals.models import Topic
from deputies.access import scope_for
from deputies.models import Region


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name="photo.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type)


def pdf_upload(name="letter.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", "application/pdf"
    )


def file_appeal(citizen, region_code="77", **overrides):
    values = {
        "citizen": citizen,
        "region": Region.objects.get(code=region_code),
        "topic": Topic.objects.get(slug="roads"),
        "subject": "Яма во дворе",
        "text": "Прошу отремонтировать дорогу во дворе дома 5.",
        "consent": True,
    }
    values.update(overrides)
    appeal, _created = services.appeal_file(**values)
    return appeal


def as_scope(person):
    return scope_for(getattr(person, "user", person))
