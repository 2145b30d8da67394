"""Time to draft one province's annual report (.docx). Target: under 2 s.

    python bench/documents.py [--quick]

Uses a throw-away SQLite database with the demo data; drafts the 2025 annual report of Lạng Sơn
(consolidation + coordination + outline + python-docx) N times and reports the median.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time

quick = "--quick" in sys.argv
tmp = tempfile.mkdtemp(prefix="bench-documents-")
os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
os.environ.setdefault("BORDERDESK_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")

import django  # noqa: E402

django.setup()
import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402

t0 = time.perf_counter()
call_command("migrate", verbosity=0)
from borderdesk.demo.loader import load_demo  # noqa: E402

load_demo()
setup_s = time.perf_counter() - t0

from borderdesk.accounts.models import User  # noqa: E402
from borderdesk.core.periods import parse_period  # noqa: E402
from borderdesk.documents import services  # noqa: E402
from borderdesk.org.models import Committee  # noqa: E402

user = User.objects.get(username="vanphong.ls")
committee = Committee.objects.get(code="ls-bcdbg")
period = parse_period("2025")
runs = 3 if quick else 10
times = []
size = 0
for _ in range(runs):
    t = time.perf_counter()
    draft = services.draft_create(user=user, committee=committee, period=period, report_date=dt.date(2026, 1, 5))
    times.append(time.perf_counter() - t)
    size = len(bytes(draft.docx))
median = statistics.median(times)
print(f"setup (migrate + demo data): {setup_s:.1f} s")
print(
    f"draft annual report Lạng Sơn 2025: runs={runs} median={median:.3f} s min={min(times):.3f} s "
    f"max={max(times):.3f} s docx={size} bytes; target < 2 s: {'OK' if median < 2 else 'MISSED'}"
)
print(
    json.dumps(
        {
            "bench": "documents",
            "runs": runs,
            "median_s": round(median, 3),
            "min_s": round(min(times), 3),
            "max_s": round(max(times), 3),
            "docx_bytes": size,
            "target_s": 2,
            "ok": median < 2,
        }
    )
)
