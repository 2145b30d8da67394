import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def vietnamese():
    """Messages and labels are asserted in Vietnamese. A page request made earlier in the same worker
    with the English cookie leaves English active in the thread (LocaleMiddleware does not reset it)."""
    with translation.override("vi"):
        yield
