"""The Permissions-Policy header: powerful browser features are refused everywhere, and a view that needs one
opts in for its own page only.

Every response carries ``feature=()`` for each feature of ``settings.PERMISSIONS_POLICY_FEATURES``, so a script
that got onto a page could neither read the position nor open the camera or the microphone. The field
inspection pages read the inspector's position and take photos: their views are decorated with
``@allow_features("geolocation", "camera")``, which allows those features to the page's own origin
(``feature=(self)``), never to a frame of another site.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings

HEADER = "Permissions-Policy"


def allow_features(*features: str) -> Callable:
    """View decorator: allow ``features`` (e.g. "geolocation", "camera") to the page's own origin."""
    unknown = set(features) - set(settings.PERMISSIONS_POLICY_FEATURES)
    if unknown:
        raise ValueError(f"Not a feature of PERMISSIONS_POLICY_FEATURES: {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.permissions_policy_allow = frozenset(features)
            return response

        return wrapped

    return decorator


def header_value(allowed: frozenset[str] = frozenset()) -> str:
    """``camera=(), geolocation=(self), …``: each listed feature refused unless ``allowed`` for our origin."""
    return ", ".join(
        f"{feature}=(self)" if feature in allowed else f"{feature}=()"
        for feature in settings.PERMISSIONS_POLICY_FEATURES
    )
