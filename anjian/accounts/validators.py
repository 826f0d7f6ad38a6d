"""Password rules of 等保2.0 level 3: at least three classes of characters, no reuse of recent passwords."""

from __future__ import annotations

import string

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from anjian.accounts.models import PasswordHistoryEntry


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes_in(password: str) -> int:
        return sum(
            [
                any(c in string.ascii_uppercase for c in password),
                any(c in string.ascii_lowercase for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password: str, user=None) -> None:
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(n)d kind of character: upper-case, lower-case, digits, symbols.",
            "Your password must mix at least %(n)d kinds of characters: upper-case, lower-case, digits, symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with the platform's own (translated) wording."""

    def get_error_message(self) -> str:
        return ngettext(
            "Your password must have at least %(n)d character.",
            "Your password must have at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return self.get_error_message()


class PasswordHistoryValidator:
    """Refuse the current password and the ``remember`` before it (等保2.0: recent passwords are not reused).

    Compares against the hashes kept by ``PasswordHistoryEntry`` (written by
    ``services.set_password``); ``remember`` defaults to ``PASSWORD_HISTORY_COUNT``.
    """

    def __init__(self, remember: int | None = None):
        self.remember = settings.PASSWORD_HISTORY_COUNT if remember is None else remember

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        encoded = [user.password] if user.password else []
        if user.pk is not None and self.remember > 0:
            recent = PasswordHistoryEntry.objects.filter(user_id=user.pk).order_by("-replaced_at", "-id")
            encoded += list(recent.values_list("password", flat=True)[: self.remember])
        # Django's check_password, without the setter: a check must never re-hash and save the current password.
        if any(check_password(password, hashed) for hashed in encoded):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must differ from your current password and the one before it.",
            "Your password must differ from your current password and the %(n)d before it.",
            self.remember,
        ) % {"n": self.remember}
