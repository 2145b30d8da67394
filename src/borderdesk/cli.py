"""The `borderdesk` console command.

borderdesk serve [--host 127.0.0.1] [--port 8000] [--workers N]   migrate, demo data if empty, serve,
                                                                 and start a background-job worker
borderdesk worker                                                run background jobs (production: own process)
borderdesk demo                                                  load the demonstration data
borderdesk extract FILE... [--format jsonl]                      figures from Vietnamese text
borderdesk <any Django management command>                       e.g. migrate, check --deploy, report
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def _var_dir() -> Path:
    home = Path(os.environ.get("BORDERDESK_HOME", Path.cwd()))
    return Path(os.environ.get("BORDERDESK_VAR_DIR", home / "var"))


def ensure_secret_key() -> None:
    """Create var/secret_key once, so an embedded install needs no configuration."""
    if os.environ.get("BORDERDESK_SECRET_KEY"):
        return
    var = _var_dir()
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "borderdesk.settings")
    ensure_secret_key()
    import django

    django.setup()


def _static_sources_digest() -> str:
    """What collectstatic would read: every source file's path, size and time, and the storage that writes them."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            st = os.stat(storage.path(path))
            digest.update(f"{getattr(storage, 'prefix', '') or ''}/{path}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """collectstatic unless nothing changed since the last time (it compresses every file: minutes on 2 cores,
    at every start). Returns whether it ran."""
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root / ".collected"
    digest = _static_sources_digest()
    manifest = root / "staticfiles.json"
    manifest_needed = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    if stamp.is_file() and stamp.read_text() == digest and (manifest.is_file() or not manifest_needed):
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest)
    return True


def serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="borderdesk serve", description="Run BorderDesk with gunicorn.")
    parser.add_argument("--host", default=os.environ.get("BORDERDESK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BORDERDESK_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BORDERDESK_WORKERS", "0")) or None)
    parser.add_argument("--no-demo", action="store_true", help="do not load demonstration data into an empty database")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start a background-job worker (run `borderdesk worker` separately)",
    )
    args = parser.parse_args(argv)

    # Served directly over HTTP unless told it sits behind TLS (BORDERDESK_HTTPS=1).
    os.environ.setdefault("BORDERDESK_HTTPS", "0")
    if not os.environ.get("REDIS_URL"):
        # The workers share one cache (kept pages, scopes) in var/cache/ rather than one each in memory.
        var = Path(os.environ.get("BORDERDESK_VAR_DIR", Path(os.environ.get("BORDERDESK_HOME", Path.cwd())) / "var"))
        os.environ.setdefault("BORDERDESK_CACHE_DIR", str(var / "cache"))
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    collect_static()
    from borderdesk.demo.loader import database_is_empty, demo_accounts

    if not args.no_demo and database_is_empty():
        print("Đang nạp dữ liệu minh họa (lần đầu)…", flush=True)
        call_command("demo", verbosity=1)
    settings.BORDERDESK_SHOW_DEMO_LOGINS = True

    workers = args.workers or (2 if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else 4)
    url = f"http://{'localhost' if args.host in ('127.0.0.1', '0.0.0.0') else args.host}:{args.port}/"
    print("\nBorderDesk đang chạy tại / is running at: " + url, flush=True)
    accounts = demo_accounts()
    if accounts:
        print(f"Tài khoản minh họa / demo logins (mật khẩu / password: {accounts[0][2]}):")
        for username, role, _password, scope in accounts:
            print(f"  {username:<16} {role:<28} {scope}")
    print("Nhấn Ctrl+C để dừng / Ctrl+C to stop.\n", flush=True)

    from gunicorn.app.base import BaseApplication

    from borderdesk.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", os.environ.get("BORDERDESK_ACCESS_LOG", None))

        def load(self):
            return application

    worker = None
    if not args.no_worker:
        # Background jobs (large imports, rebuilds) run in a worker process beside the web server.
        import subprocess

        worker = subprocess.Popen([sys.executable, "-m", "borderdesk.cli", "worker"])
    try:
        Server().run()
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in ("-h", "--help", "help"):
        print(__doc__)
        _setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["borderdesk", "help"])
        return 0
    if command == "serve":
        return serve(argv[1:])
    if command == "extract":
        from borderdesk.extraction.cli import main as extract_main

        return extract_main(argv[1:])
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["borderdesk", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
