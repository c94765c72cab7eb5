import django.utils.timezone
from django.db import migrations, models

from sia.core.migration_ops import Together


def stamp_status_since(apps, schema_editor, app_label, model_names=None):
    """Each object's ``status_since``: the time of its latest review event into its current status, else its last
    change (what the review queues read before the column)."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    ContentType = apps.get_model("contenttypes", "ContentType")
    ReviewEvent = apps.get_model("architecture", "ReviewEvent")
    for model in apps.get_app_config(app_label).get_models():
        if model_names is not None and model._meta.model_name not in model_names:
            continue
        if model._meta.model_name.startswith("historical") or not any(
                f.name == "status_since" for f in model._meta.concrete_fields):
            continue
        content_type = ContentType.objects.filter(app_label=app_label, model=model._meta.model_name).first()
        if content_type is None:
            model.objects.update(status_since=F("updated"))
            continue
        latest = ReviewEvent.objects.filter(
            content_type=content_type, object_id=OuterRef("pk"), to_status=OuterRef("status"),
        ).order_by("-created", "-pk").values("created")[:1]
        model.objects.update(status_since=Coalesce(Subquery(latest), F("updated")))


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('architecture', '0001_squashed_0010_operator_status_index'),
        ('organizations', '0004_admin_role_label_neutral'),
        ('reference', '0005_node_is_national_leaf'),
    ]

    operations = [
        Together([  # one rendering of the models' state for the lot (sia.core.migration_ops)
            migrations.AddField(
                model_name='application',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='businessprocess',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='cloudservice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='computingfacility',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='dataitem',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalapplication',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalbusinessprocess',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalcloudservice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalcomputingfacility',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicaldataitem',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalincidenthandling',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalintranetwork',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalnetworkdevice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalperipheral',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalplatformsoftware',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalsecurityaudit',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalsecurityawareness',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalsecuritydevice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalsecurityfeasibility',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalsecurityimprovement',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalsecuritystandard',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalserver',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalservice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalservicebus',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalstoragemedia',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='historicalvulnerabilityassessment',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='incidenthandling',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='intranetwork',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='networkdevice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='peripheral',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='platformsoftware',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='securityaudit',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='securityawareness',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='securitydevice',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='securityfeasibility',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='securityimprovement',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='securitystandard',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='server',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='service',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='servicebus',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='storagemedia',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AddField(
                model_name='vulnerabilityassessment',
                name='status_since',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, help_text='Waktu objek masuk ke status reviewnya sekarang.', verbose_name='status sejak'),
            ),
            migrations.AlterField(
                model_name='reviewevent',
                name='created',
                field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='waktu'),
            ),
            migrations.AddIndex(
                model_name='application',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_69bc64_idx'),
            ),
            migrations.AddIndex(
                model_name='businessprocess',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_f4bf86_idx'),
            ),
            migrations.AddIndex(
                model_name='cloudservice',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_71b50d_idx'),
            ),
            migrations.AddIndex(
                model_name='computingfacility',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_428062_idx'),
            ),
            migrations.AddIndex(
                model_name='dataitem',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_90cdc5_idx'),
            ),
            migrations.AddIndex(
                model_name='incidenthandling',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_663e20_idx'),
            ),
            migrations.AddIndex(
                model_name='intranetwork',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_03351a_idx'),
            ),
            migrations.AddIndex(
                model_name='networkdevice',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_9bb4e8_idx'),
            ),
            migrations.AddIndex(
                model_name='peripheral',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_981f2e_idx'),
            ),
            migrations.AddIndex(
                model_name='platformsoftware',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_e554b4_idx'),
            ),
            migrations.AddIndex(
                model_name='securityaudit',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_bf1a2c_idx'),
            ),
            migrations.AddIndex(
                model_name='securityawareness',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_a55e8f_idx'),
            ),
            migrations.AddIndex(
                model_name='securitydevice',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_9d6785_idx'),
            ),
            migrations.AddIndex(
                model_name='securityfeasibility',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_d496fd_idx'),
            ),
            migrations.AddIndex(
                model_name='securityimprovement',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_6c0f19_idx'),
            ),
            migrations.AddIndex(
                model_name='securitystandard',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_b9750e_idx'),
            ),
            migrations.AddIndex(
                model_name='server',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_371d62_idx'),
            ),
            migrations.AddIndex(
                model_name='service',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_96480f_idx'),
            ),
            migrations.AddIndex(
                model_name='servicebus',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_818603_idx'),
            ),
            migrations.AddIndex(
                model_name='storagemedia',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_86d108_idx'),
            ),
            migrations.AddIndex(
                model_name='vulnerabilityassessment',
                index=models.Index(fields=['institution', 'status', 'status_since', 'id'], name='architectur_institu_a71240_idx'),
            ),
        ]),
        migrations.RunPython(
            lambda apps, editor: stamp_status_since(apps, editor, "architecture"), migrations.RunPython.noop,
        ),
    ]
