"""Every API token expires: tokens issued without an expiry get one (90 days after today), then the column is
required."""

import datetime

import borderdesk.accounts.models
from django.db import migrations, models
from django.utils import timezone


def give_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + datetime.timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(give_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=borderdesk.accounts.models.default_token_expiry, verbose_name='hết hạn'),
        ),
    ]
