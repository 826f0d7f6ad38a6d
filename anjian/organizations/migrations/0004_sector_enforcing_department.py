"""Who issues the rectification notice of a hazard of each sector (责令限期整改), seeded from STANDARDS §1."""

from django.db import migrations, models

# STANDARDS §1, as anjian.organizations.standards.DEFAULT_ENFORCING_DEPARTMENT had it when this was written.
DEFAULTS = {
    "hazchem": "emergency",
    "fireworks": "emergency",
    "construction": "housing",
    "road_traffic": "traffic_police",
    "city_gas": "housing",
    "special_equipment": "market_regulation",
    "commercial": "commerce",
    "large_event": "public_security",
    "three_in_one": "fire_rescue",
    "crowded_place": "fire_rescue",
    "self_built_house": "housing",
    "group_rental": "housing_admin",
    "dilapidated_house": "housing_admin",
    "high_rise": "fire_rescue",
    "municipal": "housing",
    "industry_trade": "emergency",
    "waterlogging_point": "water",
}


def seed_enforcing_departments(apps, schema_editor):
    Sector = apps.get_model("organizations", "Sector")
    for code, department_type in DEFAULTS.items():
        Sector.objects.filter(code=code, enforcing_department_type="").update(enforcing_department_type=department_type)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_constraint_messages'),
    ]

    operations = [
        migrations.AddField(
            model_name='sector',
            name='enforcing_department_type',
            field=models.CharField(blank=True, choices=[('emergency', 'Emergency management bureau'), ('public_security', 'Public security bureau'), ('traffic_police', 'Traffic police brigade'), ('transport', 'Transport bureau'), ('housing', 'Housing and construction bureau'), ('urban_management', 'Urban management bureau'), ('market_regulation', 'Market regulation bureau'), ('commerce', 'Commerce bureau'), ('fire_rescue', 'Fire and rescue brigade'), ('housing_admin', 'Housing administration bureau'), ('education', 'Education bureau'), ('health', 'Health commission'), ('culture_tourism', 'Culture and tourism bureau'), ('water', 'Water affairs bureau'), ('other', 'Other department')], max_length=30, verbose_name='enforcing department'),
        ),
        migrations.RunPython(seed_enforcing_departments, migrations.RunPython.noop),
    ]
