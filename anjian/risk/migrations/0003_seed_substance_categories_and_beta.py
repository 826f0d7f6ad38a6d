"""Give each GB 18218-2018 Table 1 entry of the catalogue its hazard category and β: Table 3 for the named toxic
gases, Table 4 by the category otherwise (anjian/risk/substances.py). Before, 65 of the 79 entries had neither,
and R was computed with β = 1 "assumed" for the flammable gases (W2, β 1.5), the explosives (W1.1, β 2)…

An entry an administrator has corrected keeps its values; only a category it lacks is filled in (a blank β then
takes the category's β of Table 4). The installations are graded again by the nightly identification
(``identify_major_hazards``, also runnable at once after the upgrade)."""

from django.db import migrations


def seed(apps, schema_editor):
    from anjian.risk.substances import TABLE1, source_note

    HazardousSubstance = apps.get_model("risk", "HazardousSubstance")
    by_name = {row.name: row for row in HazardousSubstance.objects.filter(name__in=[e.name for e in TABLE1])}
    changed = []
    for entry in TABLE1:
        row = by_name.get(entry.name)
        if row is None:
            continue
        if row.edited_at is None:
            row.hazard_category = entry.category
            row.beta = entry.seeded_beta
            row.source = source_note(entry)
        elif not row.hazard_category:
            row.hazard_category = entry.category
        else:
            continue
        changed.append(row)
    HazardousSubstance.objects.bulk_update(changed, ["hazard_category", "beta", "source"])


def unseed(apps, schema_editor):
    from anjian.risk.substances import TABLE1, source_note

    HazardousSubstance = apps.get_model("risk", "HazardousSubstance")
    by_name = {entry.name: entry for entry in TABLE1}
    rows = list(HazardousSubstance.objects.filter(name__in=list(by_name), edited_at__isnull=True))
    for row in rows:
        entry = by_name[row.name]
        row.hazard_category = ""
        row.beta = entry.beta
        row.source = source_note(entry).split("；类别")[0]
    HazardousSubstance.objects.bulk_update(rows, ["hazard_category", "beta", "source"])


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_seed_substances")]

    operations = [migrations.RunPython(seed, unseed)]
