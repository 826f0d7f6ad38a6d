"""Helpers for paged, filtered list pages: the current filters as a query string, to carry them into the
links of the pager, the sort headers and the exports."""

from __future__ import annotations

from django.http import HttpRequest


def querystring(request: HttpRequest, *, drop=("page",)) -> str:
    """The request's GET parameters, url-encoded, without those in ``drop`` (by default the page number)."""
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def pager_prefix(request: HttpRequest) -> str:
    """What the pager puts before ``page=N``: the current filters and an ``&``, or nothing."""
    query = querystring(request)
    return f"{query}&" if query else ""
