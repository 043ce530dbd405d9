import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.models import User
from appeals.selectors import appeal_get_for, appeal_list
from deputies.access import can_read_appeal_text, can_see_citizen_contacts, scope_for
from tests.factories import AppealFactory, UserFactory
from tests.helpers import captured_queries

ROLES_THAT_SEE = {
    "anonymous": False,
    "citizen": True,
    "other_citizen": False,
    "deputy": True,
    "other_deputy": False,
    "committee": True,
    "other_committee": False,
    "federal": True,
}


def user_for(role, request):
    if role == "anonymous":
        return AnonymousUser()
    person = request.getfixturevalue(role)
    return person.user if role in ("deputy", "other_deputy") else person


@pytest.mark.parametrize(("role", "sees"), ROLES_THAT_SEE.items())
def test_each_role_opens_only_the_appeals_it_may_see(role, sees, appeal, request):
    scope = scope_for(user_for(role, request))

    if sees:
        assert appeal_get_for(scope=scope, number=appeal.number) == appeal
        assert list(appeal_list(scope=scope)) == [appeal]
    else:
        with pytest.raises(Http404):
            appeal_get_for(scope=scope, number=appeal.number)
        assert list(appeal_list(scope=scope)) == []


@pytest.mark.parametrize("role", ROLES_THAT_SEE)
def test_a_missing_appeal_is_the_same_404_as_a_hidden_one(role, appeal, request):
    scope = scope_for(user_for(role, request))
    with pytest.raises(Http404):
        appeal_get_for(scope=scope, number="77-2026-999999")


def test_deputy_account_without_a_deputy_record_sees_nothing(appeal):
    orphan = UserFactory(role=User.Role.DEPUTY)
    assert list(appeal_list(scope=scope_for(orphan))) == []


def test_committee_account_without_a_region_sees_nothing(appeal):
    orphan = UserFactory(role=User.Role.COMMITTEE)
    assert list(appeal_list(scope=scope_for(orphan))) == []


def test_an_inactive_account_is_anonymous(appeal, citizen):
    citizen.is_active = False
    assert scope_for(citizen).is_anonymous


def test_committee_reads_text_and_contacts_only_of_its_unassigned_queue(
    committee, other_committee, appeal
):
    unassigned = AppealFactory(deputy=None)
    own = scope_for(committee)

    assert can_see_citizen_contacts(own, unassigned)
    assert can_read_appeal_text(own, unassigned)
    assert not can_see_citizen_contacts(own, appeal)
    assert not can_read_appeal_text(own, appeal)
    assert not can_see_citizen_contacts(scope_for(other_committee), unassigned)


def test_text_and_contacts_go_to_the_citizen_and_the_assigned_deputy_only(
    appeal, citizen, other_citizen, deputy, other_deputy, federal
):
    assert can_read_appeal_text(scope_for(citizen), appeal)
    assert can_see_citizen_contacts(scope_for(deputy.user), appeal)
    assert not can_read_appeal_text(scope_for(other_citizen), appeal)
    assert not can_read_appeal_text(scope_for(other_deputy.user), appeal)
    # Central office compares regions; it does not read people's letters.
    assert not can_read_appeal_text(scope_for(federal), appeal)


def test_scope_is_computed_once_per_user_object(deputy):
    user = User.objects.get(pk=deputy.user_id)
    with captured_queries() as sql:
        scope_for(user)
        scope_for(user)
    assert len(sql) == 1, str(sql)
