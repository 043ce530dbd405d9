from django.urls import include, path
from rest_framework.routers import SimpleRouter

from accounts import api as accounts_api
from appeals import api as appeals_api
from appeals.api import webhooks as webhooks_api
from deputies import api as deputies_api
from deputies import api_me
from feedback import api as feedback_api
from ratings import api as ratings_api

router = SimpleRouter()
router.register("regions", deputies_api.RegionViewSet, basename="region")
router.register("municipalities", deputies_api.MunicipalityViewSet, basename="municipality")
router.register("bodies", deputies_api.BodyViewSet, basename="body")
router.register("deputies", deputies_api.DeputyViewSet, basename="deputy")

appeal = "appeals/<str:number>/"
urlpatterns = [
    path("topics/", appeals_api.TopicListApi.as_view(), name="topic-list"),
    path("appeals/", appeals_api.AppealListCreateApi.as_view(), name="appeal-list"),
    path(appeal, appeals_api.AppealDetailApi.as_view(), name="appeal-detail"),
    path(f"{appeal}assign/", appeals_api.AppealAssignApi.as_view(), name="appeal-assign"),
    path(f"{appeal}redirect/", appeals_api.AppealRedirectApi.as_view(), name="appeal-redirect"),
    path(f"{appeal}extend/", appeals_api.AppealExtendApi.as_view(), name="appeal-extend"),
    path(f"{appeal}answer/", appeals_api.AppealAnswerApi.as_view(), name="appeal-answer"),
    path(f"{appeal}reject/", appeals_api.AppealRejectApi.as_view(), name="appeal-reject"),
    path(f"{appeal}withdraw/", appeals_api.AppealWithdrawApi.as_view(), name="appeal-withdraw"),
    path(f"{appeal}messages/", appeals_api.AppealFollowUpApi.as_view(), name="appeal-messages"),
    path(
        f"{appeal}collective/", appeals_api.AppealCollectiveApi.as_view(), name="appeal-collective"
    ),
    path(f"{appeal}feedback/", feedback_api.AppealFeedbackApi.as_view(), name="appeal-feedback"),
    path("ratings/regions/", ratings_api.RegionsComparisonApi.as_view(), name="ratings-regions"),
    path(
        "ratings/regions/<str:code>/", ratings_api.RegionRatingApi.as_view(), name="ratings-region"
    ),
    path(
        "ratings/deputies/<int:pk>/history/",
        ratings_api.DeputyRatingHistoryApi.as_view(),
        name="ratings-deputy-history",
    ),
    path("auth/token/", accounts_api.TokenCreateApi.as_view(), name="auth-token"),
    path("auth/tokens/", accounts_api.TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:pk>/", accounts_api.TokenRevokeApi.as_view(), name="auth-token-detail"),
    path("me/", api_me.MeApi.as_view(), name="me"),
    path("webhooks/", webhooks_api.WebhookListCreateApi.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", webhooks_api.WebhookDetailApi.as_view(), name="webhook-detail"),
    path(
        "webhooks/<int:pk>/deliveries/",
        webhooks_api.WebhookDeliveryListApi.as_view(),
        name="webhook-deliveries",
    ),
    path("webhooks/<int:pk>/ping/", webhooks_api.WebhookPingApi.as_view(), name="webhook-ping"),
    # Reference data last: Django tries the patterns in order, and appeals are the busiest.
    path("", include(router.urls)),
]
