"""Load the sectors of STANDARDS §1 (reference data, needed in every deployment)."""

from django.db import migrations


def load_sectors(apps, schema_editor):
    from anjian.organizations.standards import SECTORS

    Sector = apps.get_model("organizations", "Sector")
    for order, (code, name, name_en) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load_sectors, migrations.RunPython.noop)]
