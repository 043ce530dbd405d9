from django.urls import path

from . import views

app_name = "deputies"

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("deputies/<int:pk>/", views.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/photo/", views.deputy_photo, name="deputy_photo"),
]
