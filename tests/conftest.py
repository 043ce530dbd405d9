import pytest

from accounts.models import User

from .factories import (
    AppealFactory,
    CitizenFactory,
    CommitteeUserFactory,
    DeputyFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def citizen(db):
    return CitizenFactory(email="citizen@example.org")


@pytest.fixture
def other_citizen(db):
    return CitizenFactory(email="other.citizen@example.org")


@pytest.fixture
def deputy(db):
    return DeputyFactory(region_code="77", user__email="deputy@example.org")


@pytest.fixture
def other_deputy(db):
    return DeputyFactory(region_code="77", user__email="other.deputy@example.org")


@pytest.fixture
def committee(db):
    return CommitteeUserFactory(region_code="77", email="committee@example.org")


@pytest.fixture
def other_committee(db):
    return CommitteeUserFactory(region_code="78", email="committee.spb@example.org")


@pytest.fixture
def federal(db):
    return UserFactory(role=User.Role.FEDERAL, email="federal@example.org")


@pytest.fixture
def appeal(citizen, deputy):
    return AppealFactory(citizen=citizen, deputy=deputy)
