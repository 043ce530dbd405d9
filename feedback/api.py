from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from appeals.selectors import appeal_get_for
from core.api.serializers import ModelSerializer
from deputies.access import scope_for

from . import services
from .models import Feedback


class FeedbackSerializer(ModelSerializer):
    overall = serializers.IntegerField(min_value=1, max_value=5)
    speed = serializers.IntegerField(min_value=1, max_value=5)
    personal = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        model = Feedback
        fields = ["overall", "solved", "speed", "personal", "comment", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class AppealFeedbackApi(APIView):
    """The feedback of an appeal: read by those who see the appeal (without the
    citizen's identity), left or changed for 7 days by its citizen."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FeedbackSerializer)
    def get(self, request, number):
        appeal = appeal_get_for(scope=scope_for(request.user), number=number)
        feedback = Feedback.objects.filter(appeal=appeal).first()
        if feedback is None:
            raise NotFound
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(
        request=FeedbackSerializer, responses={201: FeedbackSerializer, 200: FeedbackSerializer}
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
