"""ValueListItem.kind offers the lists the domains declare (DomainSpec.value_lists); every existing
instansi gets the suggested values of each declared list it has no value of yet.

The suggestions are frozen here as data: a list declared later gets its own migration calling
``seed_every_institution`` with that list's suggestions.
"""

import sia.architecture.valuelists
from django.db import migrations, models

from sia.architecture.valuelists import seed_every_institution

SUGGESTED = {
    "target-layanan": ("Masyarakat", "Pelaku Usaha", "ASN/Pegawai", "Pemerintah"),
    "metode-layanan": ("Elektronik", "Hybrid", "Tatap muka"),
    "sifat-data": ("Terbuka", "Terbatas", "Tertutup"),
    "jenis-data": ("Statistik", "Geospasial", "Keuangan", "Lainnya"),
    "validitas-data": (
        "Realtime", "Harian", "Mingguan", "Bulanan", "Tiga Bulanan", "Enam Bulanan", "Tahunan", "Dua Tahunan",
        "Tiga Tahunan", "Lima Tahunan",
    ),
}


def seed_existing_institutions(apps, schema_editor):
    seed_every_institution(
        apps.get_model("organizations", "Institution"), apps.get_model("architecture", "ValueListItem"), SUGGESTED
    )


class Migration(migrations.Migration):

    dependencies = [
        ('architecture', '0003_reference_help_texts'),
        ('organizations', '0002_free_text_limits'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalvaluelistitem',
            name='kind',
            field=models.CharField(choices=sia.architecture.valuelists.kind_choices, max_length=30, verbose_name='daftar'),
        ),
        migrations.AlterField(
            model_name='valuelistitem',
            name='kind',
            field=models.CharField(choices=sia.architecture.valuelists.kind_choices, max_length=30, verbose_name='daftar'),
        ),
        migrations.RunPython(seed_existing_institutions, migrations.RunPython.noop),
    ]
