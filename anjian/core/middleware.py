"""Request id, client IP and acting user for every request (see anjian.core.context)."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language

from anjian.core import context, permissions_policy

_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address a trusted proxy put in X-Forwarded-For.

    Only the last TRUSTED_PROXY_COUNT hops are ours; anything before them is what the client claims.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        ctx = context.RequestContext(request_id=request_id, ip=client_ip(request))
        request.request_id = request_id
        token = context.activate(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class RequestUserMiddleware:
    """After authentication: remember the user in the request context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.current()
        if ctx is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
            ctx.user = request.user
        return self.get_response(request)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch.

    The browser's Accept-Language is ignored on purpose: an official's English-language
    browser must not turn the platform English behind their back.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen and check_for_language(chosen) and chosen in dict(settings.LANGUAGES) else ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header on every response (see anjian.core.permissions_policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if permissions_policy.HEADER not in response:
            allowed = getattr(response, "permissions_policy_allow", frozenset())
            response[permissions_policy.HEADER] = permissions_policy.header_value(allowed)
        return response
