"""A client driven by /api/schema/ alone: it finds each operation by its operationId,
checks its request against the schema before sending and the answer after. A citizen
files an appeal, the deputy answers it, the citizen rates it."""

import jsonschema
import pytest
from rest_framework.test import APIClient

from tests.conftest import authenticator_for, totp_code
from tests.factories import DeputyFactory

pytestmark = pytest.mark.django_db


def nullable_to_json_schema(node):
    """OpenAPI 3.0's `nullable: true` is `type: [t, "null"]` in JSON Schema."""
    if isinstance(node, dict):
        node = {k: nullable_to_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            elif "$ref" in node or "allOf" in node:
                node = {"anyOf": [dict(node), {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [nullable_to_json_schema(v) for v in node]
    return node


class SchemaClient:
    def __init__(self, schema, token=None):
        self.schema = nullable_to_json_schema(schema)
        self.http = APIClient()
        if token:
            self.http.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        self.operations = {
            op["operationId"]: (method, path, op)
            for path, ops in self.schema["paths"].items()
            for method, op in ops.items()
        }

    def _check(self, part, value):
        document = {"components": self.schema["components"], **part}
        jsonschema.validate(value, document)

    def call(self, operation_id, *, path=None, body=None):
        method, template, op = self.operations[operation_id]
        if body is not None:
            self._check(op["requestBody"]["content"]["application/json"]["schema"], body)
        url = template.format(**(path or {}))
        response = getattr(self.http, method)(url, body, format="json")
        declared = op["responses"].get(str(response.status_code))
        assert declared is not None, (
            f"{operation_id} answered {response.status_code}, not in the schema"
        )
        content = declared.get("content", {}).get("application/json")
        if content:
            self._check(content["schema"], response.json())
        return response


def test_file_answer_and_rate_through_the_schema(citizen):
    deputy = DeputyFactory(region_code="77")
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    anonymous = SchemaClient(schema)

    def token(user, **second_factor):
        body = {"email": user.email, "password": "correct-horse-42", "name": "journey"}
        made = anonymous.call("auth_token_create", body={**body, **second_factor})
        assert made.status_code == 201, made.json()
        return made.json()["key"]

    as_citizen = SchemaClient(schema, token(citizen))
    device = authenticator_for(deputy.user)
    as_deputy = SchemaClient(schema, token(deputy.user, code=totp_code(device)))
    assert as_deputy.call("me_retrieve").json()["deputy_id"] == deputy.pk

    topics = as_citizen.call("v1_topics_list").json()["results"]
    filed = as_citizen.call(
        "v1_appeals_create",
        body={"region": "77", "topic": topics[0]["slug"], "subject": "Нет света в подъезде",
              "text": "Третий день нет света в подъезде дома 4.", "consent": True},
    )  # fmt: skip
    assert filed.status_code == 201
    number = filed.json()["number"]

    queue = as_deputy.call("v1_appeals_list").json()
    assert [a["number"] for a in queue["results"]] == [number]
    answered = as_deputy.call(
        "v1_appeals_answer_create",
        path={"number": number},
        body={"text": "Электрики заменили автомат, свет есть.", "final": True},
    )
    assert answered.json()["status"] == "answered"

    rated = as_citizen.call(
        "v1_appeals_feedback_create",
        path={"number": number},
        body={"overall": 5, "solved": "yes", "speed": 4, "personal": 5, "comment": "Спасибо"},
    )
    assert rated.status_code == 201
    final = as_citizen.call("v1_appeals_retrieve", path={"number": number}).json()
    assert final["status"] == "closed"
    assert [m["kind"] for m in final["messages"]] == ["answer"]
