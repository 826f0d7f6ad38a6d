"""The accidents layer of the map of places (anjian/registry/map_layers.py): its points, scoped."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from anjian.accidents import tabs


@login_required
@require_GET
def map_points(request: HttpRequest) -> JsonResponse:
    """{"points": [[lat, lon, title, detail_url, grade], ...]}: the user's accidents of the last twelve months."""
    if not tabs.sees_accidents(request.user):
        raise Http404
    response = JsonResponse(
        {"points": tabs.map_points(request.user)},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    response["Cache-Control"] = "private, no-store"
    return response
