from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "borderdesk.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from borderdesk.core import navigation
        from borderdesk.core.scoping import Action

        from . import jobs, signals

        signals.connect()
        jobs.register_jobs()
        navigation.register("accounts:users", _("Tài khoản"), order=910, visible=lambda user: user.can(Action.MANAGE))
