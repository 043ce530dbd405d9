from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make run` and the benches; it writes every app's tables, so it
    sits above them all and nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
