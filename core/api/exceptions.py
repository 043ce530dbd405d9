"""One place turns errors into API answers, as problem details (core.api.problems) built
by drf-standardized-errors: bad input 400 with field errors, not-yours 404, an illegal
transition 409, a limit reached 429 with Retry-After, the database away 503 with
Retry-After, anything unexpected 500. Services never import DRF; their Django exceptions
are converted here."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_standardized_errors.formatter import ExceptionFormatter, flatten_errors
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import ApplicationError, LimitReached
from core.views import RETRY_AFTER

from .problems import MEDIA_TYPE, STATUS_CODES, problem


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class Unavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"
    wait = RETRY_AFTER


class ServerError(exceptions.APIException):
    default_code = "server_error"


def throttled(wait, *, code="throttled", detail=None) -> exceptions.Throttled:
    """DRF's 429 with its text whole in the request's language: DRF formats the wait
    into its message before translating it, so no catalogue can translate that part."""
    wait = max(1, round(wait or 0))
    text = ngettext(
        "Too many requests. Try again in %(wait)s second.",
        "Too many requests. Try again in %(wait)s seconds.",
        wait,
    ) % {"wait": wait}
    exc = exceptions.Throttled(detail=detail or text, code=code)
    exc.wait = wait
    return exc


def _details(errors) -> list:
    # Iterating a Django ValidationError gives its messages with their parameters filled in.
    return [
        exceptions.ErrorDetail(message, error.code or "invalid")
        for error in errors
        for message in error
    ]


def _validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field: _details(errors) for field, errors in exc.error_dict.items()}
    return {"non_field_errors": _details(exc.error_list)}


class ProblemHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc):
        if isinstance(exc, LimitReached):
            return throttled(exc.wait, code=exc.code, detail=exc.message)
        if isinstance(exc, ApplicationError):
            return Conflict(exc.message, code=exc.code)
        if isinstance(exc, exceptions.Throttled) and exc.get_codes() == "throttled":
            return throttled(exc.wait)
        if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
            # DRF's words for a session write without the CSRF token are English only.
            return exceptions.PermissionDenied(
                _(
                    "A write signed in with the session needs the CSRF token: send the "
                    "csrftoken cookie's value in the X-CSRFToken header, or use a token."
                ),
                code="csrf_failed",
            )
        if isinstance(exc, exceptions.UnsupportedMediaType):
            return self._unsupported(exc)
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(_validation_detail(exc))
        if isinstance(exc, Http404):
            return exceptions.NotFound()
        if isinstance(exc, PermissionDenied):
            return exceptions.PermissionDenied(str(exc) or None)
        if isinstance(exc, RequestDataTooBig):
            return TooLarge(_("The request is too large."))
        if isinstance(exc, TooManyFieldsSent):
            return exceptions.ParseError(_("The request has too many fields."))
        if isinstance(exc, OperationalError | InterfaceError):
            # A database restarting or unreachable is a temporary outage, not a bug.
            return Unavailable(
                _(
                    "The service is briefly unavailable. What was saved before is safe; "
                    "please send again in a few seconds."
                )
            )
        return exc

    def _unsupported(self, exc):
        """DRF's 415, saying what the operation does accept."""
        view = self.context.get("view")
        accepted = [parser.media_type for parser in view.get_parsers()] if view else []
        if not accepted:
            return exc
        allowed = _("Allowed: %(values)s.") % {"values": ", ".join(accepted)}
        return exceptions.UnsupportedMediaType(exc.detail, detail=f"{exc.detail} {allowed}")

    def convert_unhandled_exceptions(self, exc):
        if not isinstance(exc, exceptions.APIException):
            return ServerError(_("Something went wrong on our side. We have been told about it."))
        return exc

    def get_response(self, exc, data):
        return Response(
            data, status=exc.status_code, headers=self.get_headers(exc), content_type=MEDIA_TYPE
        )


class ProblemFormatter(ExceptionFormatter):
    """drf-standardized-errors' `errors` list inside an RFC 9457 body."""

    def run(self):
        exc = self.exc
        errors = [
            {"code": e.code, "detail": e.detail, "attr": e.attr} for e in flatten_errors(exc.detail)
        ]
        if isinstance(exc, exceptions.ValidationError):
            code = "validation_error"
            detail = (
                errors[0]["detail"]
                if len(errors) == 1 and errors[0]["attr"] in (None, "non_field_errors")
                else _("The request has invalid data: see errors.")
            )
        else:
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else STATUS_CODES.get(exc.status_code)
            code = STATUS_CODES.get(exc.status_code) if code == "error" else code
            detail = errors[0]["detail"] if errors else ""
            for error in errors:
                error["code"] = code
        request = self.context.get("request")
        return problem(
            status=exc.status_code,
            code=code or "server_error",
            detail=detail,
            errors=errors,
            instance=request.path if request is not None else "",
        )
