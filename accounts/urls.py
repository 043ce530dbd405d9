from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("signup/sent/", views.sign_up_done, name="signup_done"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-again/", views.resend_confirmation, name="resend_confirmation"),
    path("home/", views.signed_in, name="home"),
    path("profile/", views.profile, name="profile"),
    path("accessibility/", views.toggle_accessible_mode, name="accessibility"),
    path("token/", views.issue_token, name="issue_token"),
    path("token/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
