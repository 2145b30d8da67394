"""The WSGI application the web benchmark serves: BorderDesk's own URLs plus one trivial view.

gunicorn loads this module (``web_app:application``) with the same worker settings as
``borderdesk serve``, so the pages and the trivial reference view share the server, the middleware and
the settings; the only difference between them is the work a page does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

from borderdesk.core.pagecache import never_kept  # noqa: E402


@never_kept
def trivial(request):
    """The reference: no database, no template — what the stack itself costs per request (the page cache
    does not look for it: it would cost a statement that no page of the mix pays twice)."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench-trivial/", trivial),
    path("", include("borderdesk.urls")),
]
settings.ROOT_URLCONF = __name__
