"""Vietnamese first: an English browser still gets Vietnamese until the user switches."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_gets_vietnamese_until_switch(client):
    page = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/tai-khoan/dang-nhap/"})
    page = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="en"' in page
