"""The distance from the place at which each inspection's position was recorded, kept on the inspection; filled in
for the inspections recorded before, wherever both positions are known."""

from django.db import migrations, models


def fill_distances(apps, schema_editor):
    from anjian.organizations.geo import distance_m

    Inspection = apps.get_model("inspections", "Inspection")
    rows = (
        Inspection.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .exclude(site__latitude__isnull=True)
        .exclude(site__longitude__isnull=True)
        .values_list("pk", "latitude", "longitude", "site__latitude", "site__longitude")
    )
    batch = []
    for pk, lat, lon, site_lat, site_lon in rows.iterator(chunk_size=2000):
        batch.append(Inspection(pk=pk, distance_m=round(distance_m(lat, lon, site_lat, site_lon))))
        if len(batch) >= 2000:
            Inspection.objects.bulk_update(batch, ["distance_m"])
            batch = []
    if batch:
        Inspection.objects.bulk_update(batch, ["distance_m"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_shipped_checklists_state_requirements")]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="distance_m",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="distance from the place (m)"),
        ),
        migrations.RunPython(fill_distances, migrations.RunPython.noop),
    ]
