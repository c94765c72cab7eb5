"""ValueListItem.kind offers the lists the domains declare (DomainSpec.value_lists); every existing
instansi gets the suggested values of each declared list it has no value of yet.

The suggestions and the seeding are frozen here (a migration never calls live code, which may change
or go): a list declared later gets its own migration with that list's suggestions (see 0005).
"""

import sia.architecture.valuelists
from django.db import migrations, models

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
    """Each instansi gets every list above of which it has no value yet; a list its admins already
    have is left as they edited it."""
    Institution = apps.get_model("organizations", "Institution")
    Item = apps.get_model("architecture", "ValueListItem")
    for institution in Institution.objects.all():
        have = set(Item.objects.filter(institution=institution).values_list("kind", flat=True).distinct())
        Item.objects.bulk_create([
            Item(institution=institution, kind=kind, name=name, order=order)
            for kind, names in SUGGESTED.items() if kind not in have
            for order, name in enumerate(names, start=1)
        ])


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
