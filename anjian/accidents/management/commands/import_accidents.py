"""manage.py import_accidents FILE --user USERNAME [--district CODE_OR_ID] [--errors PATH]"""

from __future__ import annotations

from anjian.accidents import imports
from anjian.core.imports.results import ImportResult
from anjian.registry.management.commands.import_sites import Command as SiteImportCommand


class Command(SiteImportCommand):
    """The places' import command (file, district, progress, errors, error sheet) with the accident engine."""

    help = "Import historical accidents from an .xlsx or .csv file (the same engine and checks as the upload page)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        # Accident.created_by is required: the command always acts as a named, active user.
        parser.add_argument("--user", required=True, help="import as this user (scope checks, audit, created by)")
        parser.add_argument("--district", help="id, administrative code or name of the district (default: the user's)")
        parser.add_argument("--errors", help="write the error sheet (.xlsx) here when rows are rejected")

    def run_import(self, **kwargs) -> ImportResult:
        return imports.import_accidents(**kwargs)

    def success_text(self, result: ImportResult) -> str:
        return f"{result.created} accidents imported."
