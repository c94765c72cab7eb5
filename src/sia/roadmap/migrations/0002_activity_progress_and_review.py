# The kegiatan's status of execution becomes `progress`; `status` is now its review status (every kegiatan
# already written starts as a draft).

from django.db import migrations, models

from sia.core.migration_ops import Together


class Migration(migrations.Migration):

    dependencies = [
        ('roadmap', '0001_initial'),
    ]

    operations = [
        Together([  # one rendering of the models' state for these (sia.core.migration_ops)
            migrations.RenameField(model_name='activity', old_name='status', new_name='progress'),
            migrations.RenameField(model_name='historicalactivity', old_name='status', new_name='progress'),
        ]),
        Together([  # one rendering of the models' state for these (sia.core.migration_ops)
            migrations.AlterField(model_name='activity', name='progress', field=models.CharField(choices=[('belum', 'Belum dimulai'), ('sedang', 'Sedang berjalan'), ('selesai', 'Selesai'), ('batal', 'Batal')], default='belum', max_length=10, verbose_name='status pelaksanaan')),
            migrations.AlterField(model_name='historicalactivity', name='progress', field=models.CharField(choices=[('belum', 'Belum dimulai'), ('sedang', 'Sedang berjalan'), ('selesai', 'Selesai'), ('batal', 'Batal')], default='belum', max_length=10, verbose_name='status pelaksanaan')),
        ]),
        Together([  # one rendering of the models' state for these (sia.core.migration_ops)
            migrations.AddField(model_name='activity', name='status', field=models.CharField(choices=[('draf', 'Draf'), ('diajukan', 'Diajukan'), ('dikembalikan', 'Dikembalikan'), ('diverifikasi', 'Diverifikasi'), ('divalidasi', 'Divalidasi')], default='draf', editable=False, max_length=20, verbose_name='status review')),
            migrations.AddField(model_name='historicalactivity', name='status', field=models.CharField(choices=[('draf', 'Draf'), ('diajukan', 'Diajukan'), ('dikembalikan', 'Dikembalikan'), ('diverifikasi', 'Diverifikasi'), ('divalidasi', 'Divalidasi')], default='draf', editable=False, max_length=20, verbose_name='status review')),
        ]),
    ]
