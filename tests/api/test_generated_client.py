"""A client generated from /api/schema/ by openapi-python-client, as an integrator would
make one, runs the whole journey against a live server by itself: a citizen gets a token
and files an appeal with an Idempotency-Key (and retries it), the deputy sends an interim
reply and then the final answer, the citizen rates it, and the region's committee reads
its rating table and the deputy's history. Every generated module must import."""

import contextlib
import importlib
import io
import json
import os
import pkgutil
import re
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command

from accounts.otp import second_factor_required
from appeals.models import Appeal
from core.api.serializers import ModelSerializer, Serializer
from tests.conftest import authenticator_for, totp_code
from tests.factories import CitizenFactory, DeputyFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-enough-password-2026"


def generate_client(schema: dict, where: Path):
    """The package openapi-python-client 0.29.1 makes of the schema, imported whole.
    It runs offline; its post-hook formats with ruff, found beside this interpreter."""
    (where / "schema.json").write_text(json.dumps(schema))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [
            Path(sys.executable).parent / "openapi-python-client", "generate",
            "--path", where / "schema.json", "--output-path", where / "izbiratel_client",
            "--meta", "none",
        ],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Warning" not in output, output  # a skipped operation or model is a warning
    sys.path.insert(0, str(where))
    package = importlib.import_module("izbiratel_client")
    for module in pkgutil.walk_packages(package.__path__, "izbiratel_client."):
        importlib.import_module(module.name)
    return package


def forget_client():
    for name in [name for name in sys.modules if name.split(".")[0] == "izbiratel_client"]:
        del sys.modules[name]


def token_for(gen, base_url, user) -> str:
    """The token through `POST /api/v1/auth/token/` with e-mail and password (and the
    authenticator's code for staff), through the generated client alone."""
    from izbiratel_client.api.auth import auth_token_create

    fields = {"email": user.email, "password": PASSWORD, "name": "integration"}
    if second_factor_required(user):
        fields["code"] = totp_code(authenticator_for(user))
    with gen.Client(base_url=base_url) as anonymous:
        response = auth_token_create.sync_detailed(
            client=anonymous, body=gen.models.SignInRequest.from_dict(fields)
        )
    assert response.status_code == 201, response.content
    return response.parsed.key


@pytest.fixture
def gen(live_server, tmp_path):
    schema = httpx.get(f"{live_server.url}/api/schema/?format=json").json()
    package = generate_client(schema, tmp_path)
    package.schema = schema
    yield package
    forget_client()
    sys.path.remove(str(tmp_path))


def test_the_generated_client_runs_the_whole_journey(
    reference_data, live_server, gen, citizen, committee
):
    from izbiratel_client import AuthenticatedClient

    deputy = DeputyFactory(region_code="77", full_name="Сафина Алия Рашидовна")
    for user in (citizen, deputy.user, committee):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    opened = []  # closed at the end: a kept-alive socket keeps its server thread's connection

    def signed_in(user):
        token = token_for(gen, live_server.url, user)
        opened.append(AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token"))
        return opened[-1]

    try:
        journey(live_server, signed_in, citizen, deputy, committee, opened)
    finally:
        for client in opened:
            client.get_httpx_client().close()


def journey(live_server, signed_in, citizen, deputy, committee, opened):
    from izbiratel_client import Client, models
    from izbiratel_client.api.appeals import (
        appeals_answer,
        appeals_create,
        appeals_list,
        appeals_retrieve,
    )
    from izbiratel_client.api.feedback import appeals_feedback_leave
    from izbiratel_client.api.ratings import ratings_deputy_history, ratings_region_table
    from izbiratel_client.api.topics import topics_list

    as_citizen, as_deputy, as_committee = (
        signed_in(citizen),
        signed_in(deputy.user),
        signed_in(committee),
    )

    # The citizen files, and retries with the same key: one appeal.
    opened.append(Client(base_url=live_server.url))
    topic = topics_list.sync(client=opened[-1]).results[0]
    filing = models.AppealCreateRequest(
        region="77",
        topic=topic.slug,
        subject="Нет света в подъезде",
        text="Третий день нет света в подъезде дома 4.",
        consent=True,
    )
    key = str(uuid.uuid4())
    filed = appeals_create.sync_detailed(client=as_citizen, body=filing, idempotency_key=key)
    assert filed.status_code == 201, filed.content
    appeal = filed.parsed
    assert isinstance(appeal, models.AppealDetail)
    assert appeal.status == models.AppealStatusEnum.ASSIGNED
    assert appeal.deputy.id == deputy.pk

    again = appeals_create.sync_detailed(client=as_citizen, body=filing, idempotency_key=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.parsed.number == appeal.number
    assert Appeal.objects.filter(citizen=citizen).count() == 1

    # The deputy finds it, replies in the meantime, then answers.
    queue = appeals_list.sync(client=as_deputy, status=models.AppealStatusEnum.ASSIGNED)
    assert [row.number for row in queue.results] == [appeal.number]
    interim = appeals_answer.sync(
        appeal.number,
        client=as_deputy,
        body=models.AnswerRequest(text="Запросил сведения у управляющей компании.", final=False),
    )
    assert interim.status == models.AppealStatusEnum.IN_PROGRESS
    answered = appeals_answer.sync(
        appeal.number,
        client=as_deputy,
        body=models.AnswerRequest(text="Электрики заменили автомат, свет есть.", final=True),
    )
    assert answered.status == models.AppealStatusEnum.ANSWERED
    assert [m.kind for m in answered.messages] == [
        models.MessageKindEnum.INTERIM,
        models.MessageKindEnum.ANSWER,
    ]

    # The citizen rates the answer, which closes the appeal.
    rated = appeals_feedback_leave.sync_detailed(
        appeal.number,
        client=as_citizen,
        body=models.FeedbackRequest(
            overall=5, solved=models.SolvedEnum.YES, speed=4, personal=5, comment="Спасибо"
        ),
    )
    assert rated.status_code == 201, rated.content
    final = appeals_retrieve.sync(appeal.number, client=as_citizen)
    assert final.status == models.AppealStatusEnum.CLOSED

    # The committee reads its region's table and the deputy's history.
    call_command("recompute_ratings", verbosity=0)
    table = ratings_region_table.sync("77", client=as_committee)
    assert isinstance(table, models.PaginatedSnapshotList)
    assert deputy.pk in [row.deputy_id for row in table.results]
    history = ratings_deputy_history.sync(deputy.pk, client=as_committee)
    assert isinstance(history, models.PaginatedHistoryPointList)
    assert len(history.results) >= 1


def test_the_readmes_client_example_files_an_appeal(reference_data, live_server, gen):
    """The README's ten lines, run as a reader would against the demo's citizen."""
    citizen = CitizenFactory(email="citizen@demo.test")
    citizen.set_password("demo-password-2026")
    citizen.save(update_fields=["password"])
    DeputyFactory(region_code="77")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [code] = [
        block
        for block in re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
        if "appeals_create" in block
    ]
    code = code.replace('"http://127.0.0.1:8000"', repr(live_server.url))
    printed, namespace = io.StringIO(), {}
    try:
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)  # noqa: S102 - the README's own example
    finally:
        # A kept-alive socket would keep its server thread's database connection.
        for value in namespace.values():
            if hasattr(value, "get_httpx_client") and not isinstance(value, type):
                value.get_httpx_client().close()
    [appeal] = Appeal.objects.filter(citizen=citizen)
    assert printed.getvalue().split() == [
        appeal.number,
        "assigned",
        appeal.deadline.isoformat(),
    ]


def titles(node) -> list[str]:
    """The `title` keywords under node (a property named `title`, as the problem's, is
    a schema, not a string)."""
    if isinstance(node, list):
        return [title for item in node for title in titles(item)]
    if not isinstance(node, dict):
        return []
    found = [node["title"]] if isinstance(node.get("title"), str) else []
    return found + [title for value in node.values() for title in titles(value)]


@pytest.mark.django_db(transaction=False)
def test_every_operation_has_a_summary_a_tag_json_and_examples(client):
    """What the generated client's docstrings and an integrator's docs page are made of."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    missing = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            name = f"{method.upper()} {path}"
            if not operation.get("summary") or len(operation.get("tags", [])) != 1:
                missing.append(f"{name}: summary or tag")
            body = operation.get("requestBody", {}).get("content", {})
            if list(body) not in ([], ["application/json"]):
                missing.append(f"{name}: request media types {list(body)}")
            if body and not body["application/json"].get("examples"):
                missing.append(f"{name}: request example")
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if status.startswith("2") and content and not content.get("examples"):
                    missing.append(f"{name} {status}: response example")
    assert missing == []
    assert all(name.isascii() for name in schema["components"]["schemas"])
    assert titles(schema["components"]) == []  # the models' Russian verbose names
    # Each serializer describes itself; none inherits the base classes' performance notes.
    for base in (ModelSerializer, Serializer):
        assert base.__doc__.split()[:6] not in [
            schema_.get("description", "").split()[:6]
            for schema_ in schema["components"]["schemas"].values()
        ]


@pytest.mark.django_db(transaction=False)
def test_the_schema_is_in_english_unless_russian_is_asked_for(client):
    english = client.get("/api/schema/", {"format": "json"}).json()
    russian = client.get("/api/schema/", {"format": "json", "lang": "ru"}).json()
    status = "AppealStatusEnum"
    assert "Answered" in english["components"]["schemas"][status]["description"]
    assert "Дан ответ" in russian["components"]["schemas"][status]["description"]
