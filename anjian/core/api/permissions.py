from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class PasswordChanged(BasePermission):
    """An account whose password an administrator set must change it before using the API."""

    message = _("You must change your password before using the platform.")

    def has_permission(self, request, view) -> bool:
        return not getattr(request.user, "must_change_password", False)
