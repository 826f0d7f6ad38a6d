from django.conf import settings

from anjian.core import navigation


def platform(request) -> dict:
    """Navigation for the current user and the site title, for every page."""
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.items_for(user, request.path),
        "site_title": settings.SITE_TITLE,
        "map_tile_url": settings.MAP_TILE_URL,
    }
