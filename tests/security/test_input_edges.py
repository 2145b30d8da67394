"""Issue 10 (input edges): control characters refused at the edge, bounded pagination, clear 4xx for bad input."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, users):
    client.force_login(users["vanphong.ls"])
    return client


@pytest.mark.parametrize("path", ["/api/org/units?q=a%00b", "/api/org/units?q=%01", "/bao-cao/?ky=2025%00"])
def test_nul_and_control_characters_in_query_strings_are_400(api, path):
    r = api.get(path)
    assert r.status_code == 400
    text = r.json()["message"] if path.startswith("/api/") else r.content.decode()
    assert "ký tự điều khiển" in text


def test_nul_in_a_json_body_is_400_and_nothing_is_saved(api):
    from borderdesk.org.models import Committee

    c = Committee.objects.get(code="ls-bcdbg")
    v = c.version
    for body in (
        '{"parent_body": "A\\u0000B", "expected_version": ' + str(v) + "}",
        '{"parent_body": "A\x01B", "expected_version": ' + str(v) + "}",
    ):
        r = api.patch(f"/api/org/committees/{c.pk}", body, content_type="application/json")
        assert r.status_code == 400 and r.json()["error"] == "invalid_characters"
    c.refresh_from_db()
    assert "A" not in c.parent_body[:1] or "\x00" not in c.parent_body


def test_an_escaped_backslash_is_not_a_control_character(api):
    from borderdesk.org.models import Committee

    c = Committee.objects.get(code="ls-bcdbg")
    r = api.patch(
        f"/api/org/committees/{c.pk}",
        '{"parent_body": "UBND \\\\u0000", "expected_version": ' + str(c.version) + "}",
        content_type="application/json",
    )
    assert r.status_code == 200, r.content


def test_nul_in_a_form_field_is_400(api):
    r = api.post("/tai-khoan/ma-truy-cap/tao/", {"name": "a\x00b"})
    assert r.status_code == 400 and "ký tự điều khiển" in r.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "page=9223372036854775807",
        "page=0",
        "page_size=abc",
        "page=abc",
        "page_size=100000000000000000000",
    ],
)
@pytest.mark.parametrize("path", ["/api/org/units", "/api/gates/gates", "/api/changelog", "/api/frontier/markers"])
def test_bad_paging_is_a_4xx_with_a_message(api, path, query):
    r = api.get(f"{path}?{query}")
    assert 400 <= r.status_code < 500, (path, query, r.status_code)
    assert r.json()["message"]


def test_page_size_abc_on_pages_is_not_a_500(api):
    for path in ("/bao-cao/?page_size=abc", "/bao-cao/?page=99999999999999999999", "/cua-khau/?page_size=abc"):
        assert api.get(path).status_code < 500, path


def test_empty_programme_body_is_a_clear_4xx(api, users):
    api.force_login(users["vanphong.ls"])
    r = api.post("/api/outreach/programmes", {}, content_type="application/json")
    assert 400 <= r.status_code < 500, r.content
    assert r.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/reporting/dataValueSets?agency=17693263397577415458816",
        "/api/org/units/99999999999999999999999",
        "/api/reporting/dataValueSets?submission=99999999999999999999&format=csv",
    ],
)
def test_numbers_too_large_for_the_database_are_400(api, path):
    r = api.get(path)
    assert r.status_code in (400, 404, 422), (path, r.status_code)


def test_numbers_too_large_on_pages_are_not_500(api):
    r = api.get("/bao-cao/?ky=2025&don_vi=17693263397577415458816")
    assert r.status_code < 500
