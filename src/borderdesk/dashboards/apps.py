from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "borderdesk.dashboards"
    label = "dashboards"
    verbose_name = _("Tổng quan")

    def ready(self):
        from borderdesk.core import homepages

        from .views import home_url_for

        homepages.register(home_url_for)
