"""Escalated supervision keeps no deadline of its own (the hazard's history holds what it set); every notice names
its enforcing department."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0011_deadline_history_data")]
    operations = [
        migrations.RemoveField(model_name="escalation", name="new_deadline"),
        migrations.RemoveField(model_name="escalation", name="previous_deadline"),
        migrations.AlterField(
            model_name="rectificationnotice",
            name="enforcing_unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.orgunit",
                verbose_name="enforcing department",
            ),
        ),
    ]
