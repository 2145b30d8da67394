from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "borderdesk.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo định kỳ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from borderdesk.core import navigation

        from .jobs import register_jobs

        register_jobs()
        navigation.register("reporting:home", _("Báo cáo định kỳ"), order=40)
