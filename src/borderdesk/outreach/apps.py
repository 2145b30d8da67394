from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "borderdesk.outreach"
    label = "outreach"
    verbose_name = _("Dân vận, tuyên truyền")

    def ready(self):
        from borderdesk.core import navigation

        from . import derived  # noqa: F401  (registers derived indicators with reporting)

        navigation.register("outreach:home", _("Dân vận, tuyên truyền"), order=70)
