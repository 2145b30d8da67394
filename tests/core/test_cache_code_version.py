"""Kept pages and cached values belong to the code that computed them: after an upgrade and a restart, the shared
cache (var/cache/, Redis) must not serve pages rendered by the old templates (seen: a restarted `./bd run` kept
serving the report list without the change just made to its template)."""

from borderdesk import code_version
from tests.production_process import run_with_production_settings


def test_the_code_digest_changes_with_a_template_a_module_or_a_translation(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "templates" / "list.html").write_text("<table>")
    (tmp_path / "app" / "views.py").write_text("x = 1\n")
    (tmp_path / "app" / "notes.txt").write_text("not code")
    first = code_version.digest(tmp_path)
    assert first == code_version.digest(tmp_path)  # stable
    (tmp_path / "app" / "notes.txt").write_text("still not code")
    assert code_version.digest(tmp_path) == first
    (tmp_path / "app" / "templates" / "list.html").write_text('<table class="stack">')
    second = code_version.digest(tmp_path)
    assert second != first
    (tmp_path / "app" / "views.py").write_text("x = 2\n")
    assert code_version.digest(tmp_path) != second


def test_a_shared_cache_is_keyed_by_the_code_version(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; from borderdesk import code_version; "
        "print(settings.CACHES['default']['KEY_PREFIX'] == code_version.digest() != '')"
    )
    run = run_with_production_settings(code, tmp_path, BORDERDESK_CACHE_DIR=str(tmp_path / "cache"))
    assert run.stdout.strip() == "True", run.stderr[-1500:]
