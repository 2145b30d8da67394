from django.db import migrations


def forwards(apps, schema_editor):
    from ._frozen_outlines import outlines as default_outlines

    Template = apps.get_model("documents", "ReportTemplate")
    Version = apps.get_model("documents", "ReportTemplateVersion")
    for d in default_outlines():
        t, created = Template.objects.get_or_create(code=d["code"], defaults={"name": d["name"], "kind": d["kind"],
                                                                             "is_default": True})
        if created:
            Version.objects.create(template=t, number=1, summary=d["summary"], body=d["body"],
                                   recipients=d["recipients"], note="Mẫu mặc định")


def backwards(apps, schema_editor):
    apps.get_model("documents", "ReportTemplate").objects.filter(code__in=["annual", "half-year"],
                                                                 versions__drafts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
