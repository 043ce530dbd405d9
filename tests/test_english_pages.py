"""The site in English: every page of the page matrix (tests/test_page_matrix.py), for
every role that may open it, and the page of an appeal in each of its states, with no
Russian outside what people typed. Here everything people type is Latin, so any
Cyrillic letter is the site's own: a message not translated, reference data without its
English name, or a reason stored as Russian text.

And the other way round, the Russian pages put a deputy's name in the case the
sentence needs (deputies.names)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from appeals import services
from appeals.models import Appeal, Attachment
from appeals.notifications import notifications_send_pending
from deputies.models import Body, District, Municipality
from feedback.services import feedback_leave
from ratings.services import ratings_recompute
from tests import test_page_matrix as matrix
from tests.appeals.helpers import as_scope, file_appeal, pdf_upload
from tests.conftest import Client, authenticator_for
from tests.factories import CitizenFactory, CommitteeUserFactory, DeputyFactory, UserFactory

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Text marked as Russian on purpose: the language switch names Russian in Russian.
MARKED_RUSSIAN = re.compile(r'<(\w+)[^>]*\blang="ru"[^>]*>.*?</\1>', re.S)
LATIN_DEPUTY = {"faction": "People's Choice", "bio": "Sees citizens on Tuesdays."}


def russian_in(body: str) -> list[str]:
    """Each run of Cyrillic text in `body` with a little context, for the failure."""
    body = MARKED_RUSSIAN.sub("", body)
    found = []
    for match in re.finditer(r"[А-Яа-яЁё][А-Яа-яЁё\w ,.:;«»()№—-]*", body):
        start = max(0, match.start() - 40)
        found.append(body[start : match.end()].replace("\n", " "))
    return found


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# The role fixtures of tests/conftest.py, with the names people give in Latin letters.
@pytest.fixture
def citizen(db):
    return CitizenFactory(email="citizen@example.org", full_name="Anna Smith", phone="+1 555")


@pytest.fixture
def other_citizen(db):
    return CitizenFactory(email="other.citizen@example.org", full_name="Bob Brown")


@pytest.fixture
def tverskoy(db):
    """A municipality of Moscow with its district, as reference data has them."""
    place = Municipality.objects.create(
        region_id=Body.objects.get(region__code="77", level="regional").region_id,
        name="Тверской район",
        name_en="Tverskoy District",
    )
    district = District.objects.create(
        body=Body.objects.get(region__code="77", level="regional"),
        name="Одномандатный избирательный округ № 1",
        name_en="Single-member constituency No. 1",
        number=1,
    )
    district.municipalities.add(place)
    return district


@pytest.fixture
def deputy(db, tverskoy):
    return DeputyFactory(
        region_code="77",
        user__email="deputy@example.org",
        user__full_name="Ivan Petrov",
        full_name="Ivan Petrov",
        district=tverskoy,
        **LATIN_DEPUTY,
    )


@pytest.fixture
def other_deputy(db):
    return DeputyFactory(
        region_code="77",
        user__email="other.deputy@example.org",
        user__full_name="Olga Ivanova",
        full_name="Olga Ivanova",
        **LATIN_DEPUTY,
    )


@pytest.fixture
def committee(db):
    return CommitteeUserFactory(
        region_code="77", email="committee@example.org", full_name="Carl Clerk"
    )


@pytest.fixture
def other_committee(db):
    return CommitteeUserFactory(
        region_code="78", email="committee.spb@example.org", full_name="Dora Clerk"
    )


@pytest.fixture
def federal(db):
    return UserFactory(
        role=User.Role.FEDERAL, email="federal@example.org", full_name="Fred Federal"
    )


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(
        email="admin@example.org", password="correct-horse-42", full_name="Ada Admin"
    )


def _file(citizen, **kwargs):
    return file_appeal(citizen, subject="Pothole", text="Please fix the road by house 5.", **kwargs)


@pytest.fixture
def world(citizen, deputy, other_deputy, committee, other_committee, federal, admin_user, settings):
    """The matrix's world, and an appeal in each state the history can tell of."""
    settings.FILING_DAILY_LIMIT = settings.FILING_DEPUTY_DAILY_LIMIT = 100
    by_deputy, by_committee = as_scope(deputy), as_scope(committee)
    place = deputy.district.municipalities.get()
    # Routed by district, with a file, extended and answered in between.
    appeal = _file(citizen, municipality=place, files=[pdf_upload()])
    services.appeal_take(scope=by_deputy, appeal=appeal, actor=deputy.user)
    services.appeal_reply(
        scope=by_deputy, appeal=appeal, actor=deputy.user, text="Working on it", final=False
    )
    services.appeal_extend(
        scope=by_deputy, appeal=appeal, actor=deputy.user, days=10, reason="Waiting for papers"
    )
    # Chosen by the citizen and answered; another disputed by a repeat appeal.
    answered = _file(citizen, chosen_deputy=deputy)
    services.appeal_reply(
        scope=by_deputy, appeal=answered, actor=deputy.user, text="Answer", final=True
    )
    disputed = _file(citizen, chosen_deputy=deputy)
    services.appeal_reply(
        scope=by_deputy, appeal=disputed, actor=deputy.user, text="Answer", final=True
    )
    disputed.refresh_from_db()
    repeat, _created = services.appeal_file_repeat(
        citizen=citizen,
        original=disputed,
        subject="Repeat",
        text="Still a pothole.",
        consent=True,
    )
    # Rated and closed; answered and closed 14 days later without a rating.
    rated = _file(citizen, chosen_deputy=deputy)
    services.appeal_reply(scope=by_deputy, appeal=rated, actor=deputy.user, text="Done", final=True)
    feedback_leave(
        scope=as_scope(citizen), appeal=rated, actor=citizen, overall=4, solved="yes",
        speed=4, personal=5, comment="Thanks",
    )  # fmt: skip
    unrated = _file(citizen, chosen_deputy=deputy)
    services.appeal_reply(
        scope=by_deputy, appeal=unrated, actor=deputy.user, text="Done", final=True
    )
    Appeal.objects.filter(pk=unrated.pk).update(answered_at=timezone.now() - timedelta(days=15))
    services.appeals_close_answered()
    # The least loaded, then redirected; rejected; withdrawn.
    redirected = _file(citizen)
    services.appeal_redirect(
        scope=as_scope(redirected.deputy), appeal=redirected, actor=redirected.deputy.user,
        to_deputy=other_deputy if redirected.deputy == deputy else deputy,
        reason="Colleague's district",
    )  # fmt: skip
    rejected = _file(citizen, chosen_deputy=deputy)
    services.appeal_reject(scope=by_deputy, appeal=rejected, actor=deputy.user, reason="obscene")
    withdrawn = _file(citizen, chosen_deputy=deputy)
    services.appeal_withdraw(
        scope=as_scope(citizen), appeal=withdrawn, actor=citizen, reason="Solved"
    )
    # No regional deputy of Moscow at the municipal level: the committee's queue; one
    # assigned from it, one still waiting; one taken from a deputy after its deadline.
    queued = _file(citizen, level=Body.Level.MUNICIPAL)
    waiting = _file(citizen, level=Body.Level.MUNICIPAL)
    services.appeal_assign(scope=by_committee, appeal=queued, actor=committee, to_deputy=deputy)
    overdue = _file(citizen, chosen_deputy=other_deputy)
    Appeal.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    overdue.refresh_from_db()
    services.appeal_assign(scope=by_committee, appeal=overdue, actor=committee, to_deputy=deputy)
    late = _file(citizen, chosen_deputy=other_deputy)
    Appeal.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    ratings_recompute()
    return {
        "appeal": appeal,
        "answered": answered,
        "target": DeputyFactory(region_code="77", full_name="Tom Target", **LATIN_DEPUTY),
        "attachment": Attachment.objects.get(appeal=appeal),
        "authenticator": authenticator_for(deputy.user),
        "every_state": [
            appeal, answered, disputed, repeat, rated, unrated, redirected, rejected, withdrawn,
            queued, waiting, overdue, late,
        ],
    }  # fmt: skip


GET_PAGES = sorted(
    (name, method, variant)
    for (name, method, variant), expected in matrix.MATRIX.items()
    if method == "get" and 200 in expected.values()
)


@pytest.mark.parametrize(("name", "method", "variant"), GET_PAGES)
def test_every_page_in_english_has_no_russian(name, method, variant, world, request):
    russian = {}
    for role, expected in matrix.MATRIX[(name, method, variant)].items():
        if expected != 200:
            continue
        client = english(Client())
        matrix._sign_in(client, role, request)
        response = matrix._request(client, name, method, variant, world, request)
        assert response.status_code == 200, (role, response.status_code)
        if not response["Content-Type"].startswith(("text/", "application/json")):
            continue  # the attachment itself
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if found := russian_in(content.decode()):
            russian[role] = found
    assert not russian, russian


@pytest.mark.parametrize("role", ["citizen", "deputy", "other_deputy", "committee", "federal"])
def test_the_appeal_page_in_every_state_in_english_has_no_russian(role, world, request):
    client = english(Client())
    matrix._sign_in(client, role, request)
    russian, seen = {}, 0
    for appeal in world["every_state"]:
        response = client.get(appeal.get_absolute_url())
        if response.status_code == 404:
            continue  # not this role's
        seen += 1
        if found := russian_in(response.content.decode()):
            russian[appeal.number] = found
    assert seen
    assert not russian, russian


def test_history_reasons_are_worded_in_the_readers_language(world, request):
    appeal = world["appeal"]
    client = Client()
    matrix._sign_in(client, "citizen", request)

    russian = client.get(appeal.get_absolute_url()).content.decode()
    english_page = english(client).get(appeal.get_absolute_url()).content.decode()

    assert "направлено депутату Ivan Petrov: Тверской район входит в округ" in russian
    assert "routed to Ivan Petrov: the district covers Tverskoy District" in english_page
    assert "extended by 10 days" in english_page and "Waiting for papers" in english_page


# --- Russian: names in the dative -------------------------------------------------------


@pytest.fixture
def popova(db):
    return DeputyFactory(region_code="77", full_name="Попова Александра Борисовна")


def test_the_appeal_page_says_to_whom_in_the_dative(client, popova):
    citizen = CitizenFactory(full_name="Смирнов Андрей Петрович")
    appeal = file_appeal(citizen, chosen_deputy=popova)
    client.force_login(citizen)

    page = client.get(appeal.get_absolute_url()).content.decode()

    assert "направлено депутату Поповой Александре Борисовне по выбору гражданина" in page
    assert "депутату Попова Александра" not in page
    english_page = english(client).get(appeal.get_absolute_url()).content.decode()
    assert "routed to Попова Александра Борисовна: chosen by the citizen" in english_page


def test_the_letter_names_the_new_deputy_in_the_dative(
    committee, popova, django_capture_on_commit_callbacks
):
    citizen = CitizenFactory(full_name="Смирнов Андрей Петрович")
    appeal = file_appeal(citizen, level=Body.Level.MUNICIPAL)  # Moscow has no council: queued

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_assign(
            scope=as_scope(committee), appeal=appeal, actor=committee, to_deputy=popova
        )
    notifications_send_pending()

    letter = next(m for m in mail.outbox if m.to == [citizen.email])
    assert "Исполком передал его депутату Поповой Александре Борисовне." in letter.body
    assert "Здравствуйте, Смирнов Андрей Петрович!" in letter.body


def test_the_committee_is_told_to_whom_it_assigned_in_the_dative(committee, popova):
    citizen = CitizenFactory()
    appeal = file_appeal(citizen, level=Body.Level.MUNICIPAL)
    client = Client()
    client.force_login(committee)

    response = client.post(
        reverse("appeals:committee_queue"), {"appeal": appeal.number, "deputy": popova.pk},
        follow=True,
    )  # fmt: skip

    assert (
        f"Обращение № {appeal.number} назначено депутату Поповой Александре Борисовне."
        in response.content.decode()
    )


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_shows_english_names_and_reasons_in_english():
    from django.core.management import call_command
    from django.utils import translation

    from appeals.history import event_reason
    from appeals.models import AppealEvent
    from appeals.personal_data import FREE_TEXT_REASONS
    from deputies.models import Region

    call_command("seed_demo", deputies=120, appeals=1500, seed=7, today="2026-11-23", verbosity=0)

    for model in (Region, Municipality, Body, District):
        assert not model.objects.filter(name_en="").exists(), model
    events = AppealEvent.objects.exclude(type__in=FREE_TEXT_REASONS).select_related(
        "appeal__municipality", "appeal__deputy", "deputy"
    )
    with translation.override("en"):
        russian = {
            (event.type, reason)
            for event in events
            # Only the deputy's name, as written, may be Russian.
            if CYRILLIC.search(
                reason := event_reason(event, event.appeal).replace(
                    event.deputy.full_name if event.deputy else "—", ""
                )
            )
        }
    assert not russian, russian
    # The system's reasons are codes, not text.
    assert not events.exclude(reason="").exclude(type="repeat_filed").exists()


# --- Russian as Russians write it --------------------------------------------------------

QUALITY = (
    "Quality: %(voices)s citizen rated your answers (each citizen counts once; half "
    "satisfaction, a quarter whether the problem was solved, a quarter the personal approach).",
    "Quality: %(voices)s citizens rated your answers (each citizen counts once; half "
    "satisfaction, a quarter whether the problem was solved, a quarter the personal approach).",
)


@pytest.mark.parametrize(
    ("voices", "words"),
    [
        (1, "ваши ответы оценил 1 гражданин"),
        (3, "ваши ответы оценили 3 гражданина"),
        (15, "ваши ответы оценили 15 граждан"),
        (21, "ваши ответы оценил 21 гражданин"),
    ],
)
def test_a_number_agrees_with_its_noun(voices, words):
    from django.utils import translation

    with translation.override("ru"):
        said = translation.ngettext(*QUALITY, voices) % {"voices": voices}
    assert said.startswith(f"Качество: {words} (")


def test_a_wrong_password_is_said_in_plain_russian(client, citizen):
    response = client.post(
        reverse("login"), {"username": citizen.email, "password": "not-the-password"}
    )

    body = response.content.decode()
    assert "Неверный адрес почты или пароль." in body
    assert "введите правильные" not in body
    english_body = english(client).post(
        reverse("login"), {"username": citizen.email, "password": "not-the-password"}
    )
    assert "Wrong e-mail or password." in english_body.content.decode()
