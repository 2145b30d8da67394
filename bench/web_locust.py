"""Locust user for bench/web.py: a signed-in user who opens pages without think time.

The session cookies and the URLs of each signed-in user come from the JSON file named by
BENCH_WEB_PLAN (written by bench/web.py); BENCH_WEB_MODE is ``pages`` or ``trivial``.
"""

from __future__ import annotations

import itertools
import json
import os
import threading

from locust import FastHttpUser, constant, task

PLAN = json.loads(open(os.environ["BENCH_WEB_PLAN"], encoding="utf-8").read())
MODE = os.environ.get("BENCH_WEB_MODE", "pages")
_sessions = itertools.cycle(PLAN["sessions"])
_started = itertools.count()
_lock = threading.Lock()


class SignedIn(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        with _lock:
            me, n = next(_sessions), next(_started)
        self.cookie = f"sessionid={me['sessionid']}"
        self.urls = me["urls"]
        # Users start at different pages of their list: a short run still opens every page about equally.
        self.position = n

    @task
    def next_page(self):
        if MODE == "trivial":
            self.client.get("/bench-trivial/", name="trivial", headers={"Cookie": self.cookie})
            return
        name, url = self.urls[self.position % len(self.urls)]
        self.position += 1
        with self.client.get(url, name=name, headers={"Cookie": self.cookie}, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code} on {url}")
