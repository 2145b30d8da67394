from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "borderdesk.org"
    label = "org"
    verbose_name = _("Tổ chức")

    def ready(self):
        from borderdesk.core import navigation
        from borderdesk.core.scoping import Action

        navigation.register("org:tree", _("Tổ chức"), order=10, visible=lambda user: user.can(Action.VIEW))
        navigation.register("org:committees", _("Ban chỉ đạo"), order=20, visible=lambda user: user.can(Action.VIEW))
