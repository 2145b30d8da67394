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
    path("bao-cao/", include("borderdesk.reporting.urls")),
    path("bien-gioi/", include("borderdesk.frontier.urls")),
    path("cua-khau/", include("borderdesk.gates.urls")),
    path("dan-van/", include("borderdesk.outreach.urls")),
    path("hoi-nghi/", include("borderdesk.coordination.urls")),
    path("van-ban/", include("borderdesk.documents.urls")),
    path("trich-xuat/", include("borderdesk.extraction.urls")),
    path("tong-quan/", include("borderdesk.dashboards.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", api.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the API docs, a file served inline).
    # The address is looked up per request: at import time the manifest may not exist yet (a worker, a command).
    path("favicon.ico", core_views.favicon),
]
