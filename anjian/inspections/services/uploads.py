"""Photos of a refused form are kept for their owner (:class:`ProvisionalUpload`): the re-shown form names them by
a random token and sends them again with the next attempt, so a refusal (a missing answer, a major hazard that
needs its six-part plan first, a deadline in the past) never makes a user choose the same photos twice.

What is kept is the upload as it came, after a look at its first bytes; it is checked and re-encoded like any photo
(services.store_photos) only when a form is accepted. A kept photo belongs to the user who chose it: another user's
token, or an expired one, brings nothing. Kept photos expire after PROVISIONAL_UPLOAD_HOURS and are removed by the
next request that keeps photos (any user's), a bounded sweep that needs no scheduler.
"""

from __future__ import annotations

import contextlib
import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import ngettext

from anjian.inspections import evidence
from anjian.inspections.models import ProvisionalUpload

# Kept photos one user may hold at a time: two full field forms' worth.
MAX_KEPT_PER_USER = 2 * evidence.MAX_PHOTOS_PER_SUBMISSION
# Expired photos removed per sweep, so a sweep never makes one request slow.
SWEEP_BATCH = 200
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _looks_like_a_photo(upload) -> bool:
    """JPEG, PNG or WebP by the first bytes: anything else would be refused anyway, so it is not kept."""
    try:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
    except (OSError, ValueError):
        return False
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def _delete(rows: Iterable[ProvisionalUpload]) -> None:
    rows = list(rows)
    for row in rows:
        with contextlib.suppress(OSError):  # best effort: the row goes either way
            row.file.storage.delete(row.file.name)
    ProvisionalUpload.objects.filter(pk__in=[row.pk for row in rows]).delete()


def sweep_expired(now: datetime.datetime | None = None) -> int:
    """Remove up to SWEEP_BATCH expired kept photos (files and rows)."""
    rows = list(
        ProvisionalUpload.objects.filter(expires_at__lte=now or timezone.now()).order_by("expires_at")[:SWEEP_BATCH]
    )
    _delete(rows)
    return len(rows)


def keep_refused_uploads(*, actor, uploads: Sequence) -> list[ProvisionalUpload]:
    """Keep the photos of a refused form for ``actor``; returns the kept rows, in order. Uploads that are not
    photos, too large, or beyond the user's allowance are not kept (the form says which were)."""
    if not uploads or not getattr(actor, "is_authenticated", False):
        return []
    now = timezone.now()
    sweep_expired(now)
    room = MAX_KEPT_PER_USER - ProvisionalUpload.objects.owned_by(actor).count()
    expires = now + datetime.timedelta(hours=settings.PROVISIONAL_UPLOAD_HOURS)
    kept = []
    for upload in uploads:
        if len(kept) >= room:
            break
        size = getattr(upload, "size", None) or 0
        if size <= 0 or size > evidence.MAX_PHOTO_BYTES or not _looks_like_a_photo(upload):
            continue
        row = ProvisionalUpload(
            token=secrets.token_urlsafe(32),
            owner=actor,
            original_name=(PurePath(upload.name or "").name or "photo")[:200],
            size=size,
            created_at=now,
            expires_at=expires,
        )
        row.file.save("upload", upload, save=False)
        row.save()
        kept.append(row)
    return kept


@dataclass
class KeptUploads:
    """The kept photos a form names that still belong to its user, open for reading; ``missing`` counts the tokens
    that brought nothing (expired, or never the user's)."""

    rows: list[ProvisionalUpload] = field(default_factory=list)
    missing: int = 0
    _files: dict[str, File] = field(default_factory=dict)

    def by_token(self, token: str) -> ProvisionalUpload | None:
        return next((row for row in self.rows if row.token == token), None)

    def file(self, row: ProvisionalUpload) -> File:
        """The kept photo as an upload for the services (its original name, for their messages)."""
        if row.token not in self._files:
            self._files[row.token] = File(row.file.storage.open(row.file.name, "rb"), name=row.original_name)
        return self._files[row.token]

    def close(self) -> None:
        for handle in self._files.values():
            with contextlib.suppress(OSError):
                handle.close()
        self._files.clear()


def claim_kept_uploads(*, actor, tokens: Sequence[str]) -> KeptUploads:
    """The kept photos named by ``tokens`` that are ``actor``'s and not expired, in the order named."""
    wanted = list(dict.fromkeys(t for t in tokens if t and len(t) <= 64))
    if not wanted:
        return KeptUploads()
    found = {row.token: row for row in ProvisionalUpload.objects.owned_by(actor).filter(token__in=wanted)}
    return KeptUploads(rows=[found[t] for t in wanted if t in found], missing=len(wanted) - len(found))


def expired_kept_message(count: int) -> str:
    """What a form says when some photos it kept from an earlier attempt brought nothing (expired)."""
    return ngettext(
        "%(count)s photo kept from the earlier attempt has expired: choose it again if it is needed.",
        "%(count)s photos kept from the earlier attempt have expired: choose them again if they are needed.",
        count,
    ) % {"count": count}


def discard_kept_uploads(kept: KeptUploads) -> None:
    """The form was accepted: its kept photos are evidence now (stored anew), so the kept copies go."""
    kept.close()
    _delete(kept.rows)
    kept.rows = []
