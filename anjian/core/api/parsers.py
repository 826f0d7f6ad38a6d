"""The API's body parsers refuse a NUL character in any text of the body, whatever field it is meant for.

No text of the platform holds one and PostgreSQL cannot store one. DRF's text fields refuse it already, but a
related field looks its value up as given (a sector by its code), and PostgreSQL then fails on the query: a 500
for bad input. Refused here, once, it is a 400 naming the field (``sectors.0``) in the API's error shape.
Uploaded files are bytes, not text, and are not looked at.
"""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from rest_framework import exceptions, parsers


def _paths_with_nul(data, prefix: str = "") -> list[str]:
    if isinstance(data, str):
        return [prefix or "non_field_errors"] if "\x00" in data else []
    if isinstance(data, QueryDict):
        return [name for name, values in data.lists() for value in values if isinstance(value, str) and "\x00" in value]
    if isinstance(data, dict):
        return [
            path
            for key, value in data.items()
            for path in _paths_with_nul(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(data, list):
        return [
            path
            for index, value in enumerate(data)
            for path in _paths_with_nul(value, f"{prefix}.{index}" if prefix else str(index))
        ]
    return []


def refuse_nul(data):
    """The parsed data, or a 400 naming each field whose text holds a NUL character."""
    paths = _paths_with_nul(data.data if isinstance(data, parsers.DataAndFiles) else data)
    if paths:
        message = ProhibitNullCharactersValidator.message
        raise exceptions.ValidationError({path: [message] for path in dict.fromkeys(paths)})
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))
