"""API errors in one shape, whichever layer found them, and never a 500 for bad input.

Every error of the API is ``{"detail": "<all messages in one sentence>", "code": "<machine code>",
"errors": {field: [messages]}}`` (:class:`ErrorSerializer` documents it once for every operation):

- a serializer's, a filter's or a service's validation error is 400 with the messages per field (nested
  fields as dotted paths: ``enterprise.credit_code``, ``sectors.1.code``); a service's refusal with code
  ``"conflict"`` (someone else has just made the same move) is 409;
- 401 unauthenticated, 403 with the service's message when the caller sees the object but may not do this,
  404 for anything outside the caller's scope or that does not exist (never the model's name), with
  ``errors`` empty.

Paths under ``/api/`` that no route matches (an unknown route, an id no route accepts) answer the same JSON 404
through :func:`not_found`, the project's ``handler404``, instead of the HTML page.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

API_PREFIX = "/api/"


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (documentation only: the handler below writes it)."""

    detail = serializers.CharField(help_text="Every message in one sentence, in the caller's language.")
    code = serializers.CharField(
        help_text='What went wrong, for programs: "invalid", "conflict", "not_found", "permission_denied", …'
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The messages per field (nested fields as dotted paths); empty when no field is at fault.",
    )


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail (dicts of nested serializers, lists of list items) as field path → messages."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "non_field_errors" if key == NON_FIELD_ERRORS else str(key)
            flat.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]} if detail else {}
        flat = {}
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
            else:
                flat.setdefault(prefix or "non_field_errors", []).append(str(item))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def error_body(*, detail: str, code: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"detail": detail, "code": code, "errors": errors or {}}


def _validation_body(errors: dict[str, list[str]], code: str) -> dict:
    return error_body(detail=" ".join(m for messages in errors.values() for m in messages), code=code, errors=errors)


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def exception_handler(exc, context):
    """DRF's handler, with Django's ValidationError, Http404 and PermissionDenied mapped, in the one shape."""
    if isinstance(exc, DjangoValidationError):
        errors = flatten_errors(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        code = getattr(exc, "code", None) or "invalid"
        set_rollback()
        conflict = code == "conflict"
        return Response(
            _validation_body(errors, code),
            status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return Response(_validation_body(flatten_errors(exc.detail), "invalid"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never the model's name: "未找到。"
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = error_body(detail=str(exc.detail), code=_code_of(exc))
    return response


def not_found(request, exception=None):
    """The project's 404 page; under /api/ the API's JSON 404 (a client parses JSON, not the HTML page)."""
    if request.path.startswith(API_PREFIX):
        body = error_body(detail=str(exceptions.NotFound.default_detail), code=exceptions.NotFound.default_code)
        return JsonResponse(body, status=status.HTTP_404_NOT_FOUND, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)
