"""What an import reports: its counts and every bad row (row number, column, value, reason). Every import returns
an :class:`ImportResult`; an app adds its own counts by subclassing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_ERRORS = 10_000  # kept for the error sheet; more are counted, not stored


@dataclass
class RowError:
    row: int | None  # the spreadsheet's row number (1 = the header row); None for the whole file
    column: str
    value: str
    reason: str
    code: str = "invalid"


@dataclass
class ImportResult:
    ok: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    sha256: str = ""
    filename: str = ""

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def counts(self) -> dict[str, int]:
        """What this import counts besides rows created and updated, in the order the summary lists it."""
        return {}

    def summary(self) -> dict[str, Any]:
        """The counts as the job page, the job's result and the audit record keep them."""
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            **self.counts(),
            "error_count": self.error_count,
            "file": self.filename,
            "sha256": self.sha256,
        }
