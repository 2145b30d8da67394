from __future__ import annotations

from . import navigation


def navigation_menu(request):
    """The menu: only what the user may use (entries registered by each app, see core.navigation)."""
    items = navigation.items_for(getattr(request, "user", None))
    return {"nav_items": items, "nav_current": navigation.current_item(request.path, items) if items else None}
