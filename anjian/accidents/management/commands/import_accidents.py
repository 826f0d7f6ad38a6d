"""manage.py import_accidents FILE --user USERNAME [--district CODE_OR_ID] [--errors PATH]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from anjian.accidents import imports
from anjian.registry.management.commands.import_sites import Command as SiteImportCommand


class Command(BaseCommand):
    help = "Import historical accidents from an .xlsx or .csv file (the same engine and checks as the upload page)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--user", required=True, help="import as this user (scope checks, audit, created by)")
        parser.add_argument("--district", help="id, administrative code or name of the district (default: the user's)")
        parser.add_argument("--errors", help="write the error sheet (.xlsx) here when rows are rejected")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        # Accident.created_by is required: the command always acts as a named, active user.
        actor = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {options['user']}")
        district = SiteImportCommand()._district(options["district"], actor)
        verbosity = options["verbosity"]

        def progress(done: int, total: int, message: str) -> None:
            if verbosity > 1:
                self.stderr.write(f"{message} ({done}/{total})")

        result = imports.import_accidents(
            actor=actor, district=district, source=str(path), filename=path.name, progress=progress
        )
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"{path.name}: {result.rows} rows, {result.created} accidents imported.")
            )
            return
        for error in result.errors[:50]:
            where = f"row {error.row}" if error.row else "file"
            self.stderr.write(f"{where} [{error.column}] {error.value!r}: {error.reason}")
        if result.error_count > 50:
            self.stderr.write(f"… and {result.error_count - 50} more")
        if options["errors"]:
            Path(options["errors"]).write_bytes(imports.error_sheet(result))
            self.stderr.write(f"error sheet written to {options['errors']}")
        raise CommandError(f"{result.error_count} errors; nothing was imported.")
