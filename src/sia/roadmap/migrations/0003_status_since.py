import importlib

import django.utils.timezone
from django.db import migrations, models

from sia.core.migration_ops import Together


def stamp_status_since(apps, schema_editor):
    """As the architecture objects' (its migration 0011): the time of the latest review event into the status."""
    stamp = importlib.import_module("sia.architecture.migrations.0011_status_since").stamp_status_since
    stamp(apps, schema_editor, "roadmap", {"activity"})


class Migration(migrations.Migration):

    dependencies = [
        ('architecture', '0011_status_since'),
        ('organizations', '0004_admin_role_label_neutral'),
        ('roadmap', '0002_activity_progress_and_review'),
    ]

    operations = [
        Together([  # one rendering of the models' state for the lot (sia.core.migration_ops)
            migrations.AddField(
                model_name='activity',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalactivity',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddIndex(
                model_name='activity',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='roadmap_act_institu_fbe861_idx'),
            ),
        ]),
        migrations.RunPython(stamp_status_since, migrations.RunPython.noop),
    ]
