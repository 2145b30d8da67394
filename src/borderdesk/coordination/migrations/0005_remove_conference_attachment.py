"""The single attachment field, moved into ConferenceAttachment by 0004 (a separate migration so that
PostgreSQL does not alter the table in the transaction that queued the rows' constraint checks)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0004_conference_attachments_counterparts"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="conference",
            name="attachment",
        ),
    ]
