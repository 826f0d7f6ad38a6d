"""Signed checkpoints of the audit chain, kept outside the database.

Rule: whoever controls the database can delete the end of the log and rewrite the chain
head to match, or truncate both tables, and nothing left in the database shows it. A
checkpoint (row count, last sequence number, that row's hash, time, key id) signed with
the audit key (``audit_keys``), appended as one JSON line to a file of the application's
side (``AUDIT_CHECKPOINT_DIR``) and written to the log, is a witness the database's owner
can neither edit nor forge: ``verify_chain`` compares the database with every checkpoint
in the file, and reports a line whose signature is wrong.

One file per database (named after it), so a test or a second deployment sharing the
directory never compares itself with another database's checkpoints.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit_keys import KeyRing, key_ring

logger = logging.getLogger("anjian.core.audit")

FORMAT_VERSION = 1
# Signatures of checkpoints and of rows never share a message: rows sign a JSON object.
SIGNATURE_DOMAIN = b"anjian.core.audit/checkpoint/v1\n"


@dataclass(frozen=True)
class Checkpoint:
    """The chain as verified at one moment: ``rows`` rows, the last one ``last_seq`` with ``head_hash``."""

    database: str
    at: str  # ISO 8601, UTC
    rows: int
    last_seq: int
    head_hash: str
    key_id: str
    line: int = field(default=0, compare=False)  # where it was read from, for reports

    def payload(self) -> dict:
        data = asdict(self)
        del data["line"]
        return {**data, "v": FORMAT_VERSION}

    def signature(self, ring: KeyRing) -> str:
        canonical = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return ring.sign(SIGNATURE_DOMAIN + canonical.encode("utf-8"), self.key_id)

    def as_line(self, ring: KeyRing) -> str:
        return json.dumps(
            {**self.payload(), "sig": self.signature(ring)}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )

    @property
    def local_time(self) -> str:
        return timezone.localtime(datetime.fromisoformat(self.at)).strftime("%Y-%m-%d %H:%M:%S")


def database_label() -> str:
    """A file-name-safe name of the database this process writes to (vendor, host, port, name)."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        label = f"sqlite-{Path(str(conf['NAME'])).stem}"
    else:
        label = f"{connection.vendor}-{conf.get('HOST') or 'local'}-{conf.get('PORT') or 'default'}-{conf['NAME']}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", label)


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / f"{database_label()}.jsonl"


def write(*, rows: int, last_seq: int, head_hash: str) -> tuple[Checkpoint, str]:
    """Append a signed checkpoint of a chain just verified; log it too (the log may live on another machine)."""
    ring = key_ring()
    checkpoint = Checkpoint(
        database=database_label(),
        at=datetime.now(UTC).isoformat(timespec="seconds"),
        rows=rows,
        last_seq=last_seq,
        head_hash=head_hash,
        key_id=ring.current_id,
    )
    line = checkpoint.as_line(ring)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write() on an O_APPEND descriptor: concurrent writers never interleave their lines.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    logger.info("audit checkpoint %s", line)
    return checkpoint, line


def read() -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint of this database whose signature is valid, and a reason for every line that is not."""
    path = checkpoint_path()
    if not path.exists():
        return [], []
    try:
        content = path.read_bytes()
    except OSError as error:  # a witness that cannot be read is a finding, not a crash of the page
        return [], [_("The checkpoint file %(file)s cannot be read: %(error)s") % {"file": path, "error": error}]
    ring = key_ring()
    label = database_label()
    valid: list[Checkpoint] = []
    problems: list[str] = []
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        where = {"line": number, "file": path.name}
        try:
            data = json.loads(raw.decode("utf-8"))
            signature = data.pop("sig")
            if data.pop("v") != FORMAT_VERSION:
                raise ValueError
            checkpoint = Checkpoint(**data, line=number)
            texts = (checkpoint.database, checkpoint.at, checkpoint.head_hash, checkpoint.key_id)
            if not all(isinstance(value, str) for value in texts) or not all(
                isinstance(value, int) for value in (checkpoint.rows, checkpoint.last_seq)
            ):
                raise ValueError
            datetime.fromisoformat(checkpoint.at)
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(_("Checkpoint line %(line)s of %(file)s is not a valid checkpoint.") % where)
            continue
        if checkpoint.key_id not in ring:
            problems.append(
                _(
                    "Checkpoint line %(line)s of %(file)s is signed with key “%(key)s”, which this server does not "
                    "hold: add the key to AUDIT_HMAC_KEYS to check it."
                )
                % {**where, "key": checkpoint.key_id}
            )
            continue
        if not isinstance(signature, str) or not hmac.compare_digest(signature, checkpoint.signature(ring)):
            problems.append(
                _("Checkpoint line %(line)s of %(file)s has an invalid signature: the checkpoint file was altered.")
                % where
            )
            continue
        if checkpoint.database != label:
            problems.append(
                _("Checkpoint line %(line)s of %(file)s was written for another database (%(database)s).")
                % {**where, "database": checkpoint.database}
            )
            continue
        valid.append(checkpoint)
    return valid, problems
