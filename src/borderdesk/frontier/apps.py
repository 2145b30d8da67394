from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontierConfig(AppConfig):
    name = "borderdesk.frontier"
    label = "frontier"
    verbose_name = _("Biên giới, mốc giới")

    def ready(self):
        from borderdesk.core import navigation

        from . import derived  # noqa: F401  (registers derived indicators with reporting)

        navigation.register("frontier:home", _("Biên giới, mốc giới"), order=50)
