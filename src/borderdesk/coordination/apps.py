from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "borderdesk.coordination"
    label = "coordination"
    verbose_name = _("Hội nghị, chỉ đạo và phối hợp")

    def ready(self):
        from borderdesk.core import navigation

        from .jobs import register_jobs

        register_jobs()

        navigation.register("coordination:home", _("Hội nghị, nhiệm vụ"), order=80)
