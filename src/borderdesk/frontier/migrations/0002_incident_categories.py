"""Seed the incident categories named in the issue (the standing office may add more)."""

from django.db import migrations

CATEGORIES = [
    ("illegal_crossing", "Xuất cảnh, nhập cảnh trái phép", 10),
    ("smuggling", "Buôn lậu, vận chuyển hàng cấm", 20),
    ("marker_damage", "Xâm hại mốc quốc giới", 30),
    ("encroachment", "Xâm canh, xâm cư, lấn chiếm", 40),
    ("cross_border_crime", "Tội phạm xuyên biên giới", 50),
    ("epidemic", "Dịch bệnh, dịch bệnh động vật", 60),
    ("natural_disaster", "Thiên tai", 70),
    ("other", "Vụ việc khác", 90),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("frontier", "IncidentCategory")
    for code, name, order in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


def backwards(apps, schema_editor):
    apps.get_model("frontier", "IncidentCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("frontier", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
