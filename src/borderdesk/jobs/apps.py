from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "borderdesk.jobs"
    label = "jobs"
    verbose_name = _("Công việc chạy nền")

    def ready(self):
        from borderdesk.core import background

        from . import exports, imports, services

        background.install(services.submit_upload)
        exports.register_jobs()
        imports.register_jobs()
