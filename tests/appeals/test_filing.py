import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appeals import services
from appeals.models import Appeal, Attachment
from core.errors import ApplicationError
from deputies.models import Municipality, Region
from tests.factories import CitizenFactory, DeputyFactory

from .helpers import file_appeal, pdf_upload, upload

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def test_the_same_idempotency_key_files_one_appeal(citizen, deputy):
    first = file_appeal(citizen, idempotency_key="form-token-1")
    again, created = services.appeal_file(
        citizen=citizen,
        region=first.region,
        topic=first.topic,
        subject="Другая тема",
        text="Другой текст",
        consent=True,
        idempotency_key="form-token-1",
    )
    assert again == first
    assert created is False
    assert Appeal.objects.count() == 1


def test_keys_are_per_citizen(citizen, other_citizen, deputy):
    a = file_appeal(citizen, idempotency_key="same")
    b = file_appeal(other_citizen, idempotency_key="same")
    assert a != b


def test_consent_subject_and_text_are_required_and_nothing_is_saved(citizen, deputy):
    with pytest.raises(ValidationError) as error:
        file_appeal(citizen, consent=False, subject=" ", text="")
    assert set(error.value.message_dict) == {"consent", "subject", "text"}
    assert not Appeal.objects.exists()


def test_a_nameless_citizen_cannot_file(deputy):
    nameless = CitizenFactory(full_name="")
    with pytest.raises(ValidationError) as error:
        file_appeal(nameless)
    assert "full_name" in error.value.message_dict


def test_an_unconfirmed_email_cannot_file(deputy):
    with pytest.raises(ApplicationError):
        file_appeal(CitizenFactory(email_confirmed_at=None))


def test_only_citizens_file(deputy, committee):
    with pytest.raises(PermissionDenied):
        file_appeal(committee)


def test_municipality_and_chosen_deputy_must_belong_to_the_region(citizen, deputy):
    kazan = Municipality.objects.get(region__code="16", is_admin_centre=True)
    stranger = DeputyFactory(region_code="16")
    with pytest.raises(ValidationError) as error:
        file_appeal(citizen, municipality=kazan, chosen_deputy=stranger)
    assert set(error.value.message_dict) == {"municipality", "deputy"}


def test_pdf_jpeg_and_png_are_kept_under_a_name_the_user_did_not_choose(citizen, deputy):
    appeal = file_appeal(citizen, files=[upload("../../etc/passwd.png"), pdf_upload()])
    files = list(Attachment.objects.filter(appeal=appeal).order_by("pk"))
    assert [f.content_type for f in files] == ["image/png", "application/pdf"]
    assert files[0].original_name == "passwd.png"
    assert files[0].file.name == f"appeals/{appeal.pk}/{files[0].token}"
    assert "passwd" not in files[0].file.name


def test_a_renamed_executable_is_refused(citizen, deputy):
    fake = SimpleUploadedFile("scan.pdf", EXE, "application/pdf")
    with pytest.raises(ValidationError) as error:
        file_appeal(citizen, files=[fake])
    assert "scan.pdf" in str(error.value.message_dict["attachments"])
    assert not Appeal.objects.exists()


def test_a_truncated_image_with_a_valid_header_is_refused(citizen, deputy):
    broken = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"garbage", "image/png")
    with pytest.raises(ValidationError):
        file_appeal(citizen, files=[broken])


def test_at_most_five_files_of_at_most_10_mb(citizen, deputy):
    with pytest.raises(ValidationError):
        file_appeal(citizen, files=[upload(f"{n}.png") for n in range(6)])
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as error:
        file_appeal(citizen, files=[big])
    assert "10 MB" in str(error.value.message_dict["attachments"]) or "10 МБ" in str(
        error.value.message_dict["attachments"]
    )
    assert not Appeal.objects.exists()


def test_a_region_without_deputies_still_registers_the_appeal(citizen):
    appeal = file_appeal(citizen, region_code="95")
    assert appeal.region == Region.objects.get(code="95")
    assert appeal.number.startswith("95-")
