from csp.decorators import csp_exempt
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from accounts.forms import EmailAuthenticationForm, PasswordResetForm
from core import views as core_views
from core.api.schema_view import SchemaView
from deputies import views as deputy_views

urlpatterns = [
    # First: Django tries the patterns in order, and the API is the busiest (a filing
    # tried 42 page patterns before it, a twentieth of its CPU).
    path("api/v1/", include(("config.api.urls", "api"), namespace="api")),
    path("", deputy_views.home, name="home"),
    path("consent/", deputy_views.consent, name="consent"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/two-factor/", include("accounts.urls_otp")),
    path("accounts/", include("accounts.urls")),
    path("", include("deputies.urls")),
    path("", include("appeals.urls")),
    path("", include("feedback.urls")),
    path("", include("ratings.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/problems/<slug:code>/", core_views.problem_type, name="problem-type"),
    path(
        "api/docs/",
        csp_exempt()(SpectacularSwaggerView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
