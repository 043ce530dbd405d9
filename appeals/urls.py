from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/new/", views.appeal_create, name="appeal_create"),
    path("appeals/<str:number>/", views.appeal_detail, name="appeal_detail"),
    path("appeals/<str:number>/withdraw/", views.appeal_withdraw, name="appeal_withdraw"),
    path("appeals/<str:number>/follow-up/", views.appeal_follow_up, name="appeal_follow_up"),
    path("appeals/<str:number>/take/", views.appeal_take, name="appeal_take"),
    path("appeals/<str:number>/reply/", views.appeal_reply, name="appeal_reply"),
    path("appeals/<str:number>/redirect/", views.appeal_redirect, name="appeal_redirect"),
    path("appeals/<str:number>/extend/", views.appeal_extend, name="appeal_extend"),
    path("appeals/<str:number>/reject/", views.appeal_reject, name="appeal_reject"),
    path("appeals/<str:number>/assign/", views.appeal_assign, name="appeal_assign"),
    path(
        "appeals/<str:number>/files/<str:token>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("committee/queue/", views.committee_queue, name="committee_queue"),
    path("notifications/", views.notification_list, name="notification_list"),
]
