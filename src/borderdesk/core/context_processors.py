from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .scoping import Action


def navigation(request):
    """The menu: only what the user may use."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("core:home", _("Trang chủ")))
        if user.can(Action.VIEW):
            items.append(("org:tree", _("Tổ chức")))
            items.append(("org:committees", _("Ban chỉ đạo")))
        from django.urls import NoReverseMatch, reverse

        for name, label in getattr(request, "extra_nav", []) or EXTRA_NAV:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            items.append((name, label))
        if user.can(Action.AUDIT):
            items.append(("core:changelog", _("Nhật ký thay đổi")))
        if user.can(Action.MANAGE):
            items.append(("accounts:users", _("Tài khoản")))
    # The current item is the one whose address is the longest prefix of the page's address.
    current = None
    if user is not None and user.is_authenticated:
        from django.urls import reverse

        best = -1
        for name, _label in items:
            href = reverse(name)
            if (request.path == href or (href != "/" and request.path.startswith(href))) and len(href) > best:
                best, current = len(href), name
    return {"nav_items": items, "nav_current": current}


# Apps that land later add their entries here: (url name, label).
EXTRA_NAV: list[tuple[str, object]] = [
    ("dashboards:home", _("Tổng quan")),
    ("reporting:home", _("Báo cáo định kỳ")),
    ("frontier:home", _("Biên giới, mốc giới")),
    ("dashboards:gates", _("Cửa khẩu")),
    ("outreach:home", _("Dân vận, tuyên truyền")),
    ("coordination:home", _("Hội nghị, nhiệm vụ")),
    ("documents:home", _("Văn bản")),
    ("extraction:home", _("Trích xuất số liệu")),
]
