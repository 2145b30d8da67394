"""Locust user for bench/web.py: a signed-in user who opens pages, without think time or with some.

The session cookies and the URLs of each signed-in user come from the JSON file named by
BENCH_WEB_PLAN (written by bench/web.py); BENCH_WEB_MODE is ``pages`` or ``trivial``; BENCH_WEB_THINK
``a-b`` makes each user wait a uniformly random a–b seconds between two requests (default: none).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

from locust import FastHttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_WEB_PLAN"], encoding="utf-8").read())
MODE = os.environ.get("BENCH_WEB_MODE", "pages")
WRITES = float(os.environ.get("BENCH_WEB_WRITES", "0")) / 100
THINK = tuple(float(x) for x in os.environ["BENCH_WEB_THINK"].split("-")) if os.environ.get("BENCH_WEB_THINK") else ()
_writers = itertools.cycle(PLAN.get("writers") or [None])
_sessions = itertools.cycle(PLAN["sessions"])
_started = itertools.count()
_lock = threading.Lock()
#: answers per page and X-BorderDesk-Page-Cache value (hit, miss, skip, none), written to BENCH_WEB_CACHE_OUT
CACHE: dict[str, dict[str, int]] = {}


@events.test_stop.add_listener
def _write_cache_counts(**_kwargs):
    out = os.environ.get("BENCH_WEB_CACHE_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(CACHE, fh)


class SignedIn(FastHttpUser):
    wait_time = between(THINK[0], THINK[-1]) if THINK else constant(0)

    def on_start(self):
        with _lock:
            me, n = next(_sessions), next(_started)
        self.cookie = f"sessionid={me['sessionid']}"
        self.urls = me["urls"]
        # Users start at different pages of their list: a short run still opens every page about equally.
        self.position = n
        self.writer = next(_writers)
        self.random = random.Random(n)

    @task
    def next_page(self):
        if MODE == "trivial":
            self.client.get("/bench-trivial/", name="trivial", headers={"Cookie": self.cookie})
            return
        if self.writer and self.random.random() < WRITES:
            self.write()
            return
        name, url = self.urls[self.position % len(self.urls)]
        self.position += 1
        with self.client.get(url, name=name, headers={"Cookie": self.cookie}, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code} on {url}")
            state = resp.headers.get("X-BorderDesk-Page-Cache") or "none"
            counts = CACHE.setdefault(name, {})
            counts[state] = counts.get(state, 0) + 1

    def write(self):
        """Save one figure of a draft report as the entry page's script does (session, CSRF token, the API)."""
        w = self.writer
        value = w["value"] + self.random.randint(0, 5)
        body = {"dataValues": [{"submission": w["submission"], "indicator": w["indicator"], "value": f"{value:g}"}]}
        headers = {"Cookie": f"sessionid={w['sessionid']}; csrftoken={w['csrf']}", "X-CSRFToken": w["csrf"]}
        with self.client.post(
            "/api/reporting/dataValueSets", json=body, name="write: data value", headers=headers, catch_response=True
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}: {resp.text[:200]}")
