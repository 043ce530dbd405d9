from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("ratings/", views.region_table, name="region_table"),
    path("ratings/me/", views.my_rating, name="my_rating"),
    path("ratings/regions/", views.regions_comparison, name="regions_comparison"),
    path("ratings/formula/", views.formula_preview, name="formula_preview"),
    path("ratings/topics/", views.topic_analytics, name="topic_analytics"),
    path("ratings/deputies/<int:pk>/", views.deputy_rating, name="deputy_rating"),
]
