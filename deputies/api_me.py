"""GET /api/v1/me/: who the caller is and where they work, so a program learns its own
deputy id or committee region without reading them off other answers."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api.serializers import Serializer

from . import selectors
from .api import RegionSerializer


class MeSerializer(Serializer):
    """The caller's account: role, and the region and deputy record it works for."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.values)
    region = RegionSerializer(
        allow_null=True,
        help_text=(
            "A deputy's region, or the region whose committee the account works for; "
            "null for citizens and the central office."
        ),
    )
    deputy_id = serializers.IntegerField(
        allow_null=True, help_text="The deputy's id (as in /api/v1/deputies/); null for others."
    )
    language = serializers.ChoiceField(
        choices=["ru", "en"],
        help_text="The language of this answer's texts (the site's language cookie).",
    )


@extend_schema(tags=["me"])
class MeApi(APIView):
    """The caller's own account."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_retrieve",
        summary="Who am I",
        responses=MeSerializer,
        examples=[
            OpenApiExample(
                "Deputy",
                value={
                    "id": 42,
                    "email": "petrov@example.org",
                    "full_name": "Петров Пётр Петрович",
                    "role": "deputy",
                    "region": {"code": "77", "name": "Москва", "name_en": "Moscow"},
                    "deputy_id": 315,
                    "language": "ru",
                },
            ),
            OpenApiExample(
                "Citizen",
                value={
                    "id": 7,
                    "email": "ivanova@example.org",
                    "full_name": "Иванова Мария Сергеевна",
                    "role": "citizen",
                    "region": None,
                    "deputy_id": None,
                    "language": "en",
                },
            ),
        ],
    )
    def get(self, request):
        return Response(MeSerializer(selectors.me_summary(user=request.user)).data)
