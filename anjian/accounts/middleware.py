"""Accounts created or reset by an administrator must set their own password first."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

EXEMPT_PREFIXES = ("/static/", "/i18n/", "/media/", "/healthz")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            path = request.path
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if path not in allowed and not path.startswith(EXEMPT_PREFIXES):
                if path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("You must change your password before using the platform.")}, status=403
                    )
                return redirect(f"{reverse('accounts:password_change')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
