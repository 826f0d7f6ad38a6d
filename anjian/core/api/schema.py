"""The OpenAPI schema of every endpoint documents the errors it can answer, once, here.

Views declare their success responses (and a 409 where a service refuses a move someone else has just made);
this schema class adds the errors that the platform's own layers give every operation, all in the one shape
of :mod:`anjian.core.api.exceptions`:

- 400 for every write and every operation with query parameters (filters, pagination): the input is invalid,
  or the service refuses the step (it names what is wrong);
- 401 without credentials, 403 when the caller may not do this (and for an account that must change its
  password first), wherever authentication is required;
- 404 everywhere: an object outside the caller's scope or that does not exist, a page past the last one, an
  endpoint the caller's role has no data for;
- 415 for a request body in a media type the operation does not read.

A blank text is ``""`` in and out of the API, for free text, choices and e-mail addresses alike ("not set"); the
schema says so for read-only fields too (DRF forgets a model field's ``blank=True`` on them, so the schema would
otherwise promise one of the choices or an address where the platform answers ``""``). Likewise a read-only field
declared on a serializer over a model field that may be null (a place's territory as a nested object), or with a
null default, is documented nullable: DRF answers ``null`` for it whatever the field says.
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from anjian.core.api.exceptions import ErrorSerializer

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

DESCRIPTIONS = {
    "400": "Invalid input, or a step the workflow refuses now: the messages say which and why.",
    "401": "No valid credentials: log in, or send 'Authorization: Token …'.",
    "403": "The caller sees the object but may not do this (or must change the password first).",
    "404": "Outside the caller's scope, or no such object or page.",
    "409": "Someone else has just made the same move; reload and look again.",
    "415": "The request body is in a media type this operation does not read.",
}


def _model_field(field: serializers.Field):
    """The model field a ModelSerializer's field reads directly, if any."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source or ""
    if model is None or source == "*" or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


def _blank_when_read(field: serializers.Field) -> bool:
    """A read-only text, choice or e-mail field of a model text field that may be blank (DRF's own rule for
    allow_blank, which it drops from read-only fields)."""
    if not (field.read_only and isinstance(field, serializers.CharField | serializers.ChoiceField)):
        return False
    if field.allow_blank:
        return False
    model_field = _model_field(field)
    return isinstance(model_field, models.CharField | models.TextField) and model_field.blank


def _null_when_read(field: serializers.Field) -> bool:
    """A read-only field over a model field that may be null, or whose default (where the source is missing, as
    ``hazard.number`` without a hazard) is null."""
    if not field.read_only or field.allow_null:
        return False
    if field.default is None:
        return True
    model_field = _model_field(field)
    return model_field is not None and model_field.null


def _as_answered(field: serializers.Field) -> serializers.Field:
    """The field as the API answers it: blank and null where the model allows them (a copy when that differs)."""
    blank, null = _blank_when_read(field), _null_when_read(field)
    if not (blank or null):
        return field
    field = copy.copy(field)
    if blank:
        field.allow_blank = True
    if null:
        field.allow_null = True
    return field


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, with the platform's error responses on every operation."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, self._error_response(code))
        for code, response in responses.items():
            if code in DESCRIPTIONS and not response.get("description"):
                response["description"] = DESCRIPTIONS[code]
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        return super()._map_serializer_field(_as_answered(field), direction, bypass_extensions)

    def _insert_field_validators(self, field, schema):
        # Where a blank e-mail address becomes "an address or an empty string".
        return super()._insert_field_validators(_as_answered(field), schema)

    def _error_codes(self, operation: dict) -> list[str]:
        codes = []
        queried = any(parameter.get("in") == "query" for parameter in operation.get("parameters", []))
        if self.method in WRITE_METHODS or queried:
            codes.append("400")
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes += ["401", "403"]
        codes.append("404")
        if "requestBody" in operation:
            codes.append("415")
        return codes

    def _error_response(self, code: str) -> dict:
        return {
            "content": {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}},
            "description": DESCRIPTIONS[code],
        }


# For the operations whose service refuses a move someone else has just made (a workflow transition).
CONFLICT = {409: ErrorSerializer}
