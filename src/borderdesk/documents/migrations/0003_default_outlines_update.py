"""Ship the meeting-report outline (cut-off periods) and the revised default outlines.

A default outline the standing office has not edited since it was shipped (its latest version is a
shipped one) gets the new text as a new version; an edited one is left alone.
"""

from django.db import migrations

SHIPPED_NOTES = ("Mẫu mặc định", "Mẫu mặc định (cập nhật)")


def forwards(apps, schema_editor):
    from ._frozen_outlines import outlines as default_outlines

    Template = apps.get_model("documents", "ReportTemplate")
    Version = apps.get_model("documents", "ReportTemplateVersion")
    for d in default_outlines():
        t, created = Template.objects.get_or_create(code=d["code"], defaults={"name": d["name"], "kind": d["kind"],
                                                                             "is_default": True})
        current = Version.objects.filter(template=t).order_by("-number").first()
        if current is None:
            Version.objects.create(template=t, number=1, summary=d["summary"], body=d["body"],
                                   recipients=d["recipients"], note="Mẫu mặc định")
        elif current.note in SHIPPED_NOTES and (current.summary, current.body, current.recipients) != (
                d["summary"], d["body"], d["recipients"]):
            Version.objects.create(template=t, number=current.number + 1, summary=d["summary"], body=d["body"],
                                   recipients=d["recipients"], note="Mẫu mặc định (cập nhật)")


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_default_outlines")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
