"""API tokens through the API: sign in for a new named token, list and revoke one's own."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import fields
from core.api.filters import OrderingFilter
from core.api.parsers import JSONParser
from core.api.serializers import Serializer
from core.api.throttling import AnonRateThrottle, SignInRateThrottle

from . import tokens
from .models import ApiToken

CREATED = "2026-12-01T09:30:00+03:00"
EXPIRES = "2027-03-01T09:30:00+03:00"


class SignInSerializer(Serializer):
    """Who asks for a token, and what to call it."""

    email = serializers.EmailField(help_text="The e-mail the account signs in with.")
    password = fields.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = fields.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=(
            "Staff accounts (deputy, committee, central office, administrator) only: the "
            "six digits the authenticator app shows now, or one unused recovery code. "
            "Citizens leave it out."
        ),
    )
    name = fields.CharField(
        max_length=100,
        help_text="What the token is for, unique among the caller's tokens; shown in the list.",
    )
    expires_in_days = fields.IntegerField(
        required=False,
        min_value=1,
        max_value=tokens.DAYS_MAX,
        help_text=f"Days the token lives, {tokens.DAYS_DEFAULT} if left out.",
    )


class NewTokenSerializer(Serializer):
    """A token just made, with its key: the only answer that ever holds the key."""

    id = serializers.IntegerField(help_text="Its id, to revoke it.")
    name = serializers.CharField()
    key = serializers.CharField(
        help_text="The secret, shown only in this answer: send it as `Authorization: Token <key>`."
    )
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField(help_text="From then on the token is refused (401).")


class TokenSerializer(Serializer):
    """One of the caller's tokens, without its key."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField()
    last_used = serializers.DateTimeField(
        allow_null=True, help_text="To within five minutes; null if never used."
    )
    current = serializers.SerializerMethodField(
        help_text="Whether this request was made with this token."
    )

    @extend_schema_field(serializers.BooleanField())
    def get_current(self, token) -> bool:
        used = self.context["request"].auth
        return isinstance(used, ApiToken) and used.pk == token.pk


@extend_schema(tags=["auth"])
class TokenCreateApi(APIView):
    """Sign in for a new API token."""

    # No authentication: the body is the credential, and no session's CSRF check applies.
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [AnonRateThrottle, SignInRateThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Sign in and get a new token",
        description=(
            "Checks the e-mail and password as the site's sign-in does, and for staff "
            "accounts the second factor (`code`). Wrong passwords count towards the same "
            "lockout as the site's sign-in: after 5 for one account from one address, that "
            "pair is refused for 15 minutes (429, even with the right password). Requests "
            "are also limited per client address (429 with `Retry-After`). A wrong e-mail or "
            "password is a 400 with the code `invalid_credentials`; a staff account without "
            "`code` a 400 on `code`; one without an authenticator app set up "
            "`second_factor_not_set_up` (set it up on the site); a name already used, or more "
            "than 20 live tokens, a 400. Each call makes a new token; the caller's other "
            "tokens keep working. The key is in this answer only."
        ),
        auth=[],
        request=SignInSerializer,
        # The error responses are the API's problems, added by core.api.schema.
        responses={201: NewTokenSerializer},
        examples=[
            OpenApiExample(
                "Citizen",
                request_only=True,
                value={
                    "email": "ivanova@example.org",
                    "password": "correct-horse-42",  # nosec B105: the schema's example
                    "name": "my-script",
                },
            ),
            OpenApiExample(
                "Deputy, with the second factor",
                request_only=True,
                value={
                    "email": "petrov@example.org",
                    "password": "correct-horse-42",  # nosec B105: the schema's example
                    "code": "492039",
                    "name": "office-crm",
                    "expires_in_days": 30,
                },
            ),
            OpenApiExample(
                "New token",
                response_only=True,
                status_codes=["201"],
                value={
                    "id": 17,
                    "name": "my-script",
                    "key": "0fGq8z3vO2mX1c7Jb9kWl4aYt5uRe6sDn0pQiHhTgUw",
                    "created": CREATED,
                    "expires": EXPIRES,
                },
            ),
        ],
    )
    def post(self, request):
        given = SignInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        # Refusals are the service's Django exceptions (ValidationError, LimitReached for
        # the lockout), answered as problems by the API's handler with their codes.
        token, key = tokens.api_token_sign_in(
            request=request,  # DRF's, not the HttpRequest: see api_token_sign_in
            email=data["email"],
            password=data["password"],
            code=data.get("code", ""),
            name=data["name"],
            days=data.get("expires_in_days"),
        )
        token.key = key
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
class TokenListApi(generics.ListAPIView):
    """The caller's live tokens, newest first: at most 20, so one page, not filtered."""

    permission_classes = [IsAuthenticated]
    serializer_class = TokenSerializer
    pagination_class = None
    filter_backends = [OrderingFilter]  # newest first only: an `ordering` is refused
    ordering_fields = []

    def get_queryset(self):
        return tokens.api_token_list(user=self.request.user)

    @extend_schema(
        operation_id="auth_tokens_list",
        summary="List my tokens",
        description="Names and dates only: a key is never shown again after it is made.",
        examples=[
            OpenApiExample(
                # One item: the schema shows it inside the list.
                "A token",
                response_only=True,
                value={
                    "id": 17,
                    "name": "my-script",
                    "created": CREATED,
                    "expires": EXPIRES,
                    "last_used": "2026-12-02T11:05:00+03:00",
                    "current": True,
                },
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["auth"])
class TokenRevokeApi(APIView):
    """Revoke one of the caller's tokens."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke one of my tokens",
        description=(
            "The token stops working at once, also if it is the one this request uses. "
            "The caller's other tokens keep working. Another person's token id answers 404."
        ),
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request, pk):
        tokens.api_token_revoke(user=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
