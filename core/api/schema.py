"""The OpenAPI schema as integrators read it: in English, with the closed lists as named
enums, every field a response always has marked required, and links between operations
(which generated clients and schemathesis' stateful phase follow)."""

from django.utils import translation
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
}
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": True,
    "description": "Field name → list of messages; `non_field_errors` for the whole body.",
}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["FieldErrors"] = FIELD_ERRORS

    def ref(name, description):
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }

    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", ref("FieldErrors", "Bad input: errors by field."))
            responses.setdefault("401", ref("Error", "Not signed in."))
            responses.setdefault("403", ref("Error", "Signed in, but not allowed to do this."))
            responses.setdefault("404", ref("Error", "Missing, or not visible to the caller."))
            responses.setdefault("429", ref("Error", "Too many requests: see Retry-After."))
            if method == "post":
                responses.setdefault("409", ref("Error", "Not allowed in the appeal's state."))
    return result


class SchemaView(SpectacularAPIView):
    """The schema in English (enum labels, descriptions) unless `?lang=ru` asks for
    Russian: integrators read it, and a client generator names things from it."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.GET.get("lang"):
            return super().get(request, *args, **kwargs)
        with translation.override("en"):
            return super().get(request, *args, **kwargs)


class OrderingFilterExtension(OpenApiFilterExtension):
    """`ordering` as the closed list it is: each field of the view's `ordering_fields`,
    ascending or (with `-`) descending."""

    target_class = "rest_framework.filters.OrderingFilter"

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
    required, query parameters with closed lists referring to the named enums, links."""
    schemas = result.get("components", {}).get("schemas", {})
    _drop_titles(schemas, in_properties=True)
    _drop_titles(result.get("paths", {}))
    for name in _response_components(generator):
        for candidate in (name, f"Paginated{name}List"):
            schema = schemas.get(candidate)
            if schema and schema.get("properties"):
                # DRF writes every declared field of an output serializer, null or not.
                schema["required"] = sorted(schema["properties"])
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
