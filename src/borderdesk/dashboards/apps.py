from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "borderdesk.dashboards"
    label = "dashboards"
    verbose_name = _("Tổng quan")

    def ready(self):
        from borderdesk.core import homepages, navigation

        from .views import home_url_for

        homepages.register(home_url_for)
        navigation.register("dashboards:home", _("Tổng quan"), order=30)
        navigation.register("dashboards:gates", _("Cửa khẩu"), order=60)
