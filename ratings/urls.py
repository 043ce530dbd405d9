from django.urls import path

from . import views
from .hotspots import views as hot_spots

app_name = "ratings"

urlpatterns = [
    path("ratings/", views.region_table, name="region_table"),
    path("ratings/me/", views.my_rating, name="my_rating"),
    path("ratings/regions/", views.regions_comparison, name="regions_comparison"),
    path("ratings/formula/", views.formula_preview, name="formula_preview"),
    path("ratings/topics/", views.topic_analytics, name="topic_analytics"),
    path("ratings/deputies/<int:pk>/", views.deputy_rating, name="deputy_rating"),
    path("ratings/hot-spots/", hot_spots.hot_spots, name="hot_spots"),
    path("ratings/hot-spots/<int:pk>/", hot_spots.hot_spot, name="hot_spot"),
]
