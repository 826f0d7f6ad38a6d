"""Bring the checklists the platform shipped to the edition whose items state the requirement (符合 = compliant),
with photos asked only for findings and for items whose evidence is a document or sign, and add the checklists of
the sectors that had none. Only installs that loaded the shipped checklists are touched; a checklist an
administrator revised is left alone (anjian/inspections/shipped.py). Past versions stay, with the inspections that
used them."""

from django.db import migrations


def forward(apps, schema_editor):
    from anjian.inspections.shipped import sync_shipped_checklists

    sync_shipped_checklists(
        apps.get_model("inspections", "ChecklistTemplate"),
        apps.get_model("inspections", "ChecklistItem"),
        only_where_loaded=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0005_checklist_item_criterion_text"),
        ("organizations", "0002_sectors"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
