"""Vietnamese first: an English browser still gets Vietnamese until the user switches."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_gets_vietnamese_until_switch(client):
    page = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/tai-khoan/dang-nhap/"})
    page = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="en"' in page


def test_saved_language_follows_the_user_to_another_browser(client, users):
    from django.test import Client

    from borderdesk.core.models import ChangeLogEntry

    user = users["lanhdao.ls"]
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    assert ChangeLogEntry.objects.filter(object_id=str(user.pk), after={"language": "en"}).exists()
    other = Client()  # another browser: no language cookie
    other.force_login(user)
    first = other.get("/to-chuc/")  # (a leader's "/" redirects to the dashboard)
    assert 'lang="en"' in first.content.decode()
    assert first.cookies["django_language"].value == "en"
    # Back to Vietnamese from that browser: saved again.
    other.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    user.refresh_from_db()
    assert user.language == "vi"
    assert 'lang="vi"' in Client().get("/tai-khoan/dang-nhap/").content.decode()  # anonymous: Vietnamese
