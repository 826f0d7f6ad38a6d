from django.conf import settings
from django.utils.functional import SimpleLazyObject

from anjian.core import navigation, notifications

# The bell shows "99+" beyond this: counting stops here, so a full inbox costs what an empty one does.
BELL_CAP = 100


def platform(request) -> dict:
    """Navigation for the current user, the site title and the bell's unread count, for every page."""
    user = getattr(request, "user", None)
    authenticated = getattr(user, "is_authenticated", False)
    nav_items = navigation.items_for(user, request.path)
    return {
        "nav_items": nav_items,
        "nav_menu": navigation.menu_for(nav_items),
        "site_title": settings.SITE_TITLE,
        "map_tile_url": settings.MAP_TILE_URL,
        # Lazy: one COUNT, only for a signed-in user and only when a template shows the bell.
        "unread_notifications": SimpleLazyObject(lambda: notifications.unread_count(user, cap=BELL_CAP))
        if authenticated
        else 0,
    }
