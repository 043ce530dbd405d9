from django.urls import path

from . import views_otp

app_name = "two_factor"

urlpatterns = [
    path("", views_otp.otp_verify, name="verify"),
    path("setup/", views_otp.otp_setup, name="setup"),
    path("recovery-codes/", views_otp.recovery_codes_renew, name="recovery_codes"),
]
