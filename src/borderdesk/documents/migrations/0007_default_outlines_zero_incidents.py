"""Ship the revised default outlines (issue 13): patrol roads, rail cars and vehicles waiting; a period
without incident where the register is kept reads "không xảy ra vụ việc nào", not "xảy ra 0 vụ việc".
An outline the standing office edited since it was shipped is left alone."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ._frozen_outlines import outlines  # a frozen copy of the outlines as this migration shipped them

    Template = apps.get_model("documents", "ReportTemplate")
    Version = apps.get_model("documents", "ReportTemplateVersion")
    shipped = ("Mẫu mặc định", "Mẫu mặc định (cập nhật)")
    for d in outlines("frozen_0007"):
        t, _created = Template.objects.get_or_create(code=d["code"], defaults={"name": d["name"], "kind": d["kind"],
                                                                              "is_default": True})
        current = Version.objects.filter(template=t).order_by("-number").first()
        if current is None:
            Version.objects.create(template=t, number=1, summary=d["summary"], body=d["body"],
                                   recipients=d["recipients"], note="Mẫu mặc định")
        elif current.note in shipped and (current.summary, current.body, current.recipients) != (
                d["summary"], d["body"], d["recipients"]):
            Version.objects.create(template=t, number=current.number + 1, summary=d["summary"], body=d["body"],
                                   recipients=d["recipients"], note="Mẫu mặc định (cập nhật)")


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_vietnamese_name_order")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
