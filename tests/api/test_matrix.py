"""Every API endpoint and method against every role. Adding an endpoint without an
entry here fails `test_every_endpoint_is_in_the_matrix`."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens import api_token_create
from appeals import services as appeal_services
from appeals.models import Appeal, WebhookSubscription
from feedback.models import Feedback
from ratings import services as rating_services
from tests.appeals.helpers import as_scope, file_appeal
from tests.factories import DeputyFactory
from tests.helpers import ROLES

pytestmark = pytest.mark.django_db

PUBLIC = dict.fromkeys(ROLES, 200)
SEES = {
    "anonymous": 401,
    "citizen": 200,
    "other_citizen": 404,
    "deputy": 200,
    "other_deputy": 404,
    "committee": 200,
    "other_committee": 404,
    "federal": 200,
}


def acts(*who):
    """The roles in `who` succeed; others that see the appeal are refused; others 404."""
    result = {}
    for role in ROLES:
        if role in who:
            result[role] = 200
        elif SEES[role] == 200:
            result[role] = 403
        else:
            result[role] = SEES[role]
    return result


NOT_ORGANISATIONS = {
    "anonymous": 401,
    "citizen": 404,
    "other_citizen": 404,
    "deputy": 404,
    "other_deputy": 404,
}
ORGANISATIONS = {**NOT_ORGANISATIONS, "committee": 200, "other_committee": 200, "federal": 200}
OWN_WEBHOOK = {**ORGANISATIONS, "other_committee": 404, "federal": 404}

MATRIX = {
    ("api:region-list", "get"): PUBLIC,
    ("api:region-detail", "get"): PUBLIC,
    ("api:municipality-list", "get"): PUBLIC,
    ("api:municipality-detail", "get"): PUBLIC,
    ("api:body-list", "get"): PUBLIC,
    ("api:body-detail", "get"): PUBLIC,
    ("api:deputy-list", "get"): PUBLIC,
    ("api:deputy-detail", "get"): PUBLIC,
    ("api:topic-list", "get"): PUBLIC,
    ("api:appeal-list", "get"): {**dict.fromkeys(ROLES, 200), "anonymous": 401},
    ("api:appeal-list", "post"): {
        **dict.fromkeys(ROLES, 403),
        "anonymous": 401,
        "citizen": 201,
        "other_citizen": 201,
    },
    ("api:appeal-detail", "get"): SEES,
    ("api:appeal-assign", "post"): acts("committee"),
    ("api:appeal-redirect", "post"): acts("deputy"),
    ("api:appeal-extend", "post"): acts("deputy"),
    ("api:appeal-answer", "post"): acts("deputy"),
    ("api:appeal-reject", "post"): acts("deputy"),
    ("api:appeal-withdraw", "post"): acts("citizen"),
    ("api:appeal-messages", "post"): acts("citizen"),
    ("api:appeal-collective", "post"): acts("deputy", "committee"),
    ("api:appeal-feedback", "get"): SEES,
    ("api:appeal-feedback", "post"): {**acts("citizen"), "citizen": 201},
    ("api:ratings-regions", "get"): {**dict.fromkeys(ROLES, 404), "anonymous": 401, "federal": 200},
    ("api:ratings-region", "get"): {
        **dict.fromkeys(ROLES, 404),
        "anonymous": 401,
        "committee": 200,
        "federal": 200,
    },
    ("api:ratings-deputy-history", "get"): {
        **dict.fromkeys(ROLES, 404),
        "anonymous": 401,
        "deputy": 200,
        "committee": 200,
        "federal": 200,
    },
    # Public: the body is the credential (the citizen's here), whoever calls.
    ("api:auth-token", "post"): dict.fromkeys(ROLES, 201),
    ("api:auth-token-list", "get"): {**dict.fromkeys(ROLES, 200), "anonymous": 401},
    # The citizen's token: only its owner revokes it.
    ("api:auth-token-detail", "delete"): {
        **dict.fromkeys(ROLES, 404),
        "anonymous": 401,
        "citizen": 204,
    },
    ("api:me", "get"): {**dict.fromkeys(ROLES, 200), "anonymous": 401},
    # Webhook subscriptions are organisation accounts' own (world["webhook"]: the committee's).
    ("api:webhook-list", "get"): ORGANISATIONS,
    ("api:webhook-list", "post"): dict.fromkeys(ORGANISATIONS, 201) | NOT_ORGANISATIONS,
    ("api:webhook-detail", "get"): OWN_WEBHOOK,
    ("api:webhook-detail", "patch"): OWN_WEBHOOK,
    ("api:webhook-detail", "delete"): {**OWN_WEBHOOK, "committee": 204},
    ("api:webhook-deliveries", "get"): OWN_WEBHOOK,
    ("api:webhook-ping", "post"): {**OWN_WEBHOOK, "committee": 202},
}


def api_endpoints():
    """(name, method) of every route under /api/v1/, read from the URL configuration."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api" and pattern.name:
                view = pattern.callback
                actions = getattr(view, "actions", None)
                if actions:
                    # DRF adds "head" to a viewset's actions once it has served a GET.
                    methods = set(actions) - {"head", "options"}
                else:
                    cls = view.view_class
                    methods = {
                        m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m)
                    }
                for method in methods:
                    found.add((f"api:{pattern.name}", method))

    walk(get_resolver().url_patterns, None)
    return found


def test_every_endpoint_is_in_the_matrix():
    assert api_endpoints() == set(MATRIX)


@pytest.fixture
def world(citizen, deputy, other_deputy, committee, other_committee, federal):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    answered = file_appeal(citizen, chosen_deputy=deputy)
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=answered, actor=deputy.user, text="Ответ", final=True
    )
    rated = file_appeal(citizen, chosen_deputy=deputy)
    appeal_services.appeal_reply(
        scope=as_scope(deputy), appeal=rated, actor=deputy.user, text="Ответ", final=True
    )
    now = timezone.now()
    Feedback.objects.create(
        appeal=rated,
        citizen=citizen,
        deputy=deputy,
        overall=5,
        solved="yes",
        speed=5,
        personal=5,
        created_at=now,
        updated_at=now,
    )
    rating_services.ratings_recompute()
    target = DeputyFactory(region_code="77")
    token, _key = api_token_create(user=citizen, name="matrix")
    webhook = WebhookSubscription.objects.create(
        owner=committee, url="https://crm.example.org/hook", secret="s" * 20, events=["filed"]
    )
    return {
        "appeal": appeal,
        "answered": answered,
        "rated": rated,
        "target": target,
        "token": token,
        "webhook": webhook,
    }


def call(client, name, method, world, request):
    from django.urls import reverse

    a = world["appeal"].number
    bodies = {
        "api:appeal-list": {
            "region": "77",
            "topic": "roads",
            "subject": "Яма",
            "text": "Яма во дворе",
            "consent": True,
        },
        "api:appeal-assign": {"deputy": world["target"].pk},
        "api:appeal-redirect": {"deputy": world["target"].pk, "reason": "Округ коллеги"},
        "api:appeal-extend": {"days": 10, "reason": "Запрос документов"},
        "api:appeal-answer": {"text": "Ответ по существу", "final": True},
        "api:appeal-reject": {"reason": "obscene"},
        "api:appeal-withdraw": {"reason": "Решено"},
        "api:appeal-messages": {"text": "Дополнение"},
        "api:appeal-collective": {"appeals": ["77-2026-999999"]},
        "api:appeal-feedback": {"overall": 4, "solved": "yes", "speed": 4, "personal": 5},
        "api:auth-token": {
            "email": "citizen@example.org",
            "password": "correct-horse-42",
            "name": "another",
        },
        "api:webhook-list": {"url": "https://crm.example.org/hook", "events": ["filed"]},
        "api:webhook-detail": {"name": "CRM"},
    }
    deputy = request.getfixturevalue("deputy")
    kwargs = {
        "api:region-detail": {"code": "77"},
        "api:municipality-detail": {"pk": world["target"].region.municipalities.first().pk},
        "api:body-detail": {"pk": world["target"].body_id},
        "api:deputy-detail": {"pk": world["target"].pk},
        "api:ratings-region": {"code": "77"},
        "api:ratings-deputy-history": {"pk": deputy.pk},
        "api:auth-token-detail": {"pk": world["token"].pk},
    }.get(name, {})
    if name.startswith("api:webhook-") and name != "api:webhook-list":
        kwargs = {"pk": world["webhook"].pk}
    if name.startswith("api:appeal-") and name != "api:appeal-list":
        kwargs = {"number": a}
        if name == "api:appeal-assign":
            # A committee reassigns only an unassigned or overdue appeal.
            Appeal.objects.filter(pk=world["appeal"].pk).update(
                deadline=timezone.localdate() - timedelta(days=1)
            )
        if name == "api:appeal-feedback":
            kwargs = {"number": (world["rated"] if method == "get" else world["answered"]).number}
    url = reverse(name, kwargs=kwargs)
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, bodies.get(name, {}), format="json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), sorted(MATRIX))
def test_matrix(name, method, role, world, request):
    client = APIClient()
    if role != "anonymous":
        person = request.getfixturevalue(role)
        client.force_authenticate(getattr(person, "user", person))
    response = call(client, name, method, world, request)
    assert response.status_code == MATRIX[(name, method)][role], response.content[:300]
