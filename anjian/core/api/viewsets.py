"""The base of the API's viewsets whose writes go through services (the hazard loop, the accident records).

Subclass :class:`LoopViewSet` with the mixins of the reads the endpoint offers; each write action reads its body
with ``self._input(SomeInputSerializer)``, which only checks types, and passes the validated data to the service
that enforces the rules. A bad body is a 400 in the API's one error shape before any service is called.
"""

from __future__ import annotations

from rest_framework import viewsets


class LoopViewSet(viewsets.GenericViewSet):
    """A viewset whose write actions validate their input with a serializer of their own, then call a service."""

    def _input(self, serializer_class, **kwargs):
        """The request body read and type-checked by ``serializer_class`` (400 when it is not valid)."""
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer
