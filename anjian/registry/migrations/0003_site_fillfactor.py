"""PostgreSQL keeps free room in the places table's pages.

The risk module rewrites ``risk_level`` and ``risk_reason`` of every place whose level changes (on events and
nightly). Neither column is indexed, so when the row's page has room PostgreSQL updates it in place (a HOT
update) without adding entries to the table's nine indexes; at the default fillfactor of 100 every page is
full and each update touches every index. Measured on 200,000 places where every level changes: 13.6–17.9 s
at 100, 7.1–8.5 s at 70, for a table 20 % larger. SQLite has no such setting.

On a database that already holds places the setting applies to pages written from now on; ``VACUUM FULL
registry_site`` (or pg_repack) applies it to the whole table.
"""

from django.db import migrations

FILLFACTOR = 70


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE registry_site SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_site RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_chemical_unit_population")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
