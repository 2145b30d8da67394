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
        from django.db import connections
        from django.db.backends.signals import connection_created

        from . import tables

        # Every write bumps its applications' data generations (core.tables), whatever path it took.
        connection_created.connect(tables.install_write_hook, dispatch_uid="borderdesk-write-hook")
        for connection in connections.all(initialized_only=True):
            tables.install_write_hook(connection=connection)
        navigation.register("core:home", _("Trang chủ"), order=0)
        navigation.register(
            "core:changelog", _("Nhật ký thay đổi"), order=900, visible=lambda user: user.can(Action.AUDIT)
        )
