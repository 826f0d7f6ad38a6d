"""A place's external id is unique within its district, no longer across the whole platform.

The external id is the place's number in the district's ledger. Unique platform-wide, a number another district
used was refused, and the refusal told a district that the other one had a place under that number.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_constraint_messages"),
        ("registry", "0003_site_fillfactor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="site",
            name="external_id",
            field=models.CharField(blank=True, max_length=64, null=True, verbose_name="external id"),
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.UniqueConstraint(
                fields=("district", "external_id"),
                name="site_external_id_unique_in_district",
                violation_error_message="Another place of the district's ledger already has this external id.",
            ),
        ),
    ]
