"""Seed the GB 18218-2018 catalogue of hazardous substances from anjian/risk/substances.py (Table 1, with the
β of the named toxic gases of Table 3). Entries an administrator has already edited are left alone."""

from django.db import migrations


def seed(apps, schema_editor):
    from anjian.risk.substances import TABLE1, source_note

    HazardousSubstance = apps.get_model("risk", "HazardousSubstance")
    existing = set(HazardousSubstance.objects.values_list("name", flat=True))
    HazardousSubstance.objects.bulk_create(
        [
            HazardousSubstance(
                name=entry.name,
                aliases=entry.aliases,
                cas_number=entry.cas,
                critical_quantity_t=entry.q,
                hazard_category="",
                beta=entry.beta,
                in_table1=True,
                source=source_note(entry),
            )
            for entry in TABLE1
            if entry.name not in existing
        ]
    )


def unseed(apps, schema_editor):
    from anjian.risk.substances import TABLE1

    HazardousSubstance = apps.get_model("risk", "HazardousSubstance")
    HazardousSubstance.objects.filter(name__in=[e.name for e in TABLE1], edited_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
