"""Job kinds: each app registers the handlers of the long work it offers (the registry itself lives in
`core.background`, so that apps the jobs app sits beside — accounts — can offer work too)."""

from __future__ import annotations

from borderdesk.core.background import KINDS, JobError, JobKind, admin_kinds, daily_kinds, kind, register

__all__ = ["KINDS", "JobError", "JobKind", "admin_kinds", "daily_kinds", "kind", "register"]
