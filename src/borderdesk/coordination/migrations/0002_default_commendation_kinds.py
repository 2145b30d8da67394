from django.db import migrations

KINDS = [
    ("bang-khen-chu-tich-ubnd-tinh", "Bằng khen của Chủ tịch UBND tỉnh", "Chủ tịch UBND tỉnh", 10),
    ("giay-khen-giam-doc-so", "Giấy khen của Giám đốc Sở", "Giám đốc Sở", 20),
    ("giay-khen-chi-huy-bdbp", "Giấy khen của Chỉ huy trưởng Bộ đội Biên phòng tỉnh",
     "Chỉ huy trưởng Bộ đội Biên phòng tỉnh", 30),
]


def forwards(apps, schema_editor):
    Kind = apps.get_model("coordination", "CommendationKind")
    for code, name, issuer, order in KINDS:
        Kind.objects.get_or_create(code=code, defaults={"name": name, "issuer_title": issuer, "sort_order": order})


def backwards(apps, schema_editor):
    Kind = apps.get_model("coordination", "CommendationKind")
    Kind.objects.filter(code__in=[k[0] for k in KINDS], commendations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
