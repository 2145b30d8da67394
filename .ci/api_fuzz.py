"""A bounded schemathesis run against BorderDesk's OpenAPI schema (issue 10).

Starts nothing on the network: a throwaway SQLite database with the demonstration data, Django's WSGI application
called in-process by schemathesis (loopback only, no server). Every operation of /api/openapi.json gets
``--per-operation`` generated requests (positive and negative data) as a standing-office user with a bearer token;
each response must not be a server error (5xx) and must match the response schema the operation publishes.

    .venv/bin/python .ci/api_fuzz.py [--per-operation 8] [--min-cases 1000] [--seed 10]

Exit status 0 only when at least ``--min-cases`` requests were made with 0 server errors and 0 schema violations.
The closing line reads "N passed, N failed".
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def _setup(workdir: Path) -> str:
    os.environ["BORDERDESK_TESTING"] = "1"
    os.environ["BORDERDESK_VAR_DIR"] = str(workdir)
    os.environ["BORDERDESK_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["BORDERDESK_PLAIN_STATIC"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'fuzz.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from borderdesk.accounts.models import ApiToken, User
    from borderdesk.demo.loader import load_demo

    load_demo()
    _token, key = ApiToken.issue(user=User.objects.get(username="vanphong.ls"), name="schemathesis")
    return key


def _make_test(operation, mode, examples, label, seen, headers, checks, counts, statuses):
    """A hypothesis test sending ``examples`` generated requests for one operation and generation mode."""
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hsettings

    @hsettings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
               suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=headers)
        counts["cases"] += 1
        statuses[response.status_code // 100] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failure is reported, the run goes on
            counts["failed"] += 1
            if len(seen) < 3:
                body = response.text[:300].replace("\n", " ")
                seen.append(f"{label} [{mode.value}] -> {response.status_code}: {str(exc).splitlines()[0][:200]} | "
                            f"{case.path_parameters} {case.query} {str(case.body)[:200]} | {body}")

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-operation", type=int, default=8)
    parser.add_argument("--min-cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--only", default="", help="test only operations whose path contains this text")
    args = parser.parse_args()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="borderdesk-fuzz-"))
    key = _setup(workdir)

    import hypothesis
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {key}"}
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    counts = Counter()  # "cases", "failed"
    statuses: Counter = Counter()
    failures: list[str] = []
    operations = [op for op in (result.ok() for result in schema.get_all_operations()) if args.only in op.path]

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            examples = max(1, args.per_operation * 3 // 4) if mode == GenerationMode.POSITIVE \
                else max(1, args.per_operation // 4)
            seen: list[str] = []
            run = _make_test(operation, mode, examples, label, seen, headers, checks, counts, statuses)
            try:
                hypothesis.seed(args.seed)(run)()
            except hypothesis.errors.Unsatisfiable:
                pass
            except Exception as exc:  # noqa: BLE001 - a strategy that cannot be built is reported, not fatal
                seen.append(f"{label} [{mode.value}]: could not generate: {exc.__class__.__name__}: {exc}"[:300])
            failures.extend(seen)

    cases, failed = counts["cases"], counts["failed"]
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {cases} requests in {elapsed:.0f} s; "
          f"responses by class: {dict(sorted(statuses.items()))}")
    for line in failures:
        print("  FAIL", line)
    ok = not failures and not failed and cases >= args.min_cases
    if cases < args.min_cases:
        print(f"  too few requests: {cases} < {args.min_cases}")
    print(f"api-fuzz: {cases - failed} passed, {failed} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
