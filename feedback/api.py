from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from appeals.selectors import appeal_get_for
from core.api import fields
from core.api.serializers import ModelSerializer
from deputies.access import scope_for

from . import services
from .models import Feedback

FEEDBACK = {"overall": 5, "solved": "yes", "speed": 4, "personal": 5, "comment": "Спасибо!"}
NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description="The appeal's number.")


@extend_schema_serializer(
    examples=[
        OpenApiExample("feedback", value=FEEDBACK, request_only=True),
        OpenApiExample(
            "feedback",
            value={
                **FEEDBACK,
                "created_at": "2026-05-10T09:12:00+03:00",
                "updated_at": "2026-05-10T09:12:00+03:00",
            },
            response_only=True,
        ),
    ]
)
class FeedbackSerializer(ModelSerializer):
    """The citizen's rating of the answer: overall satisfaction, speed and attention from
    1 (worst) to 5, whether the problem was solved, and an optional comment."""

    overall = fields.IntegerField(min_value=1, max_value=5)
    speed = fields.IntegerField(min_value=1, max_value=5)
    personal = fields.IntegerField(min_value=1, max_value=5)
    comment = fields.CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        model = Feedback
        fields = ["overall", "solved", "speed", "personal", "comment", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class AppealFeedbackApi(APIView):
    """The feedback of an appeal: read by those who see the appeal (without the
    citizen's identity), left or changed for 7 days by its citizen."""

    may_conflict = True  # 409: core.api.schema lists it

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="appeals_feedback_retrieve",
        summary="Read an appeal's feedback",
        description="The citizen's feedback on the answer, to whoever may see the appeal; "
        "404 while there is none.",
        tags=["feedback"],
        parameters=[NUMBER],
        responses=FeedbackSerializer,
    )
    def get(self, request, number):
        appeal = appeal_get_for(scope=scope_for(request.user), number=number)
        feedback = Feedback.objects.filter(appeal=appeal).first()
        if feedback is None:
            raise NotFound
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(
        operation_id="appeals_feedback_leave",
        summary="Rate the answer",
        description="The appeal's citizen rates its final answer (201), or changes the "
        "rating within 7 days (200). The appeal closes when first rated. Before the final "
        "answer, or after the 7 days, a 409.",
        tags=["feedback"],
        parameters=[NUMBER],
        request=FeedbackSerializer,
        responses={201: FeedbackSerializer, 200: FeedbackSerializer},
    )
    def post(self, request, number):
        scope = scope_for(request.user)
        appeal = appeal_get_for(scope=scope, number=number)
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = Feedback.objects.filter(appeal=appeal).exists()
        feedback = services.feedback_leave(
            scope=scope, appeal=appeal, actor=request.user, **data.validated_data
        )
        return Response(
            FeedbackSerializer(feedback).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
