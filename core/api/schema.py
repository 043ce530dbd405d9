"""The error responses of each operation, as drf-standardized-errors decides which an
operation can give, each a problem-details body (core/api/problems.py) under
`application/problem+json`."""

from django.utils import translation
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import serializers

from .problems import CODE_CHOICES, CODES, MEDIA_TYPE, STATUS_CODES, problem

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


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
    - 404 for a write only when its path names an object (a list's paginator is a read's);
    - 409 for writes (a transition not allowed now, an Idempotency-Key reused);
    - 413 and 431 everywhere (core.middleware judges every request);
    - 415 only where a body is read (writes);
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
        if status_code in ("409", "415"):
            return self.method in UNSAFE
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
