from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from borderdesk.accounts.api import router as accounts_api
from borderdesk.coordination.api import router as coordination_api
from borderdesk.core import views as core_views
from borderdesk.core.api import api
from borderdesk.documents.api import router as documents_api
from borderdesk.extraction.api import router as extraction_api
from borderdesk.frontier.api import router as frontier_api
from borderdesk.gates.api import router as gates_api
from borderdesk.jobs.api import router as jobs_api
from borderdesk.org.api import router as org_api
from borderdesk.outreach.api import router as outreach_api
from borderdesk.reporting.api import router as reporting_api

# Each app's API router, mounted at /api/<app label>/.
for _label, _router in (("jobs", jobs_api), ("accounts", accounts_api), ("org", org_api),
                        ("reporting", reporting_api), ("frontier", frontier_api), ("gates", gates_api),
                        ("outreach", outreach_api), ("coordination", coordination_api),
                        ("documents", documents_api), ("extraction", extraction_api)):
    api.add_router(f"/{_label}/", _router)

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
]

