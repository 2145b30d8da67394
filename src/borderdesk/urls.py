from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from borderdesk.api import api, register_routers
from borderdesk.core import views as core_views

register_routers()

urlpatterns = [
    path("", include("borderdesk.core.urls")),
    path("tai-khoan/", include("borderdesk.accounts.urls")),
    path("to-chuc/", include("borderdesk.org.urls")),
    path("cong-viec/", include("borderdesk.jobs.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", api.urls),
]

# Domain apps mount their pages when present in this checkout.
for _prefix, _app in (("bao-cao/", "reporting"), ("bien-gioi/", "frontier"), ("cua-khau/", "gates"),
                      ("dan-van/", "outreach"), ("hoi-nghi/", "coordination"), ("van-ban/", "documents"),
                      ("trich-xuat/", "extraction"), ("tong-quan/", "dashboards")):
    from django.apps import apps as _apps

    if _apps.is_installed(f"borderdesk.{_app}"):
        try:
            urlpatterns.append(path(_prefix, include(f"borderdesk.{_app}.urls")))
        except ModuleNotFoundError as _exc:
            if _exc.name != f"borderdesk.{_app}.urls":
                raise
