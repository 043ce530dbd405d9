"""Describe the errors every operation can answer, so generated clients know them."""

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
