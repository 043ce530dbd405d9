"""The OpenAPI schema as integrators read it: each operation's error responses as
drf-standardized-errors decides which it can give, each a problem-details body
(core/api/problems.py) under `application/problem+json`; in English, with the closed
lists as named enums, every field a response always has marked required, and links
between operations (which generated clients and schemathesis' stateful phase follow)."""

from django.utils import translation
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import serializers
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings

from .problems import CODE_CHOICES, CODES, MEDIA_TYPE, STATUS_CODES, problem
from .serializers import RefusesUnknownFields

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
BODIES = ("POST", "PUT", "PATCH")


class ProblemErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A machine code: for a field, what is wrong with it.")
    detail = serializers.CharField(help_text="The same, in words (Accept-Language: ru or en).")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field the error is about (a.b.0.c inside nested data); "
        "`non_field_errors` for the body as a whole; null when not about the body.",
    )

    class Meta:
        ref_name = "ProblemError"


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 problem details."""

    type = serializers.CharField(
        help_text="The problem type's address: `.../api/problems/<code>/`."
    )
    title = serializers.CharField(help_text="The problem type in words; the same every time.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="This occurrence in words.")
    code = serializers.ChoiceField(
        choices=CODE_CHOICES, help_text="The stable machine code of the problem type."
    )
    instance = serializers.CharField(required=False, help_text="The path requested.")
    errors = ProblemErrorSerializer(
        many=True,
        help_text="For a 400, one item per error, each naming its field in `attr`; "
        "otherwise one item repeating `code` and `detail`.",
    )

    class Meta:
        ref_name = "Problem"


DESCRIPTIONS = {
    "400": "Bad input: field errors in `errors` (also a body that is not JSON, an unknown "
    "field, a filter value or ordering not allowed, a NUL character).",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Missing, or not visible to the caller.",
    "405": "The method is not allowed here (see `Allow`).",
    "406": "None of the media types in `Accept` can be given.",
    "409": "Not allowed in the object's current state, or an Idempotency-Key reused.",
    "413": "The request body is larger than the limit.",
    "415": "The request body is not `application/json`.",
    "429": "Too many requests, or a daily limit reached: see `Retry-After`.",
    "431": "The request headers are too many or too large.",
    "500": "An error of ours.",
    "503": "Briefly unavailable: send again after `Retry-After` seconds.",
}


def _example(status: str) -> OpenApiExample:
    code = STATUS_CODES[int(status)]
    errors = None
    if status == "400":
        code = "validation_error"
        errors = [{"code": "required", "detail": "This field is required.", "attr": "subject"}]
    with translation.override("en"):  # the schema's descriptions are English
        body = problem(status=int(status), code=code, detail=str(CODES[code][1]), errors=errors)
    body["instance"] = "/api/v1/..."
    return OpenApiExample(code, value=body, response_only=True, status_codes=[status])


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' choice of error responses, corrected for this project:

    - 400 everywhere: a NUL character in the path or query is refused before any view;
    - 403 for writes too: the services refuse a role (a deputy filing) and session writes
      need the CSRF token, beyond what the view's permission classes show;
    - 404 for a write only when its path names an object (a list's paginator is a read's),
      and on every method of a view whose permission refuses a role with a 404
      (deputies.permissions.scope_may: a citizen posting to /webhooks/);
    - 409 for the writes of views marked `may_conflict` (a transition not allowed now,
      an Idempotency-Key reused);
    - 413 and 431 everywhere (core.middleware judges every request);
    - 415 only where a body is read (a write with a request body);
    - 503 everywhere (the database away)."""

    def _should_add_error_response(self, responses, status_code):
        if status_code in responses:
            return False
        if status_code in ("400", "413", "431", "503"):
            return True
        if status_code == "403":
            return self.method in UNSAFE or super()._should_add_error_response(
                responses, status_code
            )
        if status_code == "409":
            # Only the appeal's services refuse a transition (core.errors.ApplicationError).
            return self.method in UNSAFE and getattr(self.view, "may_conflict", False)
        if status_code == "415":
            return self.method in BODIES and self.get_request_serializer() is not None
        if status_code == "404" and any(
            getattr(permission, "refuses_with_404", False)
            for permission in self.view.get_permissions()
        ):
            return True
        if status_code == "404" and self.method in UNSAFE:
            # A write's 404 is its object's; a list's pages are not a write's.
            return any(p["in"] == "path" for p in self._get_parameters())
        return super()._should_add_error_response(responses, status_code)

    def _get_error_response_serializer(self, status_code):
        return ProblemSerializer

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        if serializer is ProblemSerializer:
            serializer = OpenApiResponse(
                response=ProblemSerializer,
                description=DESCRIPTIONS.get(status_code, ""),
                examples=[_example(status_code)] if int(status_code) in STATUS_CODES else [],
            )
            media_types = [MEDIA_TYPE]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def _get_error_response_examples(self):
        return []  # each error response brings its own (above)


class OrderingFilterExtension(OpenApiFilterExtension):
    """`ordering` as the closed list it is: each field of the view's `ordering_fields`,
    ascending or (with `-`) descending."""

    target_class = "rest_framework.filters.OrderingFilter"
    match_subclasses = True  # core.api.filters.OrderingFilter

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        fields = getattr(auto_schema.view, "ordering_fields", None)
        if not fields or fields == "__all__":
            return []
        values = [value for field in fields for value in (field, f"-{field}")]
        return [
            build_parameter_type(
                name=api_settings.ORDERING_PARAM,
                schema={"type": "string", "enum": values},
                location=OpenApiParameter.QUERY,
                description="Sort by this field; a leading `-` sorts descending. One value.",
            )
        ]


# The apps whose serializers describe our responses; other components (errors, enums)
# keep the `required` their authors gave them.
OWN_APPS = {"appeals", "deputies", "feedback", "ratings", "accounts", "core"}


def _drop_titles(node, *, in_properties=False):
    """Remove `title`s: they are the models' Russian verbose names, and client generators
    name classes after them (`V1AppealsListСтатус`)."""
    if isinstance(node, dict):
        if not in_properties and isinstance(node.get("title"), str):
            del node["title"]
        for key, value in node.items():
            _drop_titles(value, in_properties=(key == "properties" and not in_properties))
    elif isinstance(node, list):
        for item in node:
            _drop_titles(item)


def _response_components(generator):
    """Names of the components that describe our serializers' output."""
    names = set()
    for (name, _kind), component in generator.registry._components.items():
        obj = component.object
        cls = obj if isinstance(obj, type) else type(obj)
        if (
            isinstance(cls, type)
            and issubclass(cls, BaseSerializer)
            and cls.__module__.split(".")[0] in OWN_APPS
            and not name.endswith("Request")
        ):
            names.add(name)
    return names


def _closed_request_components(generator):
    """Names of the request bodies whose serializer refuses fields it does not name
    (core.api.serializers.RefusesUnknownFields): `additionalProperties: false`."""
    names = set()
    for (name, _kind), component in generator.registry._components.items():
        obj = component.object
        cls = obj if isinstance(obj, type) else type(obj)
        if (
            name.endswith("Request")
            and isinstance(cls, type)
            and issubclass(cls, RefusesUnknownFields)
        ):
            names.add(name)
    return names


def _enum_refs(schemas):
    """Closed lists by their values, to point query parameters at the named enum."""
    refs = {}
    for name, schema in schemas.items():
        values = schema.get("enum")
        if values and schema.get("type") == "string":
            refs.setdefault(frozenset(v for v in values if v), f"#/components/schemas/{name}")
    return refs


# Operations reachable from another's answer: (source operationId, status) → links.
# A link's parameter is a runtime expression into the source's answer.
ACTIONS_ON_AN_APPEAL = [
    "retrieve", "answer", "assign", "extend", "redirect", "reject", "withdraw", "messages",
    "feedback_retrieve", "feedback_leave",
]  # fmt: skip
LINKS = {
    ("appeals_create", "201"): {
        f"appeals_{name}": {"number": "$response.body#/number"} for name in ACTIONS_ON_AN_APPEAL
    },
    ("appeals_list", "200"): {
        f"appeals_{name}": {"number": "$response.body#/results/0/number"}
        for name in ACTIONS_ON_AN_APPEAL
    },
    ("deputies_list", "200"): {
        "deputies_retrieve": {"id": "$response.body#/results/0/id"},
        "ratings_deputy_history": {"id": "$response.body#/results/0/id"},
    },
    ("regions_list", "200"): {
        "regions_retrieve": {"code": "$response.body#/results/0/code"},
        "ratings_region_table": {"code": "$response.body#/results/0/code"},
    },
    ("municipalities_list", "200"): {
        "municipalities_retrieve": {"id": "$response.body#/results/0/id"}
    },
    ("bodies_list", "200"): {"bodies_retrieve": {"id": "$response.body#/results/0/id"}},
    ("ratings_region_table", "200"): {
        "ratings_deputy_history": {"id": "$response.body#/results/0/deputy_id"}
    },
}


def _add_links(paths):
    operations = {
        operation["operationId"]: operation
        for methods in paths.values()
        for operation in methods.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for (source, status), targets in LINKS.items():
        response = operations.get(source, {}).get("responses", {}).get(status)
        if response is None:
            continue
        links = response.setdefault("links", {})
        for target, parameters in targets.items():
            if target in operations:
                links[target] = {"operationId": target, "parameters": parameters}


def tidy_schema(result, generator, request, public):
    """Run after drf-spectacular's enum hook: English names only, response fields
    required, request bodies closed to unknown fields, query parameters with closed
    lists referring to the named enums, links."""
    schemas = result.get("components", {}).get("schemas", {})
    _drop_titles(schemas, in_properties=True)
    _drop_titles(result.get("paths", {}))
    for name in _response_components(generator):
        for candidate in (name, f"Paginated{name}List"):
            schema = schemas.get(candidate)
            if schema and schema.get("properties"):
                # DRF writes every declared field of an output serializer, null or not.
                schema["required"] = sorted(schema["properties"])
    for name in _closed_request_components(generator):
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    refs = _enum_refs(schemas)
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                values = parameter.get("schema", {}).get("enum")
                ref = refs.get(frozenset(v for v in values if v)) if values else None
                if ref and parameter["name"] != api_settings.ORDERING_PARAM:
                    parameter["schema"] = {"$ref": ref}
    _add_links(result.get("paths", {}))
    return result
