"""One current deadline with its history, the on-site verification and the lifting of escalated supervision
(摘牌), the enforcing department of a rectification notice: the new columns and table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0009_photo_processing_state'),
        ('organizations', '0004_sector_enforcing_department'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='escalation',
            name='lift_note',
            field=models.TextField(blank=True, verbose_name='note on lifting'),
        ),
        migrations.AddField(
            model_name='escalation',
            name='lifted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='lifted at'),
        ),
        migrations.AddField(
            model_name='escalation',
            name='lifted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='lifted by'),
        ),
        migrations.AddField(
            model_name='hazard',
            name='supervision_lifted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='escalated supervision lifted at'),
        ),
        migrations.AddField(
            model_name='rectification',
            name='review_accuracy',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='position accuracy (m)'),
        ),
        migrations.AddField(
            model_name='rectification',
            name='review_distance',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='distance to the place (m)'),
        ),
        migrations.AddField(
            model_name='rectification',
            name='review_latitude',
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='latitude at verification'),
        ),
        migrations.AddField(
            model_name='rectification',
            name='review_longitude',
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='longitude at verification'),
        ),
        migrations.AddField(
            model_name='rectificationnotice',
            name='enforcing_unit',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.orgunit', verbose_name='enforcing department'),
        ),
        migrations.AddField(
            model_name='rectificationnotice',
            name='supervising_unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.orgunit', verbose_name='supervising unit'),
        ),
        migrations.AlterField(
            model_name='hazard',
            name='status',
            field=models.CharField(choices=[('reported', 'Reported'), ('fixed_on_spot', 'Fixed on the spot, awaiting verification'), ('notice_issued', 'Rectification notice issued'), ('rectifying', 'Rectifying'), ('submitted', 'Submitted for verification'), ('verified_on_site', 'Verified on site, awaiting the lifting of escalated supervision'), ('verified', 'Verified and closed'), ('closed_with_site', 'Closed with the place')], default='reported', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='hazardevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('reported', 'Reported'), ('fixed_on_spot', 'Fixed on the spot, awaiting verification'), ('notice_issued', 'Rectification notice issued'), ('rectifying', 'Rectifying'), ('submitted', 'Submitted for verification'), ('verified_on_site', 'Verified on site, awaiting the lifting of escalated supervision'), ('verified', 'Verified and closed'), ('closed_with_site', 'Closed with the place')], max_length=20, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='hazardevent',
            name='to_status',
            field=models.CharField(blank=True, choices=[('reported', 'Reported'), ('fixed_on_spot', 'Fixed on the spot, awaiting verification'), ('notice_issued', 'Rectification notice issued'), ('rectifying', 'Rectifying'), ('submitted', 'Submitted for verification'), ('verified_on_site', 'Verified on site, awaiting the lifting of escalated supervision'), ('verified', 'Verified and closed'), ('closed_with_site', 'Closed with the place')], max_length=20, verbose_name='to'),
        ),
        migrations.AlterField(
            model_name='photo',
            name='stage',
            field=models.CharField(choices=[('finding', 'When found'), ('after', 'After rectification'), ('verification', 'At the on-site verification')], default='finding', max_length=20, verbose_name='stage'),
        ),
        migrations.CreateModel(
            name='DeadlineChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('previous', models.DateField(blank=True, null=True, verbose_name='previous deadline')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('reason', models.CharField(choices=[('notice', 'Rectification notice'), ('commitment', 'Committed by the enterprise'), ('escalation', 'Escalated supervision'), ('rejection', 'Rectification rejected')], max_length=20, verbose_name='reason')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed at')),
                ('changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                ('changed_by_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.orgunit', verbose_name='unit')),
                ('escalation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deadline_changes', to='inspections.escalation')),
                ('hazard', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadline_changes', to='inspections.hazard')),
            ],
            options={
                'verbose_name': 'deadline change',
                'verbose_name_plural': 'deadline changes',
                'ordering': ['changed_at', 'id'],
            },
        ),
    ]
