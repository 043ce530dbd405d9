from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Ratings")

    def ready(self):
        from appeals.signals import rating_input_changed

        rating_input_changed.connect(_recompute_region, dispatch_uid="ratings-recompute")


def _recompute_region(sender, region_id, **kwargs):
    from .triggers import region_changed

    region_changed(region_id=region_id)
