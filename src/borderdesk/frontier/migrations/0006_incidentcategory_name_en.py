"""Incident categories get an English name (the English interface shows it); the seeded ones are filled in."""

from django.db import migrations, models

ENGLISH = {
    "illegal_crossing": "Illegal exit and entry",
    "smuggling": "Smuggling and trafficking in prohibited goods",
    "marker_damage": "Damage to border markers",
    "encroachment": "Encroachment on land and settlement across the line",
    "cross_border_crime": "Cross-border crime",
    "epidemic": "Epidemics and animal diseases",
    "natural_disaster": "Natural disasters",
    "other": "Other incidents",
}


def forwards(apps, schema_editor):
    Category = apps.get_model("frontier", "IncidentCategory")
    for code, name_en in ENGLISH.items():
        Category.objects.filter(code=code, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("frontier", "0005_vietnamese_name_order")]

    operations = [
        migrations.AddField(
            model_name="incidentcategory",
            name="name_en",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="tên tiếng Anh"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
