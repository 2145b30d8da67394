from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatesConfig(AppConfig):
    name = "borderdesk.gates"
    label = "gates"
    verbose_name = _("Cửa khẩu")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Offer the gates' derived figures to reporting (reporting never imports gates).
        from . import derived  # noqa: F401
        from .jobs import register_jobs

        register_jobs()
