"""Every page of the site, and every action of the appeal page, against every role, as
tests/api/test_matrix.py does for the API. A page added without an entry here fails
`test_every_page_is_in_the_matrix`.

Each entry is requested by each role in turn inside a savepoint rolled back after it, so
the world is built once per entry and every role meets the same one."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from appeals import services as appeal_services
from appeals.models import Appeal, Attachment, Topic
from deputies.models import Municipality
from ratings.models import HotSpotAlert
from tests.appeals.helpers import as_scope, file_appeal, pdf_upload
from tests.conftest import Client, authenticator_for  # staff signed in after the code step
from tests.factories import DeputyFactory
from tests.helpers import ROLES as API_ROLES

pytestmark = pytest.mark.django_db

ROLES = [*API_ROLES, "admin"]
STAFF = {"admin"}  # is_staff: the admin site's own gate


# A redirect that carries an error message: the page said no and sent the person away.
REFUSED = "302 with an error"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    """login_required sends the anonymous visitor to the sign-in page."""
    return {**everyone(status), "anonymous": 302}


def only(status, *who, others=404):
    """`who` get `status`; other signed-in roles `others` (404: existence does not leak)."""
    return {**signed_in(others), **dict.fromkeys(who, status)}


# Who sees the appeal page of `world["appeal"]` (the citizen's, assigned to the deputy,
# in the committee's region); the "other" roles get 404 as for a missing appeal.
SEES = only(200, "citizen", "deputy", "committee", "federal", "admin")
POST_ONLY = signed_in(405)


def acts(*who):
    """`who` act (302 back to a page); others who see the appeal are refused (403), others
    do not see it (404)."""
    return {
        role: 302 if role in who else (403 if SEES[role] == 200 else SEES[role]) for role in ROLES
    }


# (URL name, method, variant) -> the status for each role.
MATRIX = {
    # public pages
    ("home", "get", ""): everyone(200),
    ("consent", "get", ""): everyone(200),
    ("set_language", "get", ""): everyone(302),  # back to where one came from
    ("schema", "get", ""): everyone(200),
    ("api-docs", "get", ""): everyone(200),
    ("problem-type", "get", ""): everyone(200),  # what an API problem's `type` describes
    ("deputies:region_list", "get", ""): everyone(200),
    ("deputies:region_detail", "get", ""): everyone(200),
    ("deputies:deputy_detail", "get", ""): everyone(200),
    ("deputies:deputy_photo", "get", ""): everyone(404),  # the deputy has no photo
    # signing in and out (Django's auth views)
    ("login", "get", ""): everyone(200),
    ("logout", "get", ""): everyone(405),
    ("password_change", "get", ""): signed_in(200),
    ("password_change_done", "get", ""): signed_in(200),
    ("password_reset", "get", ""): everyone(200),
    ("password_reset_done", "get", ""): everyone(200),
    ("password_reset_confirm", "get", ""): everyone(200),  # says the link is invalid
    ("password_reset_complete", "get", ""): everyone(200),
    # accounts
    ("accounts:signup", "get", ""): {**everyone(302), "anonymous": 200},
    ("accounts:signup_done", "get", ""): everyone(200),
    ("accounts:confirm_email", "get", ""): everyone(REFUSED),  # an unknown token
    ("accounts:resend_confirmation", "get", ""): POST_ONLY,
    ("accounts:home", "get", ""): everyone(302),  # each role to its start page
    ("accounts:profile", "get", ""): signed_in(200),
    ("accounts:accessibility", "get", ""): everyone(405),
    ("accounts:issue_token", "get", ""): POST_ONLY,
    ("accounts:revoke_token", "get", ""): POST_ONLY,
    # the code step of a staff sign-in: a citizen needs none and a verified staff session
    # has passed it, so both are sent on to where they were going
    ("two_factor:verify", "get", ""): everyone(302),
    ("two_factor:setup", "get", ""): everyone(302),
    ("two_factor:recovery_codes", "get", ""): POST_ONLY,
    # new recovery codes, shown once: verified staff only; a citizen back to the profile
    ("two_factor:recovery_codes", "post", ""): {
        **signed_in(200),
        "citizen": 302,
        "other_citizen": 302,
    },
    # a citizen's pages
    ("appeals:appeal_list", "get", ""): signed_in(200),  # each sees their own
    ("appeals:appeal_create", "get", ""): {
        **signed_in(REFUSED),  # only a citizen files: the others are sent home
        "citizen": 200,
        "other_citizen": 200,
    },
    ("appeals:appeal_create", "get", "repeat"): {
        **signed_in(REFUSED),
        "citizen": 200,
        "other_citizen": 404,  # another's appeal: as if missing
    },
    ("appeals:appeal_create", "post", "repeat"): {
        **signed_in(REFUSED),
        "citizen": 302,  # to the new repeat appeal's receipt
        "other_citizen": 404,
    },
    # finding one's deputy: public; the form's "who will get it" is an htmx partial, and
    # without htmx it sends the visitor to the finder
    ("appeals:appeal_finder", "get", ""): everyone(200),
    ("appeals:appeal_recipient", "get", ""): everyone(302),
    ("appeals:appeal_recipient", "get", "htmx"): everyone(200),
    # the topic suggested while the citizen types: a filing citizen's alone
    ("appeals:topic_suggestion", "post", ""): {
        **signed_in(403),
        "citizen": 200,
        "other_citizen": 200,
    },
    ("appeals:topic_suggestion", "get", ""): POST_ONLY,
    # the receipt of a filed appeal is its citizen's alone
    ("appeals:appeal_receipt", "get", ""): only(200, "citizen"),
    ("appeals:notification_list", "get", ""): signed_in(200),
    ("appeals:personal_data_download", "get", ""): signed_in(200),
    ("appeals:personal_data_erase", "get", ""): signed_in(200),
    # the appeal page and its actions
    ("appeals:appeal_detail", "get", ""): SEES,
    # the text and its files: the citizen and the deputy who answers, not the staff
    ("appeals:attachment_download", "get", ""): only(200, "citizen", "deputy"),
    ("appeals:appeal_take", "post", ""): acts("deputy"),
    ("appeals:appeal_reply", "post", ""): acts("deputy"),
    ("appeals:appeal_redirect", "post", ""): acts("deputy"),
    ("appeals:appeal_extend", "post", ""): acts("deputy"),
    ("appeals:appeal_reject", "post", ""): acts("deputy"),
    ("appeals:appeal_supplement", "post", ""): acts("deputy"),
    ("appeals:appeal_withdraw", "post", ""): acts("citizen"),
    ("appeals:appeal_follow_up", "post", ""): acts("citizen"),
    ("appeals:appeal_assign", "post", ""): acts("committee"),
    ("appeals:appeal_topic", "post", ""): acts("deputy"),
    # collective appeals: the appeal has no similar appeal to join (400: nothing to tick)
    # and is in no collective appeal (to leave or to answer: refused, saying so)
    ("appeals:collective_join", "post", ""): {
        **acts("deputy", "committee"),
        "deputy": 400,
        "committee": 400,
    },
    ("appeals:collective_leave", "post", ""): {
        **acts("deputy", "committee"),
        "deputy": REFUSED,
        "committee": REFUSED,
    },
    ("appeals:collective_answer", "post", ""): {**acts("deputy"), "deputy": REFUSED},
    ("feedback:feedback_leave", "post", ""): acts("citizen"),
    # a deputy's pages
    ("appeals:dashboard", "get", ""): only(200, "deputy", "other_deputy"),
    ("ratings:my_rating", "get", ""): only(200, "deputy", "other_deputy"),
    # a committee's pages (region 77 asked for: the Moscow committee and federal staff)
    ("appeals:committee_queue", "get", ""): only(200, "committee", "other_committee"),
    ("appeals:committee_queue", "post", ""): only(302, "committee"),
    # the search over a region's appeals: each committee its own, federal staff any
    ("appeals:committee_search", "get", ""): only(
        200, "committee", "other_committee", "federal", "admin"
    ),
    ("ratings:region_table", "get", ""): only(200, "committee", "federal", "admin"),
    ("ratings:topic_analytics", "get", ""): only(200, "committee", "federal", "admin"),
    ("ratings:formula_preview", "get", ""): only(200, "committee", "federal", "admin"),
    ("ratings:deputy_rating", "get", ""): only(200, "deputy", "committee", "federal", "admin"),
    # hot spots: each committee its region's list, federal staff every region's
    ("ratings:hot_spots", "get", ""): only(200, "committee", "other_committee", "federal", "admin"),
    ("ratings:hot_spot", "get", ""): only(200, "committee", "federal", "admin"),
    # federal staff
    ("ratings:regions_comparison", "get", ""): only(200, "federal", "admin"),
    # the admin site: staff only; others are sent to its sign-in page
    ("admin:index", "get", ""): {**everyone(302), "admin": 200},
    # django-otp's pages of a staff member's authenticator show its secret and QR code
    # OTP_ADMIN_HIDE_SENSITIVE_DATA: not even an operator reads another's authenticator key.
    ("admin:otp_totp_totpdevice_config", "get", ""): {**everyone(302), "admin": 403},
    ("admin:otp_totp_totpdevice_qrcode", "get", ""): {**everyone(302), "admin": 403},
}
# Each action of the appeal page answers GET with 405 (after sign-in).
MATRIX.update(
    {
        (name, "get", ""): POST_ONLY
        for (name, method, variant) in list(MATRIX)
        if method == "post" and not variant and name.startswith(("appeals:appeal_", "feedback:"))
    }
)


def admin_changelists():
    return sorted(name for name in site_pages() if name.endswith("_changelist"))


def site_pages():
    """The name of every URL pattern outside the API (tests/api/test_matrix.py)."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace != "api":
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return found


# The admin site's pages share one gate (is_staff, then model permissions, Django's
# own); index and every changelist stand for them. Its other pages are named here.
ADMIN_SAMPLED = ("_add", "_change", "_delete", "_history")
ADMIN_OTHERS = {
    "admin:None",  # the bare object URL that redirects to _change
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
}


def test_every_page_is_in_the_matrix():
    covered = {name for (name, _method, _variant) in MATRIX} | set(admin_changelists())
    missing = sorted(
        name
        for name in site_pages() - covered
        if not (
            name.startswith("admin:") and (name.endswith(ADMIN_SAMPLED) or name in ADMIN_OTHERS)
        )
    )
    assert not missing, f"pages with no entry in MATRIX: {missing}"


@pytest.fixture
def world(citizen, deputy, other_deputy, committee, other_committee, federal, admin_user):
    appeal = file_appeal(citizen, chosen_deputy=deputy, files=[pdf_upload()])
    answered = file_appeal(citizen, chosen_deputy=deputy)
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=answered, actor=deputy.user, text="Ответ", final=True
    )
    return {
        "appeal": appeal,
        "answered": answered,
        "target": DeputyFactory(region_code="77"),
        "attachment": Attachment.objects.get(appeal=appeal),
        "authenticator": authenticator_for(deputy.user),
    }


def hot_spot_alert(appeal):
    """An alert in the appeal's region (Moscow's committee's), on its topic."""
    alert, _created = HotSpotAlert.objects.get_or_create(
        municipality=Municipality.objects.filter(region__code="77").first(),
        topic=appeal.topic, week=timezone.localdate(),
        defaults={"region": appeal.region, "count": 12, "baseline": 2.0, "p_value": 1e-6,
                  "score": 6.0, "series": [2] * 12 + [12]},
    )  # fmt: skip
    return alert


def _request(client, name, method, variant, world, request):
    deputy = request.getfixturevalue("deputy")
    appeal, answered, target = world["appeal"], world["answered"], world["target"]
    kwargs, query, data = {}, {}, {}
    if name in (
        "ratings:region_table",
        "ratings:topic_analytics",
        "ratings:formula_preview",
        "appeals:appeal_finder",
        "appeals:appeal_recipient",
    ):
        query = {"region": "77"}
    elif name == "deputies:region_detail":
        kwargs = {"code": "77"}
    elif name == "problem-type":
        kwargs = {"code": "not_found"}
    elif name in ("deputies:deputy_detail", "deputies:deputy_photo", "ratings:deputy_rating"):
        kwargs = {"pk": deputy.pk}
    elif name == "ratings:hot_spot":
        kwargs = {"pk": hot_spot_alert(appeal).pk}
    elif name == "accounts:revoke_token":
        kwargs = {"pk": 1}
    elif name == "accounts:confirm_email":
        kwargs = {"token": "no-such-token"}
    elif name == "password_reset_confirm":
        kwargs = {"uidb64": "MQ", "token": "set-password"}
    elif name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        kwargs = {"pk": world["authenticator"].pk}
    elif name == "appeals:attachment_download":
        kwargs = {"number": appeal.number, "token": world["attachment"].token}
    elif (
        name.startswith("appeals:appeal_")
        and name
        not in (
            "appeals:appeal_list",
            "appeals:appeal_create",
            "appeals:appeal_finder",
            "appeals:appeal_recipient",
        )
    ) or name in ("feedback:feedback_leave", "appeals:collective_join",
                  "appeals:collective_leave", "appeals:collective_answer"):  # fmt: skip
        on_answered = name in ("appeals:appeal_supplement", "feedback:feedback_leave")
        kwargs = {"number": (answered if on_answered else appeal).number}
    data = {
        "appeals:appeal_reply": {"text": "Ответ по существу", "final": "on", "confirm_final": "on"},
        "appeals:appeal_supplement": {"text": "Дополнение к ответу"},
        "appeals:appeal_redirect": {"deputy": target.pk, "reason": "Округ коллеги"},
        "appeals:appeal_extend": {"days": 10, "reason": "Запрос документов"},
        "appeals:appeal_reject": {"reason": "obscene"},
        "appeals:appeal_withdraw": {"reason": "Решено"},
        "appeals:appeal_follow_up": {"text": "Дополнение"},
        "appeals:appeal_assign": {"deputy": target.pk},
        "appeals:appeal_topic": {"topic": Topic.objects.get(slug="housing-roof").pk},
        "appeals:topic_suggestion": {"subject": "Течёт крыша", "text": "Заливает квартиру"},
        "appeals:collective_join": {"appeals": [answered.number]},
        "appeals:collective_answer": {"text": "Общий ответ"},
        "appeals:committee_queue": {"appeal": appeal.number, "deputy": target.pk},
        "feedback:feedback_leave": {"overall": 4, "solved": "yes", "speed": 4, "personal": 5},
    }.get(name, {})
    if name in ("appeals:appeal_assign", "appeals:committee_queue"):
        # A committee reassigns only an unassigned or overdue appeal.
        Appeal.objects.filter(pk=appeal.pk).update(
            deadline=timezone.localdate() - timedelta(days=1)
        )
    if variant == "repeat":
        query = {"repeat_of": answered.number}
        if method == "post":
            data = {
                "repeat_of": answered.number,
                "municipality": Municipality.objects.filter(region__code="77").first().pk,
                "topic": answered.topic_id,
                "subject": "Повторное обращение",
                "text": "Яму не заделали, прошу проверить ещё раз.",
                "consent": "on",
                "token": "repeat-1",
                "confirm": "1",  # sent from the check page
            }
            query = {}
    url = reverse(name, kwargs=kwargs)
    if variant == "htmx":
        return client.get(url, query, headers={"HX-Request": "true"})
    if method == "get":
        return client.get(url, query)
    return client.post(url, data)


def _sign_in(client, role, request):
    """Staff accounts are signed in as after their second factor, where the site asks it."""
    if role == "anonymous":
        return
    if role == "admin":
        client.force_login(request.getfixturevalue("admin_user"))
        return
    found = request.getfixturevalue(role)
    client.force_login(getattr(found, "user", found))


def _outcome(response):
    """The status, or REFUSED for a redirect that says why the action was not done, so an
    expected 302 means the action succeeded."""
    said = messages.get_messages(response.wsgi_request)
    if response.status_code == 302 and any(m.level == messages.ERROR for m in said):
        return REFUSED
    return response.status_code


def _statuses(name, method, variant, world, request):
    """Each role's status, each in a savepoint rolled back after it."""
    got = {}
    for role in ROLES:
        cache.clear()  # throttles and cached tables of one role must not meet the next
        with transaction.atomic():
            client = Client()
            _sign_in(client, role, request)
            response = _request(client, name, method, variant, world, request)
            got[role] = _outcome(response)
            transaction.set_rollback(True)
    return got


@pytest.mark.parametrize(("name", "method", "variant"), sorted(MATRIX))
def test_page_matrix(name, method, variant, world, request):
    expected = MATRIX[(name, method, variant)]
    got = _statuses(name, method, variant, world, request)
    wrong = {role: f"expected {expected[role]}, got {got[role]}" for role in ROLES
             if got[role] != expected[role]}  # fmt: skip
    assert not wrong, wrong


@pytest.mark.parametrize("name", admin_changelists())
def test_admin_changelists_are_for_staff_only(name, world, request):
    got = _statuses(name, "get", "", world, request)
    assert got == {**everyone(302), "admin": 200}
