import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from appeals import services
from appeals.models import Appeal, Topic
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


# The filing page's form as a citizen fills it in, in Moscow (region 77), and sends it
# from the check page ("confirm": the button that files it; without it the form is
# only checked).
FORM = {
    "region": "77",
    "topic": "",
    "subject": "Нет освещения во дворе",
    "text": "Во дворе дома 7 не горят фонари уже месяц.",
    "address": "ул. Ленина, д. 7",
    "consent": "on",
    "token": "tok-123",
    "confirm": "1",
}


def form_data(**overrides):
    """The filing form as a citizen posts it, with `overrides`."""
    data = {**FORM, "topic": Topic.objects.get(slug="landscaping").pk}
    data.update(overrides)
    return data


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


def history(appeal):
    """The appeal's event types, oldest first."""
    return list(appeal.events.order_by("pk").values_list("type", flat=True))


def as_scope(person):
    return scope_for(getattr(person, "user", person))


def answered_appeal(citizen, deputy, **kwargs):
    """An appeal filed to `deputy` and given its final answer, read afresh."""
    appeal = file_appeal(citizen, chosen_deputy=deputy, **kwargs)
    services.appeal_reply(
        scope=as_scope(deputy),
        appeal=appeal,
        actor=deputy.user,
        text="Яму заделают до 1 декабря.",
        final=True,
    )
    return Appeal.objects.get(pk=appeal.pk)
