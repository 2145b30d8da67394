from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtractionConfig(AppConfig):
    name = "borderdesk.extraction"
    label = "extraction"
    verbose_name = _("Trích xuất số liệu")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from borderdesk.core import navigation

        navigation.register("extraction:home", _("Trích xuất số liệu"), order=100)
