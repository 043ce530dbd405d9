from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("appeals/<str:number>/feedback/", views.feedback_leave, name="feedback_leave"),
]
