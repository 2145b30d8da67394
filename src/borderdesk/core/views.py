from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from . import changelog_display, fragments, homepages, vn
from .changelog_list import CHANGELOG
from .exports import safe_csv_writer
from .keyset import keyset_page
from .listing import ListParamError
from .models import ChangeLogEntry
from .scoping import Action, get_for_user_or_404
from .selectors import changelog_for_user, changelog_models
from .worklist import collect


def parse_date_param(value: str | None, default: dt.date | None = None) -> dt.date | None:
    """Accept 24/6/2021, 24/06/2021 or 2021-06-24; anything else gives the default."""
    if not value:
        return default
    try:
        return vn.parse_date(value)
    except ValueError:
        return default


@login_required
def home(request):
    user = request.user
    # A leader's home is the dashboard: the province's, or the national one at the central level (the
    # dashboards app registers the hook; core imports no app).
    target = homepages.home_for(user)
    if target:
        return redirect(target)
    from django.urls import NoReverseMatch, reverse

    def link(name, *args):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    assignments = user.active_assignments()
    actions = []
    if user.can(Action.VIEW):
        actions.append((_("Xem cây tổ chức theo thời điểm, đơn vị và cơ quan trong phạm vi của bạn"), link("org:tree")))
        actions.append((_("Xem ban chỉ đạo và thành viên theo thời điểm"), link("org:committees")))
    if user.can(Action.CHANGE):
        actions.append((_("Nhập số liệu và báo cáo định kỳ cho đơn vị của bạn"), link("reporting:home")))
    if user.can(Action.APPROVE):
        actions.append((_("Duyệt báo cáo do các đơn vị cấp dưới gửi lên"), link("reporting:review")))
    if user.can(Action.MANAGE):
        actions.append((_("Quản lý ban chỉ đạo, thành viên và dữ liệu của tỉnh"), link("org:committees")))
    if user.can(Action.MANAGE):
        actions.append((_("Quản lý tài khoản và phân quyền"), link("accounts:users")))
        actions.append((_("Đặt kế hoạch năm, 6 tháng"), link("reporting:targets")))
    if user.can(Action.AUDIT):
        actions.append((_("Tra cứu nhật ký thay đổi"), link("core:changelog")))
    actions.append((_("Đổi mật khẩu"), link("accounts:password_change")))
    actions.append((_("Tạo mã truy cập API và xem tài liệu API"), link("accounts:tokens")))
    today = timezone.localdate()
    # The work list asks every application (a dozen statements): kept until a write or a role change.
    worklist = fragments.cached(user, "worklist", (), lambda: collect(user, today))
    return render(
        request,
        "core/home.html",
        {"assignments": assignments, "actions": actions, "today": today, "worklist": worklist},
    )


@login_required
def changelog(request):
    error = ""
    try:
        qs = CHANGELOG.apply(changelog_for_user(user=request.user), request.GET, request.user)
    except ListParamError as exc:
        error, qs = str(exc.message), changelog_for_user(user=request.user).none()
    page = keyset_page(qs, older=request.GET.get("cu_hon"), newer=request.GET.get("moi_hon"), size=50)
    params = request.GET.copy()
    for key in ("cu_hon", "moi_hon", "page"):
        params.pop(key, None)
    return render(
        request,
        "core/changelog.html",
        {
            "page": page,
            "models": changelog_models(),
            "params": request.GET,
            "querystring": params.urlencode(),
            "list_error": error,
        },
        status=400 if error else 200,
    )


@login_required
def changelog_entry(request, pk: int):
    entry = get_for_user_or_404(ChangeLogEntry, request.user, Action.AUDIT, pk=pk)
    return render(request, "core/changelog_entry.html", {"entry": entry})


class _Echo:
    def write(self, value):
        return value


@login_required
def changelog_export(request):
    """CSV of the filtered change log, streamed (same scope as the page). The page's button runs the same export
    as a background job (jobs: "changelog export"), which survives closing the tab; this address serves scripts."""
    try:
        qs = CHANGELOG.apply(changelog_for_user(user=request.user), request.GET, request.user)
    except ListParamError as exc:
        return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
    writer = safe_csv_writer(_Echo())

    def rows():
        yield "\ufeff"
        yield writer.writerow(changelog_display.csv_header())
        for row in changelog_display.csv_rows(qs):
            yield writer.writerow(row)

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="nhat-ky-thay-doi.csv"'
    return resp


def set_language(request):
    """Django's language switch, which also saves a signed-in user's choice (see UserLanguageMiddleware)."""
    response = django_set_language(request)
    lang = request.POST.get("language", "")
    user = getattr(request, "user", None)
    if request.method == "POST" and lang in dict(settings.LANGUAGES) and user is not None and user.is_authenticated:
        from .services import language_set

        language_set(user=user, language=lang, choices=settings.LANGUAGES)
    return response


def favicon(request):
    """/favicon.ico, asked for by browsers on pages without an icon link: a permanent redirect to the site's icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
