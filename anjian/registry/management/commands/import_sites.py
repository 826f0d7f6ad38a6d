"""manage.py import_sites FILE [--district CODE_OR_ID] [--user USERNAME] [--errors PATH]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from anjian.core.imports.errors import error_sheet
from anjian.core.imports.results import ImportResult
from anjian.core.scoping import scope_of
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.registry import imports


class Command(BaseCommand):
    help = "Import supervised places from an .xlsx or .csv file (the same engine and checks as the upload page)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--district", help="id, administrative code or name of the district")
        parser.add_argument("--user", help="import as this user (scope checks and audit); default: the system")
        parser.add_argument("--errors", help="write the error sheet (.xlsx) here when rows are rejected")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = self._actor(options["user"])
        district = self._district(options["district"], actor)
        verbosity = options["verbosity"]

        def progress(done: int, total: int, message: str) -> None:
            if verbosity > 1:
                self.stderr.write(f"{message} ({done}/{total})")

        result = self.run_import(
            actor=actor, district=district, source=str(path), filename=path.name, progress=progress
        )
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"{path.name}: {result.rows} rows, {self.success_text(result)}"))
            return
        for error in result.errors[:50]:
            where = f"row {error.row}" if error.row else "file"
            self.stderr.write(f"{where} [{error.column}] {error.value!r}: {error.reason}")
        if result.error_count > 50:
            self.stderr.write(f"… and {result.error_count - 50} more")
        if options["errors"]:
            Path(options["errors"]).write_bytes(error_sheet(result))
            self.stderr.write(f"error sheet written to {options['errors']}")
        raise CommandError(f"{result.error_count} errors; nothing was imported.")

    # What another import command (accidents) replaces; the rest of the command is shared.
    def run_import(self, **kwargs) -> ImportResult:
        return imports.import_sites(**kwargs)

    def success_text(self, result) -> str:
        return (
            f"{result.created} places created, {result.updated} updated; "
            f"{result.enterprises_created} enterprises created, {result.enterprises_updated} updated; "
            f"{result.chemical_units} chemical units."
        )

    def _actor(self, username: str | None):
        if not username:
            return None
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {username}")
        return actor

    def _district(self, value: str | None, actor) -> OrgUnit:
        districts = OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT)
        if not value:
            district_id = scope_of(actor).district_id if actor is not None else None
            if district_id is None:
                raise CommandError("Give --district (id, code or name).")
            return districts.get(pk=district_id)
        query = Q(code=value) | Q(name=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        found = list(districts.filter(query)[:2])
        if len(found) != 1:
            raise CommandError(f"No single district matches {value!r}.")
        return found[0]
