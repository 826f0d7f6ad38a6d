"""The home page of each role: what that role works on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.dashboards import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/home.html", selectors.home_for(request.user))
