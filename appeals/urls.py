from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("appeals/", views.appeal_list, name="appeal_list"),
    path("appeals/new/", views.appeal_create, name="appeal_create"),
    path("appeals/new/deputy/", views.appeal_finder, name="appeal_finder"),
    path("appeals/new/recipient/", views.appeal_recipient, name="appeal_recipient"),
    path("appeals/new/topic-suggestion/", views.topic_suggestion, name="topic_suggestion"),
    path("appeals/<str:number>/receipt/", views.appeal_receipt, name="appeal_receipt"),
    path("appeals/<str:number>/", views.appeal_detail, name="appeal_detail"),
    *[
        path(
            f"appeals/<str:number>/{action}/",
            views.appeal_action,
            {"action": action},
            name=f"appeal_{action.replace('-', '_')}",
        )
        for action in views.ACTIONS
    ],
    path("appeals/<str:number>/collective/join/", views.collective_join, name="collective_join"),
    path("appeals/<str:number>/collective/leave/", views.collective_leave, name="collective_leave"),
    path(
        "appeals/<str:number>/collective/answer/",
        views.collective_answer,
        name="collective_answer",
    ),
    path(
        "appeals/<str:number>/files/<str:token>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("committee/queue/", views.committee_queue, name="committee_queue"),
    path("committee/search/", views.committee_search, name="committee_search"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("my-data/", views.personal_data_download, name="personal_data_download"),
    path("my-data/erase/", views.personal_data_erase, name="personal_data_erase"),
]
