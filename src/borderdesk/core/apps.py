from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "borderdesk.core"
    label = "core"
    verbose_name = _("Nền tảng")

    def ready(self):
        from . import collation, navigation
        from .scoping import Action

        collation.install()
        navigation.register("core:home", _("Trang chủ"), order=0)
        navigation.register(
            "core:changelog", _("Nhật ký thay đổi"), order=900, visible=lambda user: user.can(Action.AUDIT)
        )
