"""Outlines are templates with validation on save; the command drafts to a file."""

import pytest
from django.core.management import CommandError, call_command

from borderdesk.core.errors import ApplicationError
from borderdesk.documents import services
from borderdesk.documents.models import ReportTemplate
from borderdesk.documents.outline import check_outline

pytestmark = pytest.mark.django_db


def test_default_outlines_are_valid():
    for t in ReportTemplate.objects.all():
        v = t.current
        assert check_outline(v.body) == [] and check_outline(v.summary) == [], t.code


@pytest.mark.parametrize(
    "body,needle",
    [
        ("Dòng 1\n{{ f.KHONG_CO.full }}", "Dòng 2: chỉ tiêu “KHONG_CO” không có trong danh mục"),
        ("Dòng 1\n\n{{ uỷ_ban }}", "Dòng 3"),
        ("{% if commendations.has %}\nchưa đóng", "lỗi cú pháp"),
        ("{% load i18n %}", "Chỉ dùng được các thẻ"),
        ("{% for d in directives.rows %}{{ d.khong }}{% endfor %}", "không có trường “khong”"),
    ],
)
def test_bad_outline_is_refused_with_line(users, body, needle):
    t = ReportTemplate.objects.get(code="annual")
    before = t.versions.count()
    with pytest.raises(ApplicationError) as exc:
        services.template_version_save(user=users["admin"], template=t, summary="Báo cáo", body=body)
    assert needle in str(exc.value.message)
    assert exc.value.code == "invalid_template"
    assert t.versions.count() == before


def test_valid_outline_makes_a_new_version(users):
    t = ReportTemplate.objects.get(code="annual")
    before = t.current.number
    v = services.template_version_save(
        user=users["admin"],
        template=t,
        summary="Báo cáo {{ period.label }}",
        body="# I. CHUNG\n{{ commendations.text }}",
    )
    assert v.number == before + 1 and t.current == v


def test_viewer_cannot_edit_outline(users):
    t = ReportTemplate.objects.get(code="annual")
    with pytest.raises(ApplicationError):
        services.template_version_save(user=users["lanhdao.ls"], template=t, summary="x", body="y")


def test_command_drafts_by_province_name(tmp_path):
    out = tmp_path / "bc.docx"
    call_command(
        "report", "draft", "--committee", "Lạng Sơn", "--period", "2025", "--date", "2026-01-05", "--out", str(out)
    )
    from .conftest import all_text, read_docx

    assert "183 triệu USD" in all_text(read_docx(out.read_bytes()))


def test_command_bad_input(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy ban chỉ đạo"):
        call_command("report", "draft", "--committee", "xx", "--period", "2025", "--out", str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match="Kỳ báo cáo không hợp lệ"):
        call_command(
            "report", "draft", "--committee", "ls-bcdbg", "--period", "20x5", "--out", str(tmp_path / "a.docx")
        )
    with pytest.raises(CommandError, match="chưa có số liệu"):
        call_command(
            "report",
            "draft",
            "--committee",
            "ls-kiemtra",
            "--period",
            "2012",
            "--date",
            "2013-01-05",
            "--out",
            str(tmp_path / "a.docx"),
        )
    assert not (tmp_path / "a.docx").exists()
