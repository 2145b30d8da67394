import io

import pytest


@pytest.fixture(autouse=True)
def _vietnamese():
    """Messages are checked in Vietnamese; a page test elsewhere may have left English active."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def gate(db):
    from borderdesk.gates.models import BorderGate

    return lambda code: BorderGate.objects.get(code=code)


@pytest.fixture
def log_file():
    """log_file(text or bytes) → a binary stream with .size, as an upload would be."""

    def make(content, name="log.csv"):
        data = content.encode("utf-8") if isinstance(content, str) else content
        f = io.BytesIO(data)
        f.size = len(data)
        f.name = name
        return f

    return make
