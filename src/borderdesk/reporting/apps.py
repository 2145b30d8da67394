from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "borderdesk.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo định kỳ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate

        from borderdesk.core import navigation

        from . import rollup
        from .jobs import register_jobs
        from .models import Submission

        register_jobs()
        post_delete.connect(rollup.on_submission_deleted, sender=Submission, dispatch_uid="reporting-rollup-delete")
        post_migrate.connect(rollup.ensure_sqlite_index, sender=self, dispatch_uid="reporting-rollup-sqlite-index")
        navigation.register("reporting:home", _("Báo cáo định kỳ"), order=40)
