from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "borderdesk.documents"
    label = "documents"
    verbose_name = _("Văn bản, báo cáo")

    def ready(self):
        from borderdesk.core import navigation

        from .jobs import register_jobs

        register_jobs()

        navigation.register("documents:home", _("Văn bản"), order=90)
