"""The secret keys that sign the audit chain and its checkpoints (HMAC-SHA256).

Rule (等保2.0 安全审计, protection of audit records): a row's signature can be made only
with the application's audit key, so the database's owner, who can disable triggers and
rewrite rows, cannot make a rewritten chain verify. ``AUDIT_HMAC_KEYS`` lists the keys as
``id:secret,id:secret``; the first one signs new rows, the others stay listed so that the
rows they signed keep verifying after a rotation. Without it, the key is derived from
``SECRET_KEY`` under a label of its own (and from each ``SECRET_KEY_FALLBACKS`` entry, for
verification only); its id carries a fingerprint, so a changed ``SECRET_KEY`` appears in
the chain as a recorded key change. Production sets its own key and keeps it off the
database host: whoever holds both the database and the key can forge the log.

Rows written before the chain was keyed carry the key id ``""`` and a plain SHA-256; the
verifier accepts them only before the chain's first keyed row (see ``audit.verify_chain``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

LEGACY_KEY_ID = ""
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
MIN_SECRET_LENGTH = 32
DERIVED_PREFIX = "sk-"
# A label of its own, so the derived key is never the value Django's signing or sessions use.
DERIVATION_LABEL = b"anjian.core.audit/chain-key/v1"


class AuditKeyError(ImproperlyConfigured):
    """The audit keys are missing, malformed, or do not include the key the chain is signed with."""


@dataclass(frozen=True)
class KeyRing:
    """The keys this process holds: ``current_id`` signs, every id in ``secrets`` verifies."""

    current_id: str
    secrets: Mapping[str, bytes]

    def __contains__(self, key_id: str) -> bool:
        return key_id in self.secrets

    def sign(self, message: bytes, key_id: str | None = None) -> str:
        """HMAC-SHA256 of ``message`` with the given key (the current one by default), as hex."""
        return hmac.digest(self.secrets[self.current_id if key_id is None else key_id], message, "sha256").hex()


def derived_key(secret_key: str) -> tuple[str, bytes]:
    """The default key, derived from SECRET_KEY; its id names a fingerprint, never the key."""
    secret = hmac.digest(secret_key.encode("utf-8"), DERIVATION_LABEL, "sha256")
    return DERIVED_PREFIX + hashlib.sha256(secret).hexdigest()[:8], secret


def parse_keys(entries: list[str]) -> list[tuple[str, bytes]]:
    """``["id:secret", …]`` from the environment, checked; the order is kept (the first signs)."""
    keys: list[tuple[str, bytes]] = []
    for entry in entries:
        key_id, sep, secret = entry.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not sep or not KEY_ID_PATTERN.match(key_id):
            raise AuditKeyError(
                "AUDIT_HMAC_KEYS: each entry is 'id:secret' with an id of 1-32 letters, digits, '.', '_' or '-' "
                f"(got an entry starting {entry[:8]!r}…)."
            )
        if key_id.startswith(DERIVED_PREFIX):
            raise AuditKeyError(f"AUDIT_HMAC_KEYS: ids starting '{DERIVED_PREFIX}' are reserved for derived keys.")
        if len(secret) < MIN_SECRET_LENGTH:
            raise AuditKeyError(
                f"AUDIT_HMAC_KEYS: the secret of key {key_id!r} is shorter than {MIN_SECRET_LENGTH} characters; "
                "generate one with `manage.py rotate_audit_key --generate`."
            )
        if any(key_id == known for known, _ in keys):
            raise AuditKeyError(f"AUDIT_HMAC_KEYS: key id {key_id!r} is listed twice.")
        keys.append((key_id, secret.encode("utf-8")))
    return keys


def key_ring() -> KeyRing:
    """The keys of this process, from the settings (read on every call: cheap, and tests override them)."""
    explicit = parse_keys(list(settings.AUDIT_HMAC_KEYS))
    derived = [derived_key(settings.SECRET_KEY)]
    derived += [derived_key(old) for old in getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    ring = dict(explicit)
    for key_id, secret in derived:
        ring.setdefault(key_id, secret)
    return KeyRing(current_id=explicit[0][0] if explicit else derived[0][0], secrets=ring)


def generate_key(key_id: str) -> str:
    """A new ``id:secret`` entry for AUDIT_HMAC_KEYS (URL-safe characters: no comma, no colon)."""
    parse_keys([f"{key_id}:{'x' * MIN_SECRET_LENGTH}"])  # the id's rules, before a secret is made
    return f"{key_id}:{secrets.token_urlsafe(48)}"


def check_keys_deploy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy``: the audit key should be the deployment's own, not derived from SECRET_KEY."""
    if settings.AUDIT_HMAC_KEYS:
        return []
    return [
        checks.Warning(
            "The audit chain is signed with a key derived from SECRET_KEY.",
            hint="Set AUDIT_HMAC_KEYS (manage.py rotate_audit_key --generate) and keep it off the database host.",
            id="anjian.W001",
        )
    ]
